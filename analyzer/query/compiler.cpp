// compile_query: the order of a compilation. Patterns and WHERE clauses, then the
// extra expressions, then RETURN, each in the scope of the variables bound so far;
// when no error was found, the plan (see planner.h, with selectivity sampled by
// PlanSampler). The work is the SemanticChecker's (names, the schema, messages), the
// PatternCompiler's and the ExpressionCompiler's.
#include <utility>

#include "analyzer/query/compiled_query.h"
#include "analyzer/query/expression_compiler.h"
#include "analyzer/query/pattern_compiler.h"
#include "analyzer/query/plan_sampler.h"
#include "analyzer/query/plan_shortcuts.h"
#include "analyzer/query/planner.h"
#include "analyzer/query/semantic_checker.h"

namespace twinscan::query {
namespace {

void compile_clauses(const Query& query, const CompileOptions& options, SemanticChecker& checker,
                     PatternCompiler& patterns, ExpressionCompiler& expressions,
                     CompiledQuery& out) {
  Scope scope;
  int clause = 0;
  for (const auto& match : query.matches) {
    for (const auto& pattern : match.patterns) patterns.compile(pattern, scope, out.plan, clause);
    if (match.where) expressions.add_conjuncts(*match.where, scope, out.plan);
    ++clause;
  }
  for (std::size_t i = 0; i < options.extra_expressions.size(); ++i) {
    checker.set_extra(static_cast<int>(i));
    out.extras.push_back(expressions.compile(*options.extra_expressions[i], scope));
  }
  checker.set_extra(-1);
  if (query.returns) {
    if (!options.allow_return) {
      checker.error(query.returns->span,
                    "a rule's match has no RETURN: its variables are the finding's "
                    "bindings");
    } else {
      expressions.compile_return(*query.returns, scope);
    }
  } else if (options.require_return) {
    checker.error({0, 0}, "the query has no RETURN clause; say what to show, e.g. RETURN m.name");
  }
}

void plan(const model::Graph& graph, const CompileOptions& options, CompiledQuery& out) {
  if (options.distinct_matches) mark_endpoint_walks(out.plan);
  std::vector<bool> bound(out.variables.size(), false);
  for (Slot s : options.prebound_slots) {
    if (s >= 0 && static_cast<std::size_t>(s) < bound.size()) bound[s] = true;
  }
  const PlanSampler sampler(graph, out);
  plan_subplan(out.plan, graph, out.variables, std::move(bound),
               [&sampler](const CompiledExpr& condition, Slot slot, model::KindMask kinds) {
                 return sampler.fraction(condition, slot, kinds);
               });
}

}  // namespace

CompiledQuery compile_query(const Query& query, const model::Graph& graph,
                            const Parameters& parameters, const CompileOptions& options) {
  CompiledQuery out;
  SemanticChecker checker(graph, parameters, out);
  ExpressionCompiler expressions(graph, checker, out);
  PatternCompiler patterns(graph, options, checker, expressions, out);
  expressions.set_pattern_compiler(&patterns);  // EXISTS holds patterns
  compile_clauses(query, options, checker, patterns, expressions, out);
  if (out.ok()) plan(graph, options, out);
  return out;
}

}  // namespace twinscan::query
