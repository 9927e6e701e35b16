#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/rules/finding_bindings.h"
#include "analyzer/rules/rule.h"

namespace twinscan::rules {

class WorkBoard;

/// One finding: a rule matched, with the entities and relations that show it.
// The members are ordered so that the small ones share one word at the end: a catalogue
// scan holds hundreds of thousands of findings, and moves each once to join them.
struct Finding {
  const Rule* rule = nullptr;
  /// The rule's category and title: views of the rule's own texts, or of lasting texts
  /// (util::lasting_text), as every finding of a rule has the same ones. They live as
  /// long as the rule, which `rule` points at too.
  std::string_view category;
  std::string_view title;
  std::string message;
  std::string fingerprint;  ///< Stable: the rule id and the bound entities' ids, hashed.
  /// Named variables of the rule's match and the ids they bound, sorted by name.
  FindingBindings bindings;
  std::vector<model::VertexId> entities;     ///< Every entity of the evidence, paths included.
  std::vector<model::RelationId> relations;  ///< Every relation of the evidence.
  Severity severity = Severity::kMedium;
  bool cannot_judge = false;  ///< The registry lacks the data the rule needs.
  /// The rule ran out of its budget or deadline: it stands for the findings not found.
  bool incomplete = false;
};

/// Orders findings for reports: severity (worst first), then rule id, then bindings.
bool finding_order(const Finding& a, const Finding& b);

/// Sorts `findings` by finding_order, keeping the order of equal ones (as
/// std::stable_sort would), without comparing or moving the findings themselves: each
/// gets a sort key (severity, the rank of its rule's id, its bindings encoded in one
/// buffer so that bytewise order is finding_order's), the keys are sorted, and the
/// findings are moved once into place. With a board and many findings, the two halves
/// are keyed and sorted on the board's threads, then merged.
void sort_findings(std::vector<Finding>& findings, WorkBoard* board = nullptr);

/// Findings from which sort_findings() shares its work on a board.
inline constexpr std::size_t kParallelSortFindings = 16'384;

/// The fingerprint of a rule's finding over the given ids: 16 hex digits of FNV-1a
/// (64-bit) over "rule-id" and the sorted ids, one per line.
std::string fingerprint_of(const std::string& rule_id, std::vector<std::string> ids);
/// The same over views of the ids.
std::string fingerprint_of_views(const std::string& rule_id, std::vector<std::string_view> ids);

}  // namespace twinscan::rules
