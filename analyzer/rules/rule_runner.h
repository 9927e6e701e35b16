#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/query/executor.h"
#include "analyzer/rules/compiled_rule.h"
#include "analyzer/rules/finding.h"
#include "analyzer/rules/findings_builder.h"
#include "analyzer/rules/found_sets.h"
#include "analyzer/rules/match_key.h"
#include "analyzer/rules/scan_options.h"
#include "analyzer/rules/work_board.h"
#include "analyzer/util/hash.h"

namespace twinscan::rules {

/// Evaluates one rule: finds the distinct binding sets, then builds each finding from
/// every match of its bindings (FindingsBuilder), so that a finding reads the same
/// however it was found. When the message reads the bindings only
/// (plan_gathered_evidence), the search gathers each set's evidence as it goes and the
/// finding is built from that (with the paths of walks it matched once per far end
/// listed between their ends), without searching again. One deadline and one walk budget cover all
/// of its searches.
class RuleRunner {
 public:
  RuleRunner(const model::Graph& graph, const Rule& rule, const ScanOptions& options,
             diag::Diagnostics& diagnostics);
  ~RuleRunner();

  /// Compiles the rule twice: to find binding sets, and to gather a finding's evidence.
  /// Returns false (problems reported) when it does not compile.
  bool compile();

  /// The rule compiled to find binding sets, whose plan screening anchors.
  [[nodiscard]] const CompiledRule& main() const { return *main_; }

  /// The rule compiled with its bound entities preset, which gathers a finding's evidence.
  [[nodiscard]] const CompiledRule& evidence_form() const { return *by_bindings_; }
  /// Whether and how the search gathers each set's evidence (plan_gathered_evidence).
  [[nodiscard]] const EvidencePlan& evidence_plan() const { return evidence_plan_; }
  /// The binding sets the searches found so far, in the order first found.
  [[nodiscard]] const FoundSets& found_sets() const { return seen_; }

  /// The rule compiled with `prebound` slots preset (screening's anchored forms);
  /// nothing when it does not compile (problems reported).
  std::shared_ptr<const CompiledRule> compile_anchored(const std::vector<query::Slot>& prebound);

  /// Records the binding set of every match of `plan_owner` run with `preset` bound.
  void collect(const CompiledRule& plan_owner,
               const std::vector<std::pair<query::Slot, model::VertexId>>& preset);

  /// The search of a scan: every match over the whole graph (collect(main(), {})).
  /// With a board, the candidates of the plan's first step (when it scans entities)
  /// are cut into consecutive chunks. The rule's own thread takes them in turn with one
  /// executor, whose remembered answers serve all of its chunks; a thread of the board
  /// that has no rule left to start joins in with an executor of its own, so that one
  /// long rule does not leave a core idle. The chunks' binding sets are joined in chunk
  /// order, so that the binding sets, their order and the findings are those of one
  /// thread. A chunk that meets the budget or deadline, or chunks that walked more in
  /// all than the budget leaves, make the search start again on one thread.
  void search_all(WorkBoard* board);
  /// Whether the last search_all() was split into chunks (and not started again).
  [[nodiscard]] bool split() const { return split_; }
  /// Chunks at most that search_all() cuts the start candidates into.
  static constexpr std::size_t kSearchChunks = 128;

  /// Runs `search` (calls of collect()), and when the rule's budget or deadline runs
  /// out, keeps what was found so far and remembers why the search stopped.
  template <typename F>
  void search(F&& f) {
    if (!stopped_.empty()) return;
    try {
      f();
    } catch (const query::LimitExceeded& e) {
      stopped_ = e.what();
    }
  }

  /// Turns each binding set into a finding; a rule that ran out of its budget adds one
  /// finding saying so, so that silence never stands for "nothing found". With
  /// `threads` above 1 and many binding sets, they are split into that many runs of
  /// consecutive sets, each built on a thread of its own with its own evidence
  /// executor, and the runs are joined in order: the findings and their order are
  /// those of one thread (a run that meets the budget or deadline makes the whole
  /// build start again on one thread, which stops where one thread stops).
  std::vector<Finding> findings(unsigned threads = 1);
  /// findings(), with the binding sets built in chunks on `board`'s threads (none: on
  /// this one). After a split search, a rule whose budget or deadline runs out while
  /// its findings are built starts again on one thread, search included, so that it
  /// stops where one thread stops.
  std::vector<Finding> findings(WorkBoard* board);

  /// Binding sets from which findings() uses more than one thread.
  static constexpr std::size_t kParallelFindings = 1024;

  /// The one finding of a rule that cannot judge the registry (main().cannot_judge).
  [[nodiscard]] Finding cannot_judge_finding() const;

 private:
  /// Records `match` (of `frame`) in `sets`, with its evidence when `gather`. Of
  /// symmetric matches (one set, other bindings), the one whose bindings read first
  /// stands for them all, and the set's evidence is searched for.
  void record_match(FoundSets& sets, const MatchKey& match, const std::vector<query::Value>& frame,
                    bool gather);
  /// Builds the finding of one set, from its gathered evidence when that is whole.
  Finding build_finding(FindingsBuilder& builder, const FoundSet& set) const;

  /// A binding set whose only matches are undecided because of date imprecision.
  struct Undecided {
    std::vector<Bound> bound;
    std::vector<query::Imprecision> why;
    Finding evidence;  ///< Its entities and relations.
  };

  [[nodiscard]] Finding incomplete_finding(std::size_t reported) const;
  /// findings() once, without starting again.
  std::vector<Finding> findings_once(WorkBoard* board);
  /// findings()' build in chunks on `board`; false when a chunk met a limit or the
  /// chunks walked more in all than the budget leaves.
  bool build_shared(std::vector<Finding>& out, WorkBoard& board);
  /// search_all()'s split search; false when it must start again on one thread.
  bool search_split(WorkBoard& board, std::size_t candidates);
  /// Forgets every binding set and the walk, for a search on one thread.
  void restart();
  [[nodiscard]] Finding undecided_finding(const Undecided& u) const;
  /// The rule's limits: one deadline and one walk budget for all of its searches.
  [[nodiscard]] query::ExecutionLimits limits() const;
  /// What the rule's searches (and its findings' messages) read besides the graph: the
  /// as-of date, the scan's reaches and ownership shares.
  [[nodiscard]] query::FunctionContext function_context() const;
  /// The rule compiled for the graph, from options_.compiled_rules when given.
  std::shared_ptr<const CompiledRule> compile_for(const std::vector<query::Slot>& prebound,
                                                  RuleQueryUse use);

  const model::Graph& graph_;
  const Rule& rule_;
  const ScanOptions& options_;
  diag::Diagnostics& diagnostics_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::uint64_t walked_ = 0;  ///< Relations walked by the searches so far.
  std::string stopped_;       ///< Why the rule's budget ran out, if it did.
  bool split_ = false;        ///< The search was split into chunks.
  std::shared_ptr<const CompiledRule> main_;
  std::shared_ptr<const CompiledRule> by_bindings_;
  std::unique_ptr<FindingsBuilder> builder_;  ///< Made for the first finding.
  /// Whether the search gathers the evidence of findings, which are then built from it.
  EvidencePlan evidence_plan_;
  /// A search anchored by screening saw only the matches through its anchors: the
  /// evidence of every finding is searched for.
  bool anchored_ = false;
  FoundSets seen_;
  std::unordered_map<std::vector<model::Sym>, Undecided, util::WordsHash> undecided_;
};

}  // namespace twinscan::rules
