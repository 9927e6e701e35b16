#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "analyzer/model/date.h"
#include "analyzer/query/executor.h"
#include "analyzer/rules/compiled_rule.h"
#include "analyzer/rules/finding.h"
#include "analyzer/rules/match_key.h"

namespace twinscan::rules {

/// A fault of the engine, not of the input: a finding whose evidence cannot be rebuilt.
/// Commands report it as an internal error (exit 70) rather than print a hollow finding.
struct EvidenceError : std::logic_error {
  using std::logic_error::logic_error;
};

/// Adds every entity and relation a match holds (paths included) to the evidence.
void add_evidence(const CompiledRule& rule, const std::vector<query::Value>& frame,
                  Finding& finding);

/// Sorts a finding's evidence and drops what it holds twice.
void finish_evidence(Finding& finding);

/// Builds the finding of each binding set of one rule: runs the rule's evidence form
/// with the bound entities preset, renders the message from the first match, gathers
/// the evidence of every match of those bindings, up to kMaxEvidenceMatches of them (so
/// that a finding reads the same however it was found) and computes the fingerprint
/// users keep in baselines.
class FindingsBuilder {
 public:
  /// The matches of one binding set whose entities and relations a finding lists; the
  /// order of the walk is the graph's, so the same ones every time.
  static constexpr std::size_t kMaxEvidenceMatches = 10'000;

  /// `by_bindings` is the rule compiled with its bound entities preset
  /// (RuleQueryUse::kGatherEvidence); `limits` bound every search the builder makes.
  FindingsBuilder(const model::Graph& graph, const Rule& rule, const CompiledRule& by_bindings,
                  const model::Date& as_of, const query::ExecutionLimits& limits,
                  const StableIds* stable_ids = nullptr);

  /// The finding of `bound`, in the order of the rule's bindings. Throws EvidenceError
  /// when no match rebuilds it, query::LimitExceeded when the budget runs out.
  Finding build(const std::vector<Bound>& bound);

  /// Relations walked so far, counting the limits' already_walked.
  [[nodiscard]] std::uint64_t walked() const { return executor_.expansions(); }

 private:
  const model::Graph& graph_;
  const Rule& rule_;
  const CompiledRule& by_bindings_;
  const StableIds* stable_ids_;  // the ids fingerprints use for judged entities, or null
  // One executor serves every finding of the rule, so that what an EXISTS learnt for
  // one finding (whether the register covers a country, say) is not searched again.
  query::Executor executor_;
};

}  // namespace twinscan::rules
