#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/rules/finding.h"
#include "analyzer/rules/finding_list.h"

namespace twinscan::report {

/// Whether a finding is new since the baseline report, or was there already.
enum class BaselineState { kNone, kNew, kUnchanged };

/// A finding of the baseline that the current run no longer reports.
struct ResolvedFinding {
  std::string fingerprint;
  std::string rule;
  std::string severity;
  std::string message;
};

/// A finding a reviewer set aside, with the reason.
struct SuppressedFinding {
  rules::Finding finding;
  std::string justification;
  std::string author;
  std::string expires;
};

/// Everything a report shows; each format of the format table (format_table.h) writes it.
struct ReportContext {
  const model::Graph* graph = nullptr;
  const std::vector<rules::Rule>* rules = nullptr;
  rules::FindingList findings;
  std::vector<BaselineState> baseline;  ///< Per finding; empty without --baseline.
  std::vector<ResolvedFinding> resolved;
  std::vector<SuppressedFinding> suppressed;
  std::optional<std::string> verdict;  ///< screen only: clear, review or escalate.
  std::string as_of;
  /// The home country's two-letter code (what "foreign" means); empty when not known.
  std::string home_country;
  std::string title = "Twinscan report";
  /// Threads a report may render findings on (the command's --jobs).
  unsigned jobs = 1;
};

/// "a (id) -[KIND]-> b (id)" for a relation, with entity names, for evidence lines;
/// unescaped (a text report escapes it before printing).
std::string describe_relation(const model::Graph& graph, model::RelationId r);

/// "France (FR)" for a known code, "XX" for a code without a name, "" when none is set.
std::string home_country_label(const std::string& code);

}  // namespace twinscan::report
