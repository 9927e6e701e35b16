// Pattern compilation: MATCH patterns become a SubPlan's node slots, edges (relation
// kinds, hop bounds, property filters), named paths and property conjuncts; an EXISTS
// subquery becomes a SubPlan of its own, planned on the spot with the outer variables
// it reads bound. Names are checked by the SemanticChecker, values compiled by the
// ExpressionCompiler.
#pragma once

#include "analyzer/query/compiled_query.h"
#include "analyzer/query/expression_compiler.h"
#include "analyzer/query/scope.h"
#include "analyzer/query/semantic_checker.h"

namespace twinscan::query {

class PatternCompiler {
 public:
  PatternCompiler(const model::Graph& graph, const CompileOptions& options,
                  SemanticChecker& checker, ExpressionCompiler& expressions, CompiledQuery& out);

  /// Adds a path pattern of MATCH clause number `clause` (relations are unique within one
  /// clause) to `plan`, binding its variables in `scope`.
  void compile(const PathPattern& pattern, Scope& scope, SubPlan& plan, int clause);
  /// EXISTS { MATCH … WHERE … }: compiled and planned.
  CompiledExprPtr compile_exists(const Expr& e, Scope& scope);
  /// Makes `plan` match only when the variable in `slot`, bound before it runs, is an
  /// entity (not null, as after an OPTIONAL MATCH that found nothing).
  static void add_entity_check(Slot slot, SubPlan& plan) {
    add_kind_check(slot, ~model::KindMask{0}, {}, plan);
  }

 private:
  Slot bind_node(const NodePattern& node, Scope& scope, SubPlan& plan);
  static void add_kind_check(Slot slot, model::KindMask mask, SourceSpan span, SubPlan& plan);

  const model::Graph& graph_;
  const CompileOptions& options_;
  SemanticChecker& checker_;
  ExpressionCompiler& expressions_;
  CompiledQuery& out_;
  int exists_count_ = 0;
};

}  // namespace twinscan::query
