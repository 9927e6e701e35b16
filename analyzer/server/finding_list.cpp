#include "analyzer/server/finding_list.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "analyzer/server/desk_app.h"

namespace twinscan::server {

FindingFilter FindingFilter::of(const HttpRequest& request) {
  return {request.param("severity"), request.param("category"), request.param("rule"),
          request.param("status"),   request.param("entity"),   request.param("since"),
          request.param("assignee"), request.param("found_by")};
}

std::string FindingFilter::problem() const {
  static constexpr std::array<std::string_view, 5> kSeverities = {"info", "low", "medium", "high",
                                                                  "critical"};
  static constexpr std::array<std::string_view, 5> kStatuses = {"open", "in-progress", "confirmed",
                                                                "dismissed", "suppressed"};
  const auto known = [](const auto& values, const std::string& v) {
    return v.empty() || std::find(values.begin(), values.end(), v) != values.end();
  };
  if (!known(kSeverities, severity))
    return "the severity is one of info, low, medium, high and critical, not '" + severity + "'";
  if (!known(kStatuses, status)) {
    return "the status is one of open, in-progress, confirmed, dismissed and suppressed, not '" +
           status + "'";
  }
  if (!found_by.empty() && found_by != "registry" && found_by != "screening") {
    return "\"found by\" is registry (the scan of the registry) or screening, not '" + found_by +
           "'";
  }
  if (!since.empty() && !DeskApp::is_since_date(since))
    return "\"new since\" is a date written YYYY-MM-DD, such as 2026-11-01";
  return {};
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
        (!filter.status.empty() && status != filter.status) ||
        (filter.found_by == "registry" && f.screening != 0) ||
        (filter.found_by == "screening" && f.screening == 0)) {
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
