// Decides the shortcuts of plan_shortcuts.h by reading the compiled pattern: which walks
// nothing else can tell apart, and which outer values an EXISTS subquery reads.
#include "analyzer/query/plan_shortcuts.h"

#include <algorithm>
#include <functional>

namespace twinscan::query {

// Marks the variable-length relations that may be matched once per far end (see
// PatternEdge::endpoints_only): whether a simple path of at most max_hops reaches a
// vertex is whether it lies within max_hops, when the walk may be of length 1.
void mark_endpoint_walks(SubPlan& plan) {
  for (std::size_t i = 0; i < plan.edges.size(); ++i) {
    PatternEdge& edge = plan.edges[i];
    if (!edge.variable_length || edge.relation != kNoSlot || edge.types.empty() ||
        edge.min_hops > 1 || edge.shortest != Shortest::kNone) {
      continue;
    }
    const bool in_path = std::any_of(plan.paths.begin(), plan.paths.end(), [&](const auto& p) {
      return std::find(p.edges.begin(), p.edges.end(), static_cast<int>(i)) != p.edges.end();
    });
    // Relations are unique within a clause: another element that could hold one of
    // the walk's relations would make the choice of path matter.
    const bool shares_kinds = std::any_of(plan.edges.begin(), plan.edges.end(), [&](const auto& o) {
      if (&o == &edge || o.clause != edge.clause) return false;
      if (o.types.empty()) return true;
      return std::any_of(o.types.begin(), o.types.end(), [&](model::RelKindId t) {
        return std::find(edge.types.begin(), edge.types.end(), t) != edge.types.end();
      });
    });
    edge.endpoints_only = !in_path && !shares_kinds;
  }
}

// Works out what an EXISTS answer depends on: an outer slot read only through its
// properties contributes those property values, any other use the entity itself.
void plan_memo(SubPlan& plan) {
  std::vector<Slot> whole = plan.pattern_outer_slots;
  std::vector<const CompiledExpr*> properties;
  auto is_outer = [&](Slot s) {
    return std::find(plan.outer_slots.begin(), plan.outer_slots.end(), s) != plan.outer_slots.end();
  };
  std::function<void(const CompiledExpr&)> visit = [&](const CompiledExpr& e) {
    if (e.op == CompiledExpr::Op::kProperty && e.children[0]->op == CompiledExpr::Op::kSlot &&
        is_outer(e.children[0]->slot)) {
      properties.push_back(&e);
      return;
    }
    if (e.op == CompiledExpr::Op::kSlot && is_outer(e.slot)) whole.push_back(e.slot);
    if (e.op == CompiledExpr::Op::kExists) {
      for (Slot s : e.exists->outer_slots) {
        if (is_outer(s)) whole.push_back(s);
      }
    }
    for (const auto& child : e.children) {
      if (child) visit(*child);
    }
  };
  for (const auto& conjunct : plan.conjuncts) visit(*conjunct);
  for (const auto& edge : plan.edges) {
    for (const auto& f : edge.property_filters) visit(*f);
  }
  std::sort(whole.begin(), whole.end());
  whole.erase(std::unique(whole.begin(), whole.end()), whole.end());
  for (const CompiledExpr* p : properties) {
    if (!std::binary_search(whole.begin(), whole.end(), p->children[0]->slot)) {
      plan.memo_properties.push_back(p);
    }
  }
  plan.memo_slots = std::move(whole);
}

}  // namespace twinscan::query
