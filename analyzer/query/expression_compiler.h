// Expression compilation: an Expr becomes a CompiledExpr with variables resolved to
// frame slots, property keys interned, functions looked up, constant regular expressions
// precompiled and aggregates numbered; WHERE becomes conjuncts and RETURN a
// CompiledReturn. Names are checked by the SemanticChecker; EXISTS subqueries are
// compiled by the PatternCompiler.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/query/compiled_query.h"
#include "analyzer/query/scope.h"
#include "analyzer/query/semantic_checker.h"

namespace twinscan::query {

class PatternCompiler;

class ExpressionCompiler {
 public:
  ExpressionCompiler(const model::Graph& graph, SemanticChecker& checker, CompiledQuery& out);

  /// The compiler of the patterns EXISTS subqueries hold.
  void set_pattern_compiler(PatternCompiler* patterns) { patterns_ = patterns; }

  /// Compiles an expression in `scope`; `in_return`: aggregates are allowed.
  CompiledExprPtr compile(const Expr& e, Scope& scope, bool in_return = false);
  /// Splits a WHERE at its top-level ANDs into the plan's conjuncts.
  void add_conjuncts(const Expr& where, Scope& scope, SubPlan& plan);
  /// Compiles RETURN (items, aggregates, ORDER BY, SKIP, LIMIT) into CompiledQuery::returns.
  void compile_return(const ReturnClause& ret, Scope& scope);
  /// Compiles WITH into `stage`: its items in `scope`, their names declared in `next`
  /// (the scope of the clauses after it), ORDER BY, SKIP, LIMIT and WHERE.
  void compile_with(const Clause& clause, Scope& scope, Scope& next, Stage& stage);

  /// Property access, checked against the schema when the object is a variable.
  CompiledExprPtr make_property(CompiledExprPtr object, const std::string& key, SourceSpan span);
  static CompiledExprPtr make_equality(CompiledExprPtr left, CompiledExprPtr right,
                                       SourceSpan span);

 private:
  CompiledExprPtr compile_call(const Expr& e, Scope& scope, bool in_return);
  CompiledReturn compile_items(const ReturnClause& ret, Scope& scope);
  /// ORDER BY, SKIP and LIMIT; `any_expression`: ORDER BY may read more than the
  /// columns even with aggregates or DISTINCT (WITH, whose `scope` holds its names only).
  void compile_order(const ReturnClause& ret, Scope& scope, bool any_expression, CompiledReturn& r);
  void compile_regex(CompiledExpr& c);
  std::int64_t constant_count(const Expr& e, Scope& scope, const char* what);

  const model::Graph& graph_;
  SemanticChecker& checker_;
  CompiledQuery& out_;
  PatternCompiler* patterns_ = nullptr;
  std::vector<AggregateSpec> aggregates_;  ///< Of RETURN, in the order met.
  bool in_aggregate_ = false;
};

}  // namespace twinscan::query
