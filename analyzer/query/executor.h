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

/// Why a condition came out unknown because of date imprecision: a comparison that is
/// true for some of the days a partial date may mean and false for others.
struct Imprecision {
  /// A partial date the comparison read: the entity or relation, the property, the date.
  struct DateRead {
    Value holder;
    std::string key;
    model::Date date;
  };
  /// Where the comparison (or IN) left open and its operands are written in the query:
  /// spans, not pointers, so that a note outlives the compilation that made it (every
  /// compilation of one text has the same spans).
  SourceSpan condition;
  SourceSpan left_span;
  SourceSpan right_span;
  Value left;  ///< Its operands' values.
  Value right;
  std::vector<DateRead> dates;  ///< The partial dates its operands read (data, not literals).
};

/// Runs a compiled query's plan over a graph: depth-first, one step at a time, with
/// conditions checked as soon as their variables are bound.
class Executor {
 public:
  Executor(const model::Graph& graph, const CompiledQuery& query, FunctionContext context,
           ExecutionLimits limits = {});

  /// Every match of the pattern. Returns false when the callback stopped the run.
  bool match(const MatchCallback& callback);
  /// Every match, and besides every undecided match: one whose WHERE is unknown only
  /// because of date imprecision (each condition true or unknown-by-imprecision, at
  /// least one unknown). During `undecided`, imprecisions() tells why.
  bool match(const MatchCallback& callback, const MatchCallback& undecided);
  /// The comparisons left open along the undecided match being reported.
  [[nodiscard]] const std::vector<Imprecision>& imprecisions() const { return open_notes_; }
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
  /// 1 when a match exists, 0 when none does, kImprecise when none is sure but some
  /// match is undecided because of date imprecision.
  int exists(const SubPlan& plan);
  void note_imprecision(const CompiledExpr& condition, const Value& left, const Value& right);
  void collect_dates(const CompiledExpr& e, std::vector<Imprecision::DateRead>& out);

  const model::Graph& graph_;
  const CompiledQuery& query_;
  FunctionContext context_;
  ExecutionLimits limits_;
  std::vector<Value> frame_;
  const std::vector<Value>* aggregates_ = nullptr;
  struct ExistsAnswer {
    int answer = 0;                ///< 1, 0 or kImprecise.
    std::vector<Imprecision> why;  ///< kImprecise: what left it open.
  };
  /// EXISTS answers by subquery and by the outer entities and relations it read.
  std::unordered_map<const SubPlan*, std::unordered_map<std::string, ExistsAnswer>> exists_cache_;
  /// Undecided matches: where they go (null: conditions unknown by imprecision fail as
  /// any unknown does), how many such conditions are open on the current path, and why.
  const MatchCallback* undecided_ = nullptr;
  int open_ = 0;
  std::vector<Imprecision> open_notes_;
  std::vector<Imprecision> pending_;  ///< Comparisons left open by the current evaluation.
  std::uint64_t expansions_ = 0;
  std::uint64_t next_clock_check_ = 0;
  std::chrono::steady_clock::time_point started_;
  model::Sym location_key_ = 0;
  bool has_location_key_ = false;
};

}  // namespace twinscan::query
