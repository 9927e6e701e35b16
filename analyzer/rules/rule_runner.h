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
#include "analyzer/rules/match_key.h"
#include "analyzer/rules/scan_options.h"
#include "analyzer/util/hash.h"

namespace twinscan::rules {

/// Evaluates one rule: finds the distinct binding sets, then builds each finding from
/// every match of its bindings (FindingsBuilder), so that a finding reads the same
/// however it was found. One deadline and one walk budget cover all of its searches.
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

  /// The rule compiled with `prebound` slots preset (screening's anchored forms);
  /// nothing when it does not compile (problems reported).
  std::shared_ptr<const CompiledRule> compile_anchored(const std::vector<query::Slot>& prebound);

  /// Records the binding set of every match of `plan_owner` run with `preset` bound.
  void collect(const CompiledRule& plan_owner,
               const std::vector<std::pair<query::Slot, model::VertexId>>& preset);

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

  /// Binding sets from which findings() uses more than one thread.
  static constexpr std::size_t kParallelFindings = 1024;

  /// The one finding of a rule that cannot judge the registry (main().cannot_judge).
  [[nodiscard]] Finding cannot_judge_finding() const;

 private:
  /// A binding set whose only matches are undecided because of date imprecision.
  struct Undecided {
    std::vector<Bound> bound;
    std::vector<query::Imprecision> why;
    Finding evidence;  ///< Its entities and relations.
  };

  [[nodiscard]] Finding incomplete_finding(std::size_t reported) const;
  /// findings()' build on `threads` threads; false when a run met a limit.
  bool build_in_parallel(std::vector<Finding>& out, unsigned threads);
  [[nodiscard]] Finding undecided_finding(const Undecided& u) const;
  /// The rule's limits: one deadline and one walk budget for all of its searches.
  [[nodiscard]] query::ExecutionLimits limits() const;
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
  std::shared_ptr<const CompiledRule> main_;
  std::shared_ptr<const CompiledRule> by_bindings_;
  std::unique_ptr<FindingsBuilder> builder_;  ///< Made for the first finding.
  std::unordered_map<std::vector<model::Sym>, std::vector<Bound>, util::WordsHash> seen_;
  std::unordered_map<std::vector<model::Sym>, Undecided, util::WordsHash> undecided_;
};

}  // namespace twinscan::rules
