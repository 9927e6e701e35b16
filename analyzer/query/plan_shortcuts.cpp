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

namespace {

// A plain property read of an entity that an equality compares as written and that
// reads a text of the graph's pool: not `id`, which also equals the other ids of a merged
// entity (Evaluator::answers_to_id), nor `kind`, a text of the schema.
bool is_text_property(const CompiledExpr& e) {
  return e.op == CompiledExpr::Op::kProperty && e.children[0]->op == CompiledExpr::Op::kSlot &&
         e.builtin_key != CompiledExpr::BuiltinKey::kId &&
         e.builtin_key != CompiledExpr::BuiltinKey::kKind && e.key_text != "id";
}

}  // namespace

// The answer for one outer entity depends on the outer property only through the
// equality; the set of values its inner side takes over the other conditions' matches
// answers for every value of the property. Only where each match is cheap to go on
// past, since the collection does not stop at the first match: every step walks from
// what is bound (walks matched once per far end, single relations), none scans or looks
// entities up (a look-up may be driven by the equality's outer side, which the collection
// does not fix), and one plan is run (no second start).
void plan_value_key(SubPlan& plan) {
  if (plan.memo_slots.size() != 1 || plan.memo_properties.size() != 1 ||
      !plan.steps_from_other_end.empty() || plan.steps.empty() ||
      plan.steps.front().kind != Step::Kind::kExpand ||
      plan.steps.front().from != plan.memo_slots.front()) {
    return;
  }
  const bool walks_only = std::all_of(plan.steps.begin(), plan.steps.end(), [](const Step& step) {
    return step.kind == Step::Kind::kExpand || step.kind == Step::Kind::kFilter ||
           step.kind == Step::Kind::kPath;
  });
  const bool cheap_walks = std::all_of(plan.edges.begin(), plan.edges.end(), [](const auto& e) {
    return e.shortest == Shortest::kNone && (!e.variable_length || e.endpoints_only);
  });
  if (!walks_only || !cheap_walks) return;
  const CompiledExpr* outer = plan.memo_properties.front();
  if (!is_text_property(*outer)) return;
  auto local = [&](Slot s) {
    return std::find(plan.node_slots.begin(), plan.node_slots.end(), s) != plan.node_slots.end() &&
           std::find(plan.outer_slots.begin(), plan.outer_slots.end(), s) == plan.outer_slots.end();
  };
  for (const auto& conjunct : plan.conjuncts) {
    const CompiledExpr& c = *conjunct;
    if (c.op != CompiledExpr::Op::kBinary || c.binary_op != BinaryOp::kEq) continue;
    for (int side = 0; side < 2; ++side) {
      const CompiledExpr& inner = *c.children[side];
      if (c.children[1 - side].get() != outer || !is_text_property(inner) ||
          !local(inner.children[0]->slot)) {
        continue;
      }
      std::vector<Step> steps = plan.steps;
      const auto at = std::find_if(steps.begin(), steps.end(), [&](const Step& step) {
        return step.kind == Step::Kind::kFilter && step.filter == &c;
      });
      if (at == steps.end()) return;  // the equality drives a step (an index look-up)
      at->kind = Step::Kind::kCollect;
      at->filter = &inner;
      at->remembered_by = kNoSlot;
      plan.value_conjunct = &c;
      plan.steps_collecting_values = std::move(steps);
      return;
    }
  }
}

}  // namespace twinscan::query
