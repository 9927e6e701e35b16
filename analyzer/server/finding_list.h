#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/server/finding_index.h"
#include "analyzer/server/http_types.h"

/// The findings list that the Findings page and GET /api/findings both show: one filter,
/// one status per finding, one set of counts, so the page and the API cannot disagree.
namespace twinscan::server {

/// The filters of the findings list, as the page's form and the API's query string give
/// them; an empty filter keeps every finding.
struct FindingFilter {
  std::string severity;
  std::string category;
  std::string rule;
  std::string status;    ///< open, in-progress, confirmed, dismissed or suppressed
  std::string entity;    ///< an entity id among the finding's evidence
  std::string since;     ///< YYYY-MM-DD: first seen by the desk on or after that day
  std::string assignee;  ///< a user name ("me" is resolved by the caller to the session's)
  std::string found_by;  ///< "registry" (the scan at start) or "screening"; empty: both

  [[nodiscard]] static FindingFilter of(const HttpRequest& request);
  /// Empty when every filter given is one the list knows (a severity, a status, a date
  /// written YYYY-MM-DD), else a sentence saying what is wrong: an unknown value would
  /// otherwise show an empty list as if nothing matched.
  [[nodiscard]] std::string problem() const;
};

/// A finding that passes the filter, with the status it shows and when the desk first saw
/// it ("" when never recorded).
struct ListedFinding {
  FindingRecord record;
  std::string status;
  std::string first_seen;
  std::string assignee;  ///< "" when nobody is assigned
};

struct FindingList {
  std::vector<ListedFinding> shown;
  std::map<std::string, int> by_severity;
  std::map<std::string, int> by_status;
};

/// The status a finding shows, from the statuses of the decided ones (DeskApp::
/// decided_statuses): "open" when it has none.
std::string status_in(const std::map<std::string, std::string>& decided,
                      const std::string& fingerprint);

/// The current assignee of a finding (DeskStore::current_assignees); empty when nobody.
std::string assignee_of(const std::map<std::string, std::string>& assignees,
                        const std::string& fingerprint);

/// The findings of `all` that pass `filter`, in their order, with their counts;
/// `assignees` are the current assignees by fingerprint (DeskStore::current_assignees).
FindingList filter_findings(const std::vector<FindingRecord>& all,
                            const std::map<std::string, std::string>& decided,
                            const std::map<std::string, std::string>& first_seen,
                            const std::map<std::string, std::string>& assignees,
                            const FindingFilter& filter);

}  // namespace twinscan::server
