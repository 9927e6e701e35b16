#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
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

/// The evidence of one binding set's matches, gathered as the search finds them, so that
/// its finding need not search for them again. It stands for the finding's evidence only
/// while `complete`: every match of the set's bindings was added, and no more than
/// FindingsBuilder::kMaxEvidenceMatches of them (beyond that, which ones a finding lists
/// depends on the order of the walk, which the evidence search decides).
struct GatheredEvidence {
  std::vector<model::VertexId> entities;
  std::vector<model::RelationId> relations;
  /// Per match, the two ends of each walk the search matched once per far end
  /// (EvidencePlan::end_walks, in order): a finding lists those walks' paths from them.
  std::vector<model::VertexId> walk_ends;
  std::size_t matches = 0;
  bool complete = true;

  /// Adds the entities and relations of one match of the set (a frame of `rule`), and
  /// the ends of its walks `end_walks` (indexes into the plan's edges).
  void add(const CompiledRule& rule, const std::vector<query::Value>& frame,
           const std::vector<int>& end_walks);
  /// Adds what another part of a split search gathered for the same bindings.
  void merge(GatheredEvidence&& other);
  /// Gives up: the finding's evidence will be searched for.
  void drop();

 private:
  void compact();
  std::size_t compacted_ = 0;  ///< Entities and relations held after the last compact().
};

/// Whether a rule's search gathers the evidence of its findings, and how.
struct EvidencePlan {
  /// The search of the rule (RuleQueryUse::kFindBindings) sees every match the evidence
  /// search would, and the message reads the bindings only: a finding can be built from
  /// the GatheredEvidence of its set.
  bool gathers = false;
  /// Walks the search matches once per far end (PatternEdge::endpoints_only), as indexes
  /// into the plan's edges: their paths are evidence the search does not bind, listed
  /// for each finding from the ends the search found (FindingsBuilder::build).
  std::vector<int> end_walks;
};

/// The EvidencePlan of a rule compiled to find bindings (`main`) and to gather evidence
/// (`by_bindings`). Nothing is gathered when a placeholder reads more than the bindings,
/// when a later MATCH clause walks once per far end, or when such a walk's conditions
/// read more than the relation walked.
EvidencePlan plan_gathered_evidence(const CompiledRule& main, const CompiledRule& by_bindings);

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
  /// (RuleQueryUse::kGatherEvidence); `context` is what its functions read (the rule's
  /// search's, so that the message reads what the search found); `limits` bound every
  /// search the builder makes.
  FindingsBuilder(const model::Graph& graph, const Rule& rule, const CompiledRule& by_bindings,
                  const query::FunctionContext& context, const query::ExecutionLimits& limits,
                  const StableIds* stable_ids = nullptr);

  /// The finding of `bound`, in the order of the rule's bindings. Throws EvidenceError
  /// when no match rebuilds it, query::LimitExceeded when the budget runs out.
  Finding build(const std::vector<Bound>& bound);
  /// The finding of `bound` from the evidence its search gathered (complete), with the
  /// paths of the walks `end_walks` between the ends it recorded: the message is rendered
  /// from the bindings alone, which plan_gathered_evidence() allows. When those paths
  /// make more matches than kMaxEvidenceMatches, the finding is built by build(bound).
  Finding build(const std::vector<Bound>& bound, const GatheredEvidence& gathered,
                const std::vector<int>& end_walks);

  /// Relations walked so far, counting the limits' already_walked.
  [[nodiscard]] std::uint64_t walked() const { return executor_.expansions(); }

 private:
  /// A finding of the rule with `bound`'s bindings: what every finding of it shares.
  [[nodiscard]] Finding begin(const std::vector<Bound>& bound) const;
  /// The fingerprint of `f`, whose bindings are `bound`.
  [[nodiscard]] std::string fingerprint(const Finding& f, const std::vector<Bound>& bound) const;

  const model::Graph& graph_;
  const Rule& rule_;
  const CompiledRule& by_bindings_;
  const StableIds* stable_ids_;  // the ids fingerprints use for judged entities, or null
  // One executor serves every finding of the rule, so that what an EXISTS learnt for
  // one finding (whether the register covers a country, say) is not searched again.
  query::Executor executor_;
};

}  // namespace twinscan::rules
