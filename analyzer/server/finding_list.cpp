#include "analyzer/server/finding_list.h"

#include <algorithm>

#include "analyzer/server/desk_app.h"

namespace twinscan::server {

FindingFilter FindingFilter::of(const HttpRequest& request) {
  return {request.param("severity"), request.param("category"), request.param("rule"),
          request.param("status"),   request.param("entity"),   request.param("since"),
          request.param("assignee")};
}

bool FindingFilter::since_is_valid() const {
  return since.empty() || DeskApp::is_since_date(since);
}

std::string status_in(const std::map<std::string, std::string>& decided,
                      const std::string& fingerprint) {
  const auto it = decided.find(fingerprint);
  return it == decided.end() ? "open" : it->second;
}

std::string assignee_of(const std::map<std::string, std::string>& assignees,
                        const std::string& fingerprint) {
  const auto it = assignees.find(fingerprint);
  return it == assignees.end() ? std::string() : it->second;
}

FindingList filter_findings(const std::vector<FindingRecord>& all,
                            const std::map<std::string, std::string>& decided,
                            const std::map<std::string, std::string>& first_seen,
                            const std::map<std::string, std::string>& assignees,
                            const FindingFilter& filter) {
  FindingList out;
  for (const auto& f : all) {
    std::string status = status_in(decided, f.fingerprint);
    if ((!filter.severity.empty() && f.severity != filter.severity) ||
        (!filter.category.empty() && f.category != filter.category) ||
        (!filter.rule.empty() && f.rule != filter.rule) ||
        (!filter.status.empty() && status != filter.status)) {
      continue;
    }
    if (!filter.entity.empty() &&
        std::none_of(f.entities.begin(), f.entities.end(),
                     [&](const auto& e) { return e.first == filter.entity; })) {
      continue;
    }
    const auto assigned = assignees.find(f.fingerprint);
    std::string assignee = assigned == assignees.end() ? std::string() : assigned->second;
    if (!filter.assignee.empty() && assignee != filter.assignee) continue;
    const auto seen = first_seen.find(f.fingerprint);
    std::string seen_at = seen == first_seen.end() ? std::string() : seen->second;
    // "2025-06-01T10:00:00Z" >= "2025-06-01": seen on or after the day.
    if (!filter.since.empty() && seen_at < filter.since) continue;
    ++out.by_severity[f.severity];
    ++out.by_status[status];
    out.shown.push_back({f, std::move(status), std::move(seen_at), std::move(assignee)});
  }
  return out;
}

}  // namespace twinscan::server
