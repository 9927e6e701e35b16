#include "analyzer/query/relation_conditions.h"

#include <string_view>

#include "analyzer/query/functions.h"
#include "analyzer/query/planner.h"

namespace twinscan::query {
namespace {

// Whether `e` can be evaluated on one relation alone, as the walk meets it: no
// subquery (a walk within a walk) and no aggregate.
bool evaluable_alone(const CompiledExpr& e) {
  if (e.op == CompiledExpr::Op::kExists || e.op == CompiledExpr::Op::kAggregate) return false;
  for (const auto& c : e.children) {
    if (c && !evaluable_alone(*c)) return false;
  }
  return true;
}

// The edges whose relations `list` lists, all of them: a named path's, or a
// variable-length edge's relation list. Empty when it is anything else.
std::vector<int> edges_listed(const SubPlan& plan, const CompiledExpr& list) {
  if (list.op == CompiledExpr::Op::kCall && list.function != nullptr &&
      std::string_view(list.function->name) == "relationships" && list.children.size() == 1 &&
      list.children[0]->op == CompiledExpr::Op::kSlot) {
    for (const PathBinding& path : plan.paths) {
      if (path.slot == list.children[0]->slot) return path.edges;
    }
    return {};
  }
  if (list.op == CompiledExpr::Op::kSlot) {
    for (std::size_t i = 0; i < plan.edges.size(); ++i) {
      const PatternEdge& edge = plan.edges[i];
      if (edge.variable_length && edge.relation == list.slot) return {static_cast<int>(i)};
    }
  }
  return {};
}

}  // namespace

void push_relation_conditions(SubPlan& plan) {
  for (PatternEdge& edge : plan.edges) edge.relation_conditions.clear();
  for (const auto& conjunct : plan.conjuncts) {
    const CompiledExpr& c = *conjunct;
    if (c.op != CompiledExpr::Op::kQuantifier || c.quantifier != CompiledExpr::Quantifier::kAll ||
        c.children.size() != 2 || !c.children[0] || !c.children[1]) {
      continue;
    }
    const CompiledExpr& condition = *c.children[1];
    std::vector<Slot> reads;
    collect_free_slots(condition, reads);
    if (!(reads.empty() || (reads.size() == 1 && reads[0] == c.slot))) continue;
    if (!evaluable_alone(condition)) continue;
    for (const int e : edges_listed(plan, *c.children[0])) {
      PatternEdge& edge = plan.edges[static_cast<std::size_t>(e)];
      // A shortest path is the shortest of all walks, not of those that pass: leaving
      // relations out would find a longer one that the query does not ask for.
      if (edge.shortest != Shortest::kNone) continue;
      edge.relation_conditions.push_back({c.slot, &condition, c.span});
    }
  }
}

}  // namespace twinscan::query
