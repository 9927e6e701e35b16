// Compiles patterns. A node variable seen before is reused (its kinds narrowed, or
// checked by a condition when it belongs to an enclosing query); a variable-length
// relation gets hidden slots for the walked segment and the relation being checked;
// pattern properties become equalities. EXISTS subqueries are planned here, since
// only now are the outer variables they read known.
#include "analyzer/query/pattern_compiler.h"

#include <algorithm>
#include <utility>

#include "analyzer/query/plan_shortcuts.h"
#include "analyzer/query/planner.h"

namespace twinscan::query {
namespace {

using model::KindMask;

// True when `slot` belongs to an enclosing scope (an EXISTS subquery reading outer variables).
bool is_outer(Slot slot, const Scope& scope) {
  for (const auto& [name, s] : scope.names) {
    if (s == slot) return false;
  }
  return scope.parent != nullptr;
}

void note_outer(Slot slot, SubPlan& plan) {
  if (std::find(plan.outer_slots.begin(), plan.outer_slots.end(), slot) == plan.outer_slots.end()) {
    plan.outer_slots.push_back(slot);
  }
}

bool is_local_slot(const SubPlan& plan, Slot s) {
  for (const auto& edge : plan.edges) {
    if (edge.relation == s || edge.segment == s || edge.rel_cursor == s) return true;
  }
  for (const auto& path : plan.paths) {
    if (path.slot == s) return true;
  }
  return false;
}

std::vector<std::pair<std::string, Slot>> scope_names(const Scope& scope) {
  std::vector<std::pair<std::string, Slot>> out;
  for (const Scope* s = &scope; s != nullptr; s = s->parent) {
    for (const auto& entry : s->names) out.emplace_back(entry);
  }
  return out;
}

Value kind_in_mask(const FunctionContext& ctx, std::span<const Value> args) {
  if (args[0].type != Type::kNode) return Value::of_bool(false);
  const auto mask = static_cast<KindMask>(args[1].integer);
  return Value::of_bool((mask >> ctx.graph.kind(args[0].node) & 1U) != 0);
}

const FunctionSpec& kind_check_function() {
  static const FunctionSpec kSpec{"<kind check>", 2, 2, Aggregate::kNone, kind_in_mask, "", ""};
  return kSpec;
}

// A reference to the variable in `slot`.
CompiledExprPtr slot_expr(Slot slot) {
  auto target = std::make_unique<CompiledExpr>();
  target->op = CompiledExpr::Op::kSlot;
  target->slot = slot;
  return target;
}

}  // namespace

PatternCompiler::PatternCompiler(const model::Graph& graph, const CompileOptions& options,
                                 SemanticChecker& checker, ExpressionCompiler& expressions,
                                 CompiledQuery& out)
    : graph_(graph), options_(options), checker_(checker), expressions_(expressions), out_(out) {}

void PatternCompiler::compile(const PathPattern& pattern, Scope& scope, SubPlan& plan, int clause) {
  PathBinding path;
  Slot left = bind_node(pattern.nodes[0], scope, plan);
  path.nodes.push_back(left);
  for (std::size_t i = 0; i < pattern.rels.size(); ++i) {
    const RelPattern& rel = pattern.rels[i];
    const Slot right = bind_node(pattern.nodes[i + 1], scope, plan);
    PatternEdge edge;
    edge.left = left;
    edge.right = right;
    edge.direction = rel.direction;
    edge.types = checker_.relation_kinds(rel);
    edge.variable_length = rel.variable_length;
    edge.min_hops = rel.variable_length ? rel.min_hops : 1;
    edge.max_hops = rel.variable_length
                        ? rel.max_hops.value_or(std::max(options_.default_max_hops, rel.min_hops))
                        : 1;
    edge.clause = clause;
    if (pattern.shortest != Shortest::kNone) {
      // A breadth-first search is as long as the graph is wide, whatever the bound: an
      // unbounded one goes as far as the graph does.
      edge.shortest = pattern.shortest;
      edge.variable_length = true;
      if (rel.variable_length && !rel.max_hops) edge.max_hops = UINT32_MAX;
      if (edge.min_hops > 1) {
        checker_.error(rel.span,
                       "a shortest path is searched with a minimum of 0 or 1 hops; "
                       "filter on length(p) for more");
      }
    } else {
      checker_.check_hops(edge, rel.span);
    }
    const VariableKind kind =
        edge.variable_length ? VariableKind::kRelationList : VariableKind::kRelation;
    checker_.check_unbound(scope, rel.variable, rel.span,
                           "; a relation variable names one relation of one pattern");
    if (edge.variable_length) {
      edge.segment = checker_.declare("", VariableKind::kPath);
      edge.rel_cursor = checker_.declare("", VariableKind::kRelation);
      if (!rel.variable.empty()) {
        edge.relation = checker_.declare(rel.variable, kind);
        scope.names[rel.variable] = edge.relation;
      }
    } else {
      edge.relation = checker_.declare(rel.variable, kind);
      if (!rel.variable.empty()) scope.names[rel.variable] = edge.relation;
      edge.rel_cursor = edge.relation;
    }
    for (std::size_t k = 0; k < rel.properties.size(); ++k) {
      const auto& [key, value] = rel.properties[k];
      auto property =
          expressions_.make_property(slot_expr(edge.rel_cursor), key, rel.property_spans[k]);
      const SourceSpan whole{rel.property_spans[k].begin, value->span.end};
      edge.property_filters.push_back(ExpressionCompiler::make_equality(
          std::move(property), expressions_.compile(*value, scope), whole));
    }
    checker_.check_endpoints(edge, rel.span);
    path.edges.push_back(static_cast<int>(plan.edges.size()));
    plan.edges.push_back(std::move(edge));
    path.nodes.push_back(right);
    left = right;
  }
  if (!pattern.path_variable.empty()) {
    checker_.check_unbound(scope, pattern.path_variable, pattern.span);
    path.slot = checker_.declare(pattern.path_variable, VariableKind::kPath);
    scope.names[pattern.path_variable] = path.slot;
    plan.paths.push_back(std::move(path));
  }
}

// Binds (or re-uses) the variable of a node pattern; returns its slot.
Slot PatternCompiler::bind_node(const NodePattern& node, Scope& scope, SubPlan& plan) {
  const KindMask mask = checker_.entity_kinds(node);
  Slot slot = node.variable.empty() ? kNoSlot : scope.find(node.variable);
  if (slot != kNoSlot) {
    Variable& v = checker_.variable(slot);
    if (!checker_.check_entity(v, node)) return slot;
    const bool outer = std::find(plan.outer_slots.begin(), plan.outer_slots.end(), slot) !=
                           plan.outer_slots.end() ||
                       is_outer(slot, scope);
    if (mask != 0) {
      const KindMask merged = checker_.merge_kinds(v, mask, node);
      if (outer) {
        add_kind_check(slot, mask, node.span, plan);
      } else {
        v.kinds = merged;
      }
    }
    if (outer) {
      note_outer(slot, plan);
      plan.pattern_outer_slots.push_back(slot);
    }
  } else {
    slot = checker_.declare(node.variable, VariableKind::kNode, mask);
    if (!node.variable.empty()) scope.names[node.variable] = slot;
    plan.node_slots.push_back(slot);
  }
  for (std::size_t i = 0; i < node.properties.size(); ++i) {
    const auto& [key, value] = node.properties[i];
    auto target = slot_expr(slot);
    target->span = node.property_spans[i];
    auto property = expressions_.make_property(std::move(target), key, node.property_spans[i]);
    const SourceSpan whole{node.property_spans[i].begin, value->span.end};
    plan.conjuncts.push_back(ExpressionCompiler::make_equality(
        std::move(property), expressions_.compile(*value, scope), whole));
  }
  return slot;
}

void PatternCompiler::add_kind_check(Slot slot, KindMask mask, SourceSpan span, SubPlan& plan) {
  // `labels(v)[0] IN [kinds]` would do; a dedicated check is clearer and cheaper.
  auto check = std::make_unique<CompiledExpr>();
  check->op = CompiledExpr::Op::kCall;
  check->function = &kind_check_function();
  check->span = span;
  check->children.push_back(slot_expr(slot));
  auto m = std::make_unique<CompiledExpr>();
  m->constant = Value::of_int(static_cast<std::int64_t>(mask));
  check->children.push_back(std::move(m));
  plan.conjuncts.push_back(std::move(check));
}

CompiledExprPtr PatternCompiler::compile_exists(const Expr& e, Scope& scope) {
  auto c = std::make_unique<CompiledExpr>();
  c->op = CompiledExpr::Op::kExists;
  c->count = e.distinct;
  c->span = e.span;
  c->exists = std::make_unique<SubPlan>();
  Scope inner{&scope, {}};
  const int clause = 1000 + exists_count_++;
  for (const auto& pattern : e.exists->patterns) compile(pattern, inner, *c->exists, clause);
  if (e.exists->where) expressions_.add_conjuncts(*e.exists->where, inner, *c->exists);
  // Outer variables read by the subquery's conditions are bound before it runs too, and
  // so are those its relations' property maps read (`-[:OWNS {since: f.since}]->`),
  // checked on each relation walked: all of them decide its answer.
  const auto note_if_outer = [&](const CompiledExpr& read) {
    std::vector<Slot> free;
    collect_free_slots(read, free);
    for (Slot s : free) {
      const bool local = std::find(c->exists->node_slots.begin(), c->exists->node_slots.end(), s) !=
                         c->exists->node_slots.end();
      if (!local && !is_local_slot(*c->exists, s)) note_outer(s, *c->exists);
    }
  };
  for (const auto& conjunct : c->exists->conjuncts) note_if_outer(*conjunct);
  for (const auto& edge : c->exists->edges) {
    for (const auto& filter : edge.property_filters) note_if_outer(*filter);
  }
  if (!checker_.ok()) return c;
  if (!c->count) mark_endpoint_walks(*c->exists);  // EXISTS asks only whether a match exists
  plan_memo(*c->exists);
  std::vector<bool> bound(out_.variables.size(), false);
  for (Slot s : c->exists->outer_slots) bound[s] = true;
  // Slots of enclosing scopes are bound whenever the subquery runs.
  for (const auto& [name, slot] : scope_names(scope)) bound[slot] = true;
  SubPlan& plan = *c->exists;
  plan_subplan(plan, graph_, out_.variables, bound);
  // A first step that walks from one outer entity to reach another: also plan the walk
  // from the other one, for the matcher to start at whichever has fewer relations.
  if (!c->count && !plan.steps.empty() && plan.steps[0].kind == Step::Kind::kExpand &&
      !plan.steps[0].target_bound) {
    const Slot first = plan.steps[0].from;
    Slot other = kNoSlot;
    for (const PatternEdge& edge : plan.edges) {
      for (const Slot end : {edge.left, edge.right}) {
        if (other == kNoSlot && end != first && bound[end] &&
            out_.variables[end].kind == VariableKind::kNode && edge.shortest == Shortest::kNone) {
          other = end;
        }
      }
    }
    if (other != kNoSlot) {
      plan_subplan(plan, graph_, out_.variables, bound, {}, other);
      std::vector<Step> from_other = std::move(plan.steps);
      plan_subplan(plan, graph_, out_.variables, std::move(bound));
      if (!from_other.empty() && from_other[0].kind == Step::Kind::kExpand &&
          from_other[0].from == other) {
        plan.steps_from_other_end = std::move(from_other);
      }
    }
  }
  if (!c->count) plan_value_key(plan);
  return c;
}

}  // namespace twinscan::query
