#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/query/compiled_query.h"

namespace twinscan::query {

/// Bounds on one run, so that no query runs away.
struct ExecutionLimits {
  std::uint64_t max_expansions = 2'000'000'000;  ///< Relations walked, in total.
  std::chrono::milliseconds deadline{0};         ///< 0: none.
  /// Where the budget started, when several executors share one (a rule's searches and
  /// its evidence): the deadline counts from `started` and the walk count from
  /// `already_walked`. Unset: the executor's own construction, and zero.
  std::optional<std::chrono::steady_clock::time_point> started;
  std::uint64_t already_walked = 0;
};

/// Thrown when a run passes its budget or deadline.
struct LimitExceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Called with the frame of each complete match; return false to stop the run.
using MatchCallback = std::function<bool(const std::vector<Value>& frame)>;

/// Runs a compiled query's plan over a graph: depth-first, one step at a time, with
/// conditions checked as soon as their variables are bound.
class Executor {
 public:
  Executor(const model::Graph& graph, const CompiledQuery& query, FunctionContext context,
           ExecutionLimits limits = {});

  /// Every match of the pattern. Returns false when the callback stopped the run.
  bool match(const MatchCallback& callback);
  /// Every match in which the slots of `anchors` hold the given values (bound before
  /// planning `plan`, which must have been planned with those slots bound).
  bool match_plan(const SubPlan& plan, const MatchCallback& callback);

  /// Evaluates an expression over the current frame.
  Value evaluate(const CompiledExpr& expr);
  /// True only when the expression evaluates to true (null and false fail).
  bool holds(const CompiledExpr& expr) {
    const Value v = evaluate(expr);
    return v.type == Type::kBool && v.boolean;
  }

  std::vector<Value>& frame() { return frame_; }
  /// Aggregate values the projection substitutes for kAggregate nodes.
  void set_aggregates(const std::vector<Value>* values) { aggregates_ = values; }
  [[nodiscard]] std::uint64_t expansions() const { return expansions_; }
  [[nodiscard]] const FunctionContext& context() const { return context_; }

 private:
  bool run(const SubPlan& plan, std::size_t step, const MatchCallback& callback);
  bool expand(const SubPlan& plan, std::size_t step, const MatchCallback& callback);
  bool expand_variable(const SubPlan& plan, std::size_t step, const MatchCallback& callback);
  bool expand_reach(const SubPlan& plan, std::size_t step, const MatchCallback& callback);
  // `flipped`: the walk goes from the step's bound target back to its source.
  bool walk(const SubPlan& plan, std::size_t step, const PatternEdge& edge, Direction d,
            model::VertexId at, PathData& walked, bool flipped, const MatchCallback& callback);
  bool bind_segment_end(const SubPlan& plan, std::size_t step, const PatternEdge& edge,
                        const PathData& walked, bool flipped, const MatchCallback& callback);
  bool relation_ok(const SubPlan& plan, const PatternEdge& edge, model::RelationId r);
  bool relation_in_use(const SubPlan& plan, const PatternEdge& edge, model::RelationId r) const;
  void assemble_path(const SubPlan& plan, const PathBinding& path);
  bool location_of(const Value& v, model::GeoPoint& out) const;
  void tick();

  Value evaluate_binary(const CompiledExpr& expr);
  Value evaluate_property(const CompiledExpr& expr);
  Value evaluate_quantifier(const CompiledExpr& expr);
  bool exists(const SubPlan& plan);

  const model::Graph& graph_;
  const CompiledQuery& query_;
  FunctionContext context_;
  ExecutionLimits limits_;
  std::vector<Value> frame_;
  const std::vector<Value>* aggregates_ = nullptr;
  /// EXISTS answers by subquery and by the outer entities and relations it read.
  std::unordered_map<const SubPlan*, std::unordered_map<std::string, bool>> exists_cache_;
  std::uint64_t expansions_ = 0;
  std::uint64_t next_clock_check_ = 0;
  std::chrono::steady_clock::time_point started_;
  model::Sym location_key_ = 0;
  bool has_location_key_ = false;
};

}  // namespace twinscan::query
