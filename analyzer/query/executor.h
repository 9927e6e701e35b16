// The front of query execution that the rest of the analyzer uses: one frame shared by
// a Matcher (patterns) and an Evaluator (expressions), with the compiled query's plan.
#pragma once

#include <cstdint>
#include <vector>

#include "analyzer/query/budget.h"
#include "analyzer/query/compiled_query.h"
#include "analyzer/query/evaluator.h"
#include "analyzer/query/imprecision.h"
#include "analyzer/query/matcher.h"

namespace twinscan::query {

/// Runs a compiled query's plan over a graph: depth-first, one step at a time, with
/// conditions checked as soon as their variables are bound.
class Executor {
 public:
  Executor(const model::Graph& graph, const CompiledQuery& query, FunctionContext context,
           ExecutionLimits limits = {});
  // The matcher and the evaluator hold references to the frame.
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  /// Every match of the pattern. Returns false when the callback stopped the run.
  bool match(const MatchCallback& callback) { return matcher_.match(query_.plan, callback); }
  /// Every match, and besides every undecided match: one whose WHERE is unknown only
  /// because of date imprecision (each condition true or unknown-by-imprecision, at
  /// least one unknown). During `undecided`, imprecisions() tells why.
  bool match(const MatchCallback& callback, const MatchCallback& undecided) {
    return matcher_.match(query_.plan, callback, undecided);
  }
  /// How many start candidates the plan's first step scans (0: it cannot be split);
  /// see Matcher::start_candidates.
  [[nodiscard]] std::size_t start_candidates() const {
    return matcher_.start_candidates(query_.plan);
  }
  /// match(callback, undecided) over the start candidates [begin, end) only.
  bool match_range(std::size_t begin, std::size_t end, const MatchCallback& callback,
                   const MatchCallback& undecided) {
    return matcher_.match_range(query_.plan, begin, end, callback, undecided);
  }
  /// The comparisons left open along the undecided match being reported.
  [[nodiscard]] const std::vector<Imprecision>& imprecisions() const {
    return matcher_.imprecisions();
  }
  /// Every match in which the slots of `anchors` hold the given values (bound before
  /// planning `plan`, which must have been planned with those slots bound).
  bool match_plan(const SubPlan& plan, const MatchCallback& callback) {
    return matcher_.match(plan, callback);
  }

  /// Matcher::walks_between over this query's plan.
  bool walks_between(const PatternEdge& edge, model::VertexId from, model::VertexId to,
                     const std::function<bool(const PathData&)>& found) {
    return matcher_.walks_between(query_.plan, edge, from, to, found);
  }

  /// Evaluates an expression over the current frame.
  Value evaluate(const CompiledExpr& expr) { return evaluator_.evaluate(expr); }
  /// True only when the expression evaluates to true (null and false fail).
  bool holds(const CompiledExpr& expr) { return evaluator_.holds(expr); }

  std::vector<Value>& frame() { return frame_; }
  /// Aggregate values the projection substitutes for kAggregate nodes.
  void set_aggregates(const std::vector<Value>* values) { evaluator_.set_aggregates(values); }
  [[nodiscard]] std::uint64_t expansions() const { return matcher_.expansions(); }
  /// Counts one step of work that is not a relation walked (a row of UNWIND or WITH)
  /// against the budget, which also checks the deadline.
  void tick() { matcher_.tick(); }
  [[nodiscard]] const FunctionContext& context() const { return evaluator_.context(); }

 private:
  const CompiledQuery& query_;
  std::vector<Value> frame_;
  Evaluator evaluator_;
  Matcher matcher_;
};

}  // namespace twinscan::query
