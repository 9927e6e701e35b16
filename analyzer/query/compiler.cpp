// compile_query: the order of a compilation. Patterns and WHERE clauses, then the
// extra expressions, then RETURN, each in the scope of the variables bound so far;
// when no error was found, the plan (see planner.h, with selectivity sampled by
// PlanSampler). The work is the SemanticChecker's (names, the schema, messages), the
// PatternCompiler's and the ExpressionCompiler's.
#include <algorithm>
#include <deque>
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

const char* clause_name(Clause::Kind kind) {
  switch (kind) {
    case Clause::Kind::kOptionalMatch:
      return "OPTIONAL MATCH";
    case Clause::Kind::kUnwind:
      return "UNWIND";
    case Clause::Kind::kWith:
      return "WITH";
    case Clause::Kind::kMatch:
      break;
  }
  return "MATCH after WITH, UNWIND or OPTIONAL MATCH";
}

void compile_clauses(const Query& query, const CompileOptions& options, SemanticChecker& checker,
                     PatternCompiler& patterns, ExpressionCompiler& expressions,
                     CompiledQuery& out) {
  // Each clause after the leading MATCH clauses sees the scope before it as enclosing
  // (its variables are bound when it runs); WITH starts afresh with its own names.
  std::deque<Scope> scopes(1);
  int clause = 0;
  for (const auto& match : query.matches) {
    for (const auto& pattern : match.patterns)
      patterns.compile(pattern, scopes.back(), out.plan, clause);
    if (match.where) expressions.add_conjuncts(*match.where, scopes.back(), out.plan);
    ++clause;
  }
  if (!query.clauses.empty() && !options.allow_return) {
    checker.error(query.clauses.front().span,
                  std::string("a rule's match is MATCH clauses only; ") +
                      clause_name(query.clauses.front().kind) + " is for twinscan query");
    return;
  }
  for (const auto& c : query.clauses) {
    Stage stage;
    stage.kind = c.kind;
    stage.first_slot = static_cast<Slot>(out.variables.size());
    Scope& before = scopes.back();
    switch (c.kind) {
      case Clause::Kind::kMatch:
      case Clause::Kind::kOptionalMatch: {
        scopes.push_back(Scope{&before, {}});
        for (const auto& pattern : c.match.patterns)
          patterns.compile(pattern, scopes.back(), stage.plan, clause);
        if (c.match.where) expressions.add_conjuncts(*c.match.where, scopes.back(), stage.plan);
        // An entity bound before, null after an OPTIONAL MATCH that found nothing,
        // matches nothing.
        std::vector<Slot> outer = stage.plan.pattern_outer_slots;
        std::sort(outer.begin(), outer.end());
        outer.erase(std::unique(outer.begin(), outer.end()), outer.end());
        for (Slot s : outer) PatternCompiler::add_entity_check(s, stage.plan);
        for (auto s = stage.first_slot; s < static_cast<Slot>(out.variables.size()); ++s)
          stage.slots.push_back(s);
        ++clause;
        break;
      }
      case Clause::Kind::kUnwind: {
        stage.expr = expressions.compile(*c.list, before);
        checker.check_unbound(before, c.variable, c.variable_span);
        scopes.push_back(Scope{&before, {}});
        const Slot slot = checker.declare(c.variable, VariableKind::kValue);
        scopes.back().names[c.variable] = slot;
        stage.slots.push_back(slot);
        break;
      }
      case Clause::Kind::kWith: {
        Scope next;
        expressions.compile_with(c, before, next, stage);
        scopes.push_back(std::move(next));
        break;
      }
    }
    out.stages.push_back(std::move(stage));
  }
  Scope& scope = scopes.back();
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

// Whether a projection keeps only distinct rows, so that it cannot tell a walk matched
// once per far end from one matched once per path: DISTINCT, or aggregates that read a
// set (count(DISTINCT …), collect(DISTINCT …), min, max) grouped by keys, which are a set.
bool is_a_set(const CompiledReturn& r) {
  if (r.aggregates.empty()) return r.distinct;
  return std::all_of(r.aggregates.begin(), r.aggregates.end(), [](const AggregateSpec& a) {
    return (a.distinct && !a.star) || a.kind == Aggregate::kMin || a.kind == Aggregate::kMax;
  });
}

// Whether the first projection the rows of stage `from` on reach (the next WITH, else
// RETURN) is a set.
bool next_projection_is_a_set(const CompiledQuery& out, std::size_t from) {
  for (std::size_t i = from; i < out.stages.size(); ++i) {
    if (out.stages[i].kind == Clause::Kind::kWith) return is_a_set(out.stages[i].projection);
  }
  return out.returns && is_a_set(*out.returns);
}

void plan(const model::Graph& graph, const CompileOptions& options, CompiledQuery& out) {
  if (options.distinct_matches || next_projection_is_a_set(out, 0)) mark_endpoint_walks(out.plan);
  std::vector<bool> bound(out.variables.size(), false);
  for (Slot s : options.prebound_slots) {
    if (s >= 0 && static_cast<std::size_t>(s) < bound.size()) bound[s] = true;
  }
  const PlanSampler sampler(graph, out);
  const auto sample = [&sampler](const CompiledExpr& condition, Slot slot, model::KindMask kinds) {
    return sampler.fraction(condition, slot, kinds);
  };
  plan_subplan(out.plan, graph, out.variables, std::move(bound), sample);
  // A later MATCH runs with everything before it bound.
  for (auto& stage : out.stages) {
    if (stage.kind != Clause::Kind::kMatch && stage.kind != Clause::Kind::kOptionalMatch) continue;
    const auto next = static_cast<std::size_t>(&stage - out.stages.data()) + 1;
    if (next_projection_is_a_set(out, next)) mark_endpoint_walks(stage.plan);
    std::vector<bool> before(out.variables.size(), false);
    for (Slot s = 0; s < stage.first_slot; ++s) before[static_cast<std::size_t>(s)] = true;
    plan_subplan(stage.plan, graph, out.variables, std::move(before), sample);
  }
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
