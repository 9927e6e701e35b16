#include "analyzer/query/planner.h"

#include "analyzer/query/plan_shortcuts.h"
#include "analyzer/query/relation_conditions.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <sstream>
#include <string_view>

namespace twinscan::query {
namespace {

using model::KindMask;

// Kinds smaller than this are scanned whatever their conditions: not worth sampling.
constexpr double kSampledKindSize = 1000;

// Vertices whose kind is in `mask` (all when 0).
double kind_count(const model::Graph& graph, KindMask mask) {
  if (mask == 0) return static_cast<double>(graph.entity_count());
  double n = 0;
  for (model::KindId k = 0; k < graph.schema().kinds().size(); ++k) {
    if (mask >> k & 1U) n += static_cast<double>(graph.vertices_of_kind(k).size());
  }
  return n;
}

// Mean number of relations of kind `type` leaving (or entering) a vertex that can hold them.
double mean_degree(const model::Graph& graph, model::RelKindId type, bool outgoing) {
  const auto& spec = graph.schema().relation(type);
  const double ends = kind_count(graph, outgoing ? spec.from : spec.to);
  return static_cast<double>(graph.relation_count_of_kind(type)) / std::max(1.0, ends);
}

// Expected far ends reached by walking `edge` one hop from one vertex.
double hop_fanout(const model::Graph& graph, const PatternEdge& edge, bool reversed) {
  Direction d = edge.direction;
  if (reversed && d != Direction::kBoth)
    d = d == Direction::kOut ? Direction::kIn : Direction::kOut;
  std::vector<model::RelKindId> types = edge.types;
  if (types.empty()) {
    for (model::RelKindId t = 0; t < graph.schema().relations().size(); ++t) types.push_back(t);
  }
  double fanout = 0;
  for (auto t : types) {
    if (d != Direction::kIn) fanout += mean_degree(graph, t, true);
    if (d != Direction::kOut) fanout += mean_degree(graph, t, false);
  }
  return fanout;
}

double edge_fanout(const model::Graph& graph, const PatternEdge& edge, bool reversed) {
  const double hop = hop_fanout(graph, edge, reversed);
  if (!edge.variable_length) return hop;
  // Variable length: the sum over the allowed depths, damped: paths thin out quickly.
  double total = edge.min_hops == 0 ? 1 : 0, level = 1;
  for (std::uint32_t depth = 1; depth <= std::min<std::uint32_t>(edge.max_hops, 4); ++depth) {
    level *= std::max(hop, 0.5);
    if (depth >= edge.min_hops) total += level;
  }
  return total;
}

bool is_id_of(const CompiledExpr& e, Slot slot) {
  return e.op == CompiledExpr::Op::kProperty && e.key_text == "id" &&
         e.children[0]->op == CompiledExpr::Op::kSlot && e.children[0]->slot == slot;
}

// `v.key = E` (either way round) where E reads only bound slots: returns the property
// access, and sets `value` to E.
template <typename AllBound>
const CompiledExpr* equates_property_of(const CompiledExpr& c, Slot v, const AllBound& all_bound,
                                        const CompiledExpr** value = nullptr) {
  if (c.op != CompiledExpr::Op::kBinary || c.binary_op != BinaryOp::kEq) return nullptr;
  for (int side = 0; side < 2; ++side) {
    const CompiledExpr& p = *c.children[side];
    if (p.op != CompiledExpr::Op::kProperty || p.children[0]->op != CompiledExpr::Op::kSlot ||
        p.children[0]->slot != v) {
      continue;
    }
    std::vector<Slot> other;
    collect_free_slots(*c.children[1 - side], other);
    if (!all_bound(other)) continue;
    if (value) *value = c.children[1 - side].get();
    return &p;
  }
  return nullptr;
}

// Properties the graph indexes on demand (id, kind and name are not properties).
bool indexable_key(const CompiledExpr& property) {
  return property.key_interned && property.key_text != "id" && property.key_text != "kind" &&
         property.key_text != "name";
}

// `size(disagreements(x[, ignored])) > 0` (or >= 1), where x is node `v` or the relation
// of a one-hop edge at `v`: only the vertices with a disagreement recorded (or the ends of
// the relations with one) can match, and the graph lists them. Returns 0 when `c` is not
// such a condition, 1 when x is `v`, 2 when x is a relation at `v`.
int disagreement_condition_of(const CompiledExpr& c, Slot v, const SubPlan& plan) {
  if (c.op != CompiledExpr::Op::kBinary ||
      (c.binary_op != BinaryOp::kGt && c.binary_op != BinaryOp::kGe)) {
    return 0;
  }
  const CompiledExpr& size = *c.children[0];
  const CompiledExpr& bound = *c.children[1];
  const std::int64_t least = c.binary_op == BinaryOp::kGt ? 0 : 1;
  if (bound.op != CompiledExpr::Op::kConstant || bound.constant.type != Type::kInt ||
      bound.constant.integer != least) {
    return 0;
  }
  const auto calls = [](const CompiledExpr& e, std::string_view name) {
    return e.op == CompiledExpr::Op::kCall && e.function != nullptr && e.function->name == name &&
           !e.children.empty();
  };
  if (!calls(size, "size") || !calls(*size.children[0], "disagreements")) return 0;
  // The keys left out must be a list known now: a wrong argument is then reported whether
  // or not anything disagrees.
  const auto& arguments = size.children[0]->children;
  if (arguments.size() > 1) {
    const CompiledExpr& ignored = *arguments[1];
    const bool known_list = ignored.op == CompiledExpr::Op::kConstant &&
                            (ignored.constant.type == Type::kList || ignored.constant.is_null());
    const bool literal = ignored.op == CompiledExpr::Op::kList;
    if (!known_list && !literal) return 0;
  }
  const CompiledExpr& subject = *size.children[0]->children[0];
  if (subject.op != CompiledExpr::Op::kSlot) return 0;
  if (subject.slot == v) return 1;
  for (const PatternEdge& e : plan.edges) {
    if (e.relation == subject.slot && !e.variable_length && (e.left == v || e.right == v)) return 2;
  }
  return 0;
}

/// `distance_km(a, b) <= r` (or <, or written the other way round) where one of a, b
/// is node `v` and the other and r read only bound slots: v can be found through the
/// spatial index instead of scanned.
struct NearCondition {
  const CompiledExpr* center = nullptr;
  const CompiledExpr* radius = nullptr;
};

template <typename AllBound>
NearCondition near_condition_of(const CompiledExpr& c, Slot v, const AllBound& all_bound) {
  if (c.op != CompiledExpr::Op::kBinary) return {};
  const CompiledExpr* call = nullptr;
  const CompiledExpr* radius = nullptr;
  if (c.binary_op == BinaryOp::kLe || c.binary_op == BinaryOp::kLt) {
    call = c.children[0].get();
    radius = c.children[1].get();
  } else if (c.binary_op == BinaryOp::kGe || c.binary_op == BinaryOp::kGt) {
    call = c.children[1].get();
    radius = c.children[0].get();
  } else {
    return {};
  }
  if (call->op != CompiledExpr::Op::kCall || call->function == nullptr ||
      std::string_view(call->function->name) != "distance_km") {
    return {};
  }
  for (int side = 0; side < 2; ++side) {
    const CompiledExpr& mine = *call->children[side];
    if (mine.op != CompiledExpr::Op::kSlot || mine.slot != v) continue;
    std::vector<Slot> needed;
    collect_free_slots(*call->children[1 - side], needed);
    collect_free_slots(*radius, needed);
    if (all_bound(needed)) return {call->children[1 - side].get(), radius};
  }
  return {};
}

// Whether `e` or an expression within it is an aggregate's value, which no variable
// bound in the pattern decides.
bool reads_aggregate(const CompiledExpr& e) {
  if (e.op == CompiledExpr::Op::kAggregate) return true;
  return std::any_of(e.children.begin(), e.children.end(),
                     [](const auto& c) { return c && reads_aggregate(*c); });
}

// The slot a condition's answer may be remembered by (Step::remembered_by): its only
// variable, unless the plan's first step that binds anything (conditions on parameters
// alone may come before it) binds that variable by scanning entities, where each comes
// once and a remembered answer would never be asked for again.
Slot remembered_by(const CompiledExpr& condition, const std::vector<Slot>& slots,
                   const std::vector<Step>& steps_before) {
  if (slots.size() != 1 || reads_aggregate(condition)) return kNoSlot;
  const Slot s = slots.front();
  const auto first = std::find_if(steps_before.begin(), steps_before.end(),
                                  [](const Step& st) { return st.kind != Step::Kind::kFilter; });
  if (first != steps_before.end() && first->node == s && first->kind != Step::Kind::kExpand) {
    return kNoSlot;
  }
  return s;
}

}  // namespace

void collect_free_slots(const CompiledExpr& expr, std::vector<Slot>& out) {
  auto add = [&](Slot s) {
    if (s != kNoSlot && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  switch (expr.op) {
    case CompiledExpr::Op::kSlot:
      add(expr.slot);
      break;
    case CompiledExpr::Op::kExists:
      for (Slot s : expr.exists->outer_slots) add(s);
      break;
    case CompiledExpr::Op::kQuantifier: {
      std::vector<Slot> inner;
      for (const auto& c : expr.children) {
        if (c) collect_free_slots(*c, inner);
      }
      for (Slot s : inner) {
        if (s != expr.slot) add(s);
      }
      return;
    }
    default:
      break;
  }
  for (const auto& c : expr.children) {
    if (c) collect_free_slots(*c, out);
  }
}

void plan_subplan(SubPlan& plan, const model::Graph& graph, const std::vector<Variable>& variables,
                  std::vector<bool> bound, const ConditionSampler& sample, Slot first_from) {
  plan.steps.clear();
  push_relation_conditions(plan);
  std::vector<bool> edge_done(plan.edges.size(), false);
  std::vector<bool> conjunct_done(plan.conjuncts.size(), false);
  std::vector<bool> path_done(plan.paths.size(), false);
  std::vector<std::vector<Slot>> conjunct_slots(plan.conjuncts.size());
  for (std::size_t i = 0; i < plan.conjuncts.size(); ++i) {
    collect_free_slots(*plan.conjuncts[i], conjunct_slots[i]);
  }
  double rows = 1;

  auto all_bound = [&](const std::vector<Slot>& slots) {
    return std::all_of(slots.begin(), slots.end(), [&](Slot s) { return bound[s]; });
  };
  // Places every condition whose variables are bound, and every path whose elements
  // are; a placed path may make more conditions ready, hence the repetition.
  auto place_ready = [&]() {
    for (bool placed = true; placed;) {
      placed = false;
      for (std::size_t i = 0; i < plan.conjuncts.size(); ++i) {
        if (conjunct_done[i] || !all_bound(conjunct_slots[i])) continue;
        conjunct_done[i] = placed = true;
        Step step;
        step.kind = Step::Kind::kFilter;
        step.filter = plan.conjuncts[i].get();
        step.remembered_by = remembered_by(*step.filter, conjunct_slots[i], plan.steps);
        rows *= 0.5;
        step.estimate = rows;
        plan.steps.push_back(step);
      }
      for (std::size_t i = 0; i < plan.paths.size(); ++i) {
        if (path_done[i]) continue;
        const auto& path = plan.paths[i];
        const bool ready =
            all_bound(path.nodes) &&
            std::all_of(path.edges.begin(), path.edges.end(), [&](int e) { return edge_done[e]; });
        if (!ready) continue;
        path_done[i] = placed = true;
        bound[path.slot] = true;
        Step step;
        step.kind = Step::Kind::kPath;
        step.path = static_cast<int>(i);
        step.estimate = rows;
        plan.steps.push_back(step);
      }
    }
  };
  auto mark_edge_bound = [&](const PatternEdge& e) {
    if (e.relation != kNoSlot) bound[e.relation] = true;
    if (e.segment != kNoSlot) bound[e.segment] = true;
  };

  // Whether an id lookup can bind node `s` now.
  auto has_lookup = [&](Slot s) {
    for (const auto& conjunct : plan.conjuncts) {
      const CompiledExpr& c = *conjunct;
      if (c.op != CompiledExpr::Op::kBinary || c.binary_op != BinaryOp::kEq) continue;
      for (int side = 0; side < 2; ++side) {
        if (!is_id_of(*c.children[side], s)) continue;
        std::vector<Slot> other;
        collect_free_slots(*c.children[1 - side], other);
        if (all_bound(other)) return true;
      }
    }
    return false;
  };

  place_ready();
  for (;;) {
    // Checks first: an edge whose two ends are bound only filters.
    int best_edge = -1;
    bool best_reversed = false;
    double best_cost = 0;
    for (std::size_t i = 0; i < plan.edges.size(); ++i) {
      if (edge_done[i]) continue;
      const auto& e = plan.edges[i];
      const bool lb = bound[e.left], rb = bound[e.right];
      if (!lb && !rb) continue;
      // A shortest path between two given entities searches from both: look the other
      // one up first.
      if (e.shortest != Shortest::kNone && lb != rb && has_lookup(lb ? e.right : e.left)) continue;
      const bool reversed = !lb;
      // Asked to start from `first_from`: the first expansion leaves from it.
      if (first_from != kNoSlot && !(lb && rb) && (reversed ? e.right : e.left) != first_from)
        continue;
      double cost = edge_fanout(graph, e, reversed);
      if (lb && rb) cost = 0;
      if (best_edge < 0 || cost < best_cost) {
        best_edge = static_cast<int>(i);
        best_reversed = reversed;
        best_cost = cost;
      }
    }
    if (best_edge >= 0) {
      const auto& e = plan.edges[best_edge];
      Step step;
      step.kind = Step::Kind::kExpand;
      step.edge = best_edge;
      step.reversed = best_reversed;
      step.from = best_reversed ? e.right : e.left;
      step.node = best_reversed ? e.left : e.right;
      step.target_bound = bound[step.node];
      step.kinds = variables[step.node].kinds;
      rows *= step.target_bound ? 0.5 : std::max(best_cost, 0.01);
      step.estimate = rows;
      plan.steps.push_back(step);
      first_from = kNoSlot;
      edge_done[best_edge] = true;
      bound[step.node] = true;
      mark_edge_bound(e);
      place_ready();
      continue;
    }
    // A new connected part: start at its most selective node.
    struct Start {
      Slot slot = kNoSlot;
      double cost = 0;
      const CompiledExpr* lookup = nullptr;
      NearCondition near;
      const CompiledExpr* index = nullptr;
      const CompiledExpr* index_value = nullptr;
      int disagreeing = 0;
      /// Of `cost`, what lookups, equalities, distances and disagreements leave: the
      /// entities the start picks by what they are rather than by a sampled fraction.
      double picked = 0;
    };
    const auto start_at = [&](Slot s) {
      const CompiledExpr* id_expr = nullptr;
      for (std::size_t i = 0; i < plan.conjuncts.size() && !id_expr; ++i) {
        const CompiledExpr& c = *plan.conjuncts[i];
        if (c.op != CompiledExpr::Op::kBinary || c.binary_op != BinaryOp::kEq) continue;
        for (int side = 0; side < 2 && !id_expr; ++side) {
          if (!is_id_of(*c.children[side], s)) continue;
          std::vector<Slot> other;
          collect_free_slots(*c.children[1 - side], other);
          if (all_bound(other)) id_expr = c.children[1 - side].get();
        }
      }
      // Each equality on one of its properties with a known value makes a start rarer.
      double selectivity = 1;
      double picked = 1;
      NearCondition near;
      const CompiledExpr* indexed = nullptr;
      const CompiledExpr* indexed_value = nullptr;
      for (std::size_t i = 0; i < plan.conjuncts.size(); ++i) {
        const CompiledExpr* value = nullptr;
        if (const CompiledExpr* p = equates_property_of(*plan.conjuncts[i], s, all_bound, &value)) {
          selectivity *= 0.1;
          picked *= 0.1;
          if (!indexed && indexable_key(*p)) {
            indexed = p;
            indexed_value = value;
          }
        } else if (sample && !conjunct_slots[i].empty() &&
                   std::all_of(conjunct_slots[i].begin(), conjunct_slots[i].end(),
                               [&](Slot read) { return read == s; }) &&
                   kind_count(graph, variables[s].kinds) >= kSampledKindSize) {
          selectivity *= sample(*plan.conjuncts[i], s, variables[s].kinds);
        }
        if (!near.center) near = near_condition_of(*plan.conjuncts[i], s, all_bound);
      }
      // A distance bound to a bound entity makes a start as rare as a neighbourhood.
      if (near.center) {
        selectivity *= 0.001;
        picked *= 0.001;
      }
      // An id lookup finds one entity: it goes before any scan or index lookup.
      const double entities = kind_count(graph, variables[s].kinds);
      double cost = id_expr ? 0.5 : std::max(1.0, entities * selectivity);
      picked = id_expr ? 0.5 : std::max(1.0, entities * picked);
      // A condition on disagreements: only the entities the graph lists for it.
      int disagreeing = 0;
      for (std::size_t i = 0; i < plan.conjuncts.size() && !id_expr && !disagreeing; ++i) {
        disagreeing = disagreement_condition_of(*plan.conjuncts[i], s, plan);
      }
      if (disagreeing != 0) {
        const double listed = static_cast<double>(graph.disagreement_count(disagreeing == 2)) *
                              (disagreeing == 2 ? 2 : 1);
        if (listed < cost) {
          cost = picked = listed;
          near = NearCondition{};
          indexed = nullptr;
        } else {
          disagreeing = 0;
        }
      }
      return Start{s,
                   cost,
                   id_expr,
                   id_expr ? NearCondition{} : near,
                   id_expr || near.center ? nullptr : indexed,
                   indexed_value,
                   disagreeing,
                   picked};
    };
    std::vector<Start> candidates;
    for (Slot s : plan.node_slots) {
      if (!bound[s]) candidates.push_back(start_at(s));
    }
    if (candidates.empty()) break;
    Start best = candidates.front();
    for (const Start& candidate : candidates) {
      if (candidate.cost < best.cost) best = candidate;
    }
    // Fewer owners than firms, but a walk down from each that meets more firm-owner pairs
    // than working out every firm's chain shares costs: the firms go first, unless a
    // third start is rarer still. Conditions sampled on the owners say nothing of the
    // firms below the ones they keep (a few hubs may hold them all): only what picks
    // owners by what they are counts.
    const double owners = kind_count(graph, variables[best.slot].kinds);
    if (const auto walk = owner_share_edge_to(plan, graph, best.slot);
        walk && !bound[walk->firm] && owners > 0) {
      const Start firms = start_at(walk->firm);
      const bool rarest_but_owners = std::none_of(
          candidates.begin(), candidates.end(),
          [&](const Start& other) { return other.slot != walk->owner && other.cost < firms.cost; });
      if (rarest_but_owners &&
          firms_start_cheaper(plan, graph, variables, *walk, std::min(1.0, best.picked / owners))) {
        best = firms;
      }
    }
    Step step;
    step.kind = best.lookup        ? Step::Kind::kLookup
                : best.disagreeing ? Step::Kind::kDisagreeing
                : best.near.center ? Step::Kind::kNear
                : best.index       ? Step::Kind::kIndexed
                                   : Step::Kind::kScan;
    step.on_relations = best.disagreeing == 2;
    step.node = best.slot;
    step.kinds = variables[best.slot].kinds;
    step.lookup = best.lookup ? best.lookup : best.index_value;
    if (best.index) step.key = best.index->key;
    step.center = best.near.center;
    step.radius = best.near.radius;
    rows *= std::max(best.cost, 1.0);
    step.estimate = rows;
    plan.steps.push_back(step);
    bound[best.slot] = true;
    place_ready();
  }
  place_ready();
  mark_owner_share_walks(plan, graph, plan.steps);
}

std::string explain_plan(const SubPlan& plan, const model::Graph& graph,
                         const std::vector<Variable>& variables, std::string_view text,
                         int indent) {
  std::ostringstream out;
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  auto name = [&](Slot s) {
    const auto& v = variables[s];
    return v.name.empty() ? "_" + std::to_string(s) : v.name;
  };
  auto kinds = [&](KindMask mask) {
    return mask == 0 ? std::string("any kind") : graph.schema().describe_kinds(mask);
  };
  const auto explain_steps = [&](const std::vector<Step>& steps) {
    int n = 1;
    for (const auto& step : steps) {
      out << pad << n++ << ". ";
      switch (step.kind) {
        case Step::Kind::kScan:
          out << "scan " << name(step.node) << " over " << kinds(step.kinds);
          break;
        case Step::Kind::kLookup:
          out << "look up " << name(step.node) << " by id";
          break;
        case Step::Kind::kIndexed:
          out << "look up " << name(step.node) << " (" << kinds(step.kinds) << ") by "
              << graph.str(step.key) << "  [property index]";
          break;
        case Step::Kind::kNear:
          out << "find " << name(step.node) << " (" << kinds(step.kinds)
              << ") near a bound entity  [spatial index]";
          break;
        case Step::Kind::kDisagreeing:
          out << "list " << name(step.node) << " (" << kinds(step.kinds) << ")"
              << (step.on_relations ? " at relations whose sources disagree"
                                    : " whose sources disagree")
              << "  [disagreements]";
          break;
        case Step::Kind::kExpand: {
          const auto& e = plan.edges[step.edge];
          std::string types;
          for (auto t : e.types)
            types += (types.empty() ? "" : "|") + graph.schema().relation(t).name;
          Direction d = e.direction;
          if (step.reversed && d != Direction::kBoth)
            d = d == Direction::kOut ? Direction::kIn : Direction::kOut;
          out << (step.target_bound ? "check " : "expand ") << name(step.from)
              << (d == Direction::kIn ? " <-[" : " -[") << (types.empty() ? "any" : types);
          if (e.variable_length) {
            out << "*" << e.min_hops << "..";
            if (e.max_hops != UINT32_MAX) out << e.max_hops;
          }
          out << (d == Direction::kOut ? "]-> " : "]- ") << name(step.node);
          if (!step.target_bound && step.kinds != 0) out << " (" << kinds(step.kinds) << ")";
          out << (d == Direction::kIn    ? "  [reverse adjacency]"
                  : d == Direction::kOut ? "  [forward adjacency]"
                                         : "  [both]");
          if (e.shortest != Shortest::kNone) {
            out << (e.shortest == Shortest::kAll ? "  [all shortest paths" : "  [shortest path")
                << (step.target_bound ? ", breadth-first from both ends]" : ", breadth-first]");
          } else if (step.owner_share_floor) {
            // The floor as written: the shortest text that reads back as the same number.
            std::array<char, 32> floor{};
            const auto written =
                std::to_chars(floor.data(), floor.data() + floor.size(), *step.owner_share_floor);
            out << "  [owners read from its chain shares, at "
                << std::string_view(floor.data(),
                                    static_cast<std::size_t>(written.ptr - floor.data()))
                << " or more]";
          } else if (e.endpoints_only) {
            out << "  [breadth-first, each far end once]";
          }
          for (const auto& condition : e.relation_conditions) {
            if (condition.span.end > condition.span.begin && condition.span.end <= text.size()) {
              out << "  [each relation walked: "
                  << text.substr(condition.span.begin, condition.span.end - condition.span.begin)
                  << "]";
            }
          }
          break;
        }
        case Step::Kind::kPath:
          out << "assemble path " << name(plan.paths[step.path].slot);
          break;
        case Step::Kind::kCollect:
          out << "note the value of the equality's inner side";
          break;
        case Step::Kind::kFilter:
          if (step.filter->function != nullptr &&
              std::string_view(step.filter->function->name) == "<kind check>" &&
              step.filter->children[0]->op == CompiledExpr::Op::kSlot) {
            const auto mask = static_cast<KindMask>(step.filter->children[1]->constant.integer);
            out << "check " << name(step.filter->children[0]->slot) << " is "
                << (mask == ~KindMask{0} ? std::string("an entity") : kinds(mask));
          } else if (step.filter->span.end > step.filter->span.begin &&
                     step.filter->span.end <= text.size()) {
            out << "filter "
                << text.substr(step.filter->span.begin,
                               step.filter->span.end - step.filter->span.begin);
          } else {
            out << "filter";
          }
          break;
      }
      out << "   ~" << static_cast<long long>(std::ceil(step.estimate)) << " rows\n";
      if (step.kind == Step::Kind::kFilter && step.filter->op == CompiledExpr::Op::kExists) {
        out << pad << "   exists:\n"
            << explain_plan(*step.filter->exists, graph, variables, text, indent + 6);
      }
    }
  };
  explain_steps(plan.steps);
  if (plan.value_conjunct != nullptr) {
    auto written = [&](const CompiledExpr& e) {
      const SourceSpan span = e.span;
      return span.end > span.begin && span.end <= text.size()
                 ? std::string(text.substr(span.begin, span.end - span.begin))
                 : std::string("?");
    };
    const CompiledExpr& equality = *plan.value_conjunct;
    const CompiledExpr* outer = plan.memo_properties.front();
    const CompiledExpr& inner = *equality.children[equality.children[0].get() == outer ? 1 : 0];
    out << pad << "asked once per " << name(plan.memo_slots.front()) << ": the values of "
        << written(inner) << " over the other conditions, each compared with " << written(*outer)
        << "\n";
  }
  if (!plan.steps_from_other_end.empty()) {
    out << pad << "or, when " << name(plan.steps_from_other_end[0].from)
        << " has fewer relations to walk than " << name(plan.steps[0].from) << ":\n";
    explain_steps(plan.steps_from_other_end);
  }
  return out.str();
}

std::string explain_query(const CompiledQuery& query, const model::Graph& graph,
                          std::string_view text) {
  std::string out = explain_plan(query.plan, graph, query.variables, text);
  auto name = [&](Slot s) {
    return s == kNoSlot ? std::string("_") : query.variables[static_cast<std::size_t>(s)].name;
  };
  auto source = [&](const CompiledExpr* e) {
    if (e == nullptr || e->span.end <= e->span.begin || e->span.end > text.size())
      return std::string();
    return std::string(text.substr(e->span.begin, e->span.end - e->span.begin));
  };
  for (const auto& stage : query.stages) {
    switch (stage.kind) {
      case Clause::Kind::kMatch:
        out += "then, for each row, match:\n" +
               explain_plan(stage.plan, graph, query.variables, text, 3);
        break;
      case Clause::Kind::kOptionalMatch:
        out += "then, for each row, optionally match (nulls when nothing matches):\n" +
               explain_plan(stage.plan, graph, query.variables, text, 3);
        break;
      case Clause::Kind::kUnwind:
        out += "then unwind " + source(stage.expr.get()) + " as " + name(stage.slots[0]) + "\n";
        break;
      case Clause::Kind::kWith: {
        std::string names;
        for (Slot s : stage.slots) names += (names.empty() ? "" : ", ") + name(s);
        out += std::string("then gather every row into ") + names +
               (stage.projection.distinct ? " (distinct)" : "") +
               (stage.projection.aggregates.empty() ? "" : " (grouped)") +
               (stage.expr ? ", where " + source(stage.expr.get()) : std::string()) + "\n";
        break;
      }
    }
  }
  return out;
}

}  // namespace twinscan::query
