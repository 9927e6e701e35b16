// Expression evaluation: a compiled expression over the current frame, with Cypher's
// three-valued logic, and notes of the comparisons a partial date leaves open. Pattern
// matching is the Matcher's; the one way back to it is EXISTS.
#pragma once

#include <vector>

#include "analyzer/query/functions.h"
#include "analyzer/query/imprecision.h"
#include "analyzer/query/plan.h"
#include "analyzer/query/value.h"

namespace twinscan::query {

class Matcher;

/// Evaluates compiled expressions over a frame of slot values that the matcher (or a
/// caller) binds.
class Evaluator {
 public:
  Evaluator(const model::Graph& graph, FunctionContext context, std::vector<Value>& frame);

  /// The matcher that answers EXISTS subqueries; without one, EXISTS cannot be evaluated.
  /// Its budget is the one functions count their walks against.
  void set_matcher(Matcher* matcher);

  /// Evaluates an expression over the current frame.
  Value evaluate(const CompiledExpr& expr);
  /// True only when the expression evaluates to true (null and false fail).
  bool holds(const CompiledExpr& expr) {
    const Value v = evaluate(expr);
    return v.type == Type::kBool && v.boolean;
  }

  /// Aggregate values the projection substitutes for kAggregate nodes.
  void set_aggregates(const std::vector<Value>* values) { aggregates_ = values; }
  [[nodiscard]] const FunctionContext& context() const { return context_; }

  /// The comparisons left open by date imprecision in the evaluations since the caller
  /// last cleared it: the matcher moves them onto the match being built.
  std::vector<Imprecision>& pending() { return pending_; }

 private:
  Value evaluate_binary(const CompiledExpr& expr);
  Value evaluate_property(const CompiledExpr& expr);
  /// `a IN b`, b a list (or null).
  Value evaluate_in(const CompiledExpr& expr, const Value& a, const Value& b);
  bool answers_to_id(const CompiledExpr& expr, const Value& a, const Value& b);
  Value evaluate_quantifier(const CompiledExpr& expr);
  Value evaluate_comprehension(const CompiledExpr& expr, const Value& list);
  Value evaluate_case(const CompiledExpr& expr);
  void note_imprecision(const CompiledExpr& condition, const Value& left, const Value& right);
  void collect_dates(const CompiledExpr& e, std::vector<Imprecision::DateRead>& out);

  const model::Graph& graph_;
  FunctionContext context_;
  std::vector<Value>& frame_;
  Matcher* matcher_ = nullptr;
  const std::vector<Value>* aggregates_ = nullptr;
  std::vector<Imprecision> pending_;
  FunctionMemo memo_;
};

}  // namespace twinscan::query
