// Decides the shortcuts of plan_shortcuts.h by reading the compiled pattern: which walks
// nothing else can tell apart, and which outer values an EXISTS subquery reads.
#include "analyzer/query/plan_shortcuts.h"

#include <algorithm>
#include <functional>
#include <string_view>

#include "analyzer/query/effective_share.h"
#include "analyzer/query/entity_sample.h"

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

namespace {

// The lowest share at which `filter` can hold for an owner, when it compares
// effective_share(firm, owner) with a number and that share is above 0 (or the
// comparison strict): owners without a chain to the firm, whose share is 0, fail it.
std::optional<double> share_floor_of(const CompiledExpr& filter, Slot firm, Slot owner) {
  if (filter.op != CompiledExpr::Op::kBinary) return std::nullopt;
  const BinaryOp op = filter.binary_op;
  // Written either way round: share >= floor, or floor <= share.
  const bool share_left = op == BinaryOp::kGe || op == BinaryOp::kGt;
  const bool share_right = op == BinaryOp::kLe || op == BinaryOp::kLt;
  if (!share_left && !share_right) return std::nullopt;
  const CompiledExpr& share = *filter.children[share_left ? 0 : 1];
  const CompiledExpr& bound = *filter.children[share_left ? 1 : 0];
  const bool is_share_of_pair =
      share.op == CompiledExpr::Op::kCall && share.function != nullptr &&
      std::string_view(share.function->name) == "effective_share" && share.children.size() == 2 &&
      share.children[0]->op == CompiledExpr::Op::kSlot && share.children[0]->slot == firm &&
      share.children[1]->op == CompiledExpr::Op::kSlot && share.children[1]->slot == owner;
  if (!is_share_of_pair || bound.op != CompiledExpr::Op::kConstant || !bound.constant.is_number() ||
      bound.constant.imprecise) {
    return std::nullopt;
  }
  const double floor = bound.constant.as_double();
  const bool strict = op == BinaryOp::kGt || op == BinaryOp::kLt;
  if (strict ? !(floor >= 0) : !(floor > 0)) return std::nullopt;  // NaN too
  return floor;
}

// Whether `edge`, walked from its firm end, goes up ownership chains as far as the chain
// shares reach, with nothing asked of the relations on the way.
bool walks_up_whole_chains(const PatternEdge& edge, model::RelKindId owned_by) {
  return edge.endpoints_only && edge.variable_length && edge.min_hops == 1 &&
         edge.max_hops >= static_cast<std::uint32_t>(kMaxChainLinks) && edge.types.size() == 1 &&
         edge.types[0] == owned_by && edge.property_filters.empty() &&
         edge.relation_conditions.empty() && edge.shortest == Shortest::kNone;
}

}  // namespace

// A firm's chain shares list every owner reached by a chain of holdings in force, each
// at most kMaxChainLinks links: every owner whose share is above 0 lies within a walk of
// that many hops up OWNED_BY, and every owner a walk reaches but the shares do not list
// holds 0. Where a later filter of the same plan needs a share above 0, the owners listed
// at the filter's floor or more are every far end that can pass it.
void mark_owner_share_walks(const SubPlan& plan, const model::Graph& graph,
                            std::vector<Step>& steps) {
  const auto owned_by = graph.schema().find_relation("OWNED_BY");
  if (!owned_by) return;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Step& step = steps[i];
    step.owner_share_floor.reset();
    if (step.kind != Step::Kind::kExpand || step.target_bound) continue;
    const PatternEdge& edge = plan.edges[static_cast<std::size_t>(step.edge)];
    const bool upwards = (edge.direction == Direction::kOut && !step.reversed) ||
                         (edge.direction == Direction::kIn && step.reversed);
    if (!upwards || !walks_up_whole_chains(edge, *owned_by)) continue;
    for (std::size_t j = i + 1; j < steps.size(); ++j) {
      if (steps[j].kind != Step::Kind::kFilter) continue;
      const auto floor = share_floor_of(*steps[j].filter, step.from, step.node);
      if (floor && (!step.owner_share_floor || *floor > *step.owner_share_floor)) {
        step.owner_share_floor = floor;
      }
    }
  }
}

std::optional<OwnerShareEdge> owner_share_edge_to(const SubPlan& plan, const model::Graph& graph,
                                                  Slot owner) {
  const auto owned_by = graph.schema().find_relation("OWNED_BY");
  if (!owned_by) return std::nullopt;
  std::optional<OwnerShareEdge> out;
  for (std::size_t i = 0; i < plan.edges.size(); ++i) {
    const PatternEdge& edge = plan.edges[i];
    if (edge.direction == Direction::kBoth || !walks_up_whole_chains(edge, *owned_by)) continue;
    const Slot up = edge.direction == Direction::kOut ? edge.right : edge.left;
    const Slot firm = edge.direction == Direction::kOut ? edge.left : edge.right;
    if (up != owner || firm == owner) continue;
    for (const auto& conjunct : plan.conjuncts) {
      const auto floor = share_floor_of(*conjunct, firm, owner);
      if (floor && (!out || *floor > out->floor)) {
        out = OwnerShareEdge{static_cast<int>(i), firm, owner, *floor};
      }
    }
  }
  return out;
}

namespace {

// Firms sampled, evenly over their kinds' entities, to count the owners above them.
constexpr std::size_t kSampledFirms = 256;
// A walk up from one sampled firm reads this many relations at most: past them the count
// already says that walking down from the owners would meet more pairs than there are
// firms, and a firm held by a crowd of owners costs no more than that.
constexpr std::size_t kReadAboveFirm = std::size_t{1} << 12;
// Measured on two shapes at 10^6 entities: walking down from the owners cost 1.3 times
// the firm start where it met 1.0 firm-owner pair per firm, a quarter of it at 0.28.
constexpr double kFirmStartAtPairsPerFirm = 0.75;

// The entities of `owner_kinds` within `max_hops` relations of kind `type` above `firm`,
// each counted once, the walk stopping after kReadAboveFirm relations. `seen` is all
// false before and after.
std::size_t owners_above(const model::Graph& graph, model::RelKindId type, std::uint32_t max_hops,
                         model::KindMask owner_kinds, model::VertexId firm, std::vector<bool>& seen,
                         std::vector<model::VertexId>& found) {
  found.assign(1, firm);
  seen[firm] = true;
  std::size_t read = 0;
  std::size_t level_begin = 0;
  for (std::uint32_t hop = 0; hop < max_hops && level_begin < found.size(); ++hop) {
    const std::size_t level_end = found.size();
    for (std::size_t i = level_begin; i < level_end && read < kReadAboveFirm; ++i) {
      for (const model::Adjacency& a : graph.out_edges(found[i], type)) {
        if (++read > kReadAboveFirm) break;
        if (seen[a.other]) continue;
        seen[a.other] = true;
        found.push_back(a.other);
      }
    }
    level_begin = level_end;
  }
  std::size_t owners = 0;
  for (std::size_t i = 1; i < found.size(); ++i) {
    const model::KindId kind = graph.kind(found[i]);
    if (owner_kinds == 0 || (owner_kinds >> kind & 1U)) ++owners;
  }
  for (const model::VertexId v : found) seen[v] = false;
  return owners;
}

}  // namespace

// Starting at the firms works out each firm's chain shares once (kept for the scan, and
// read by every rule that asks again), whether or not an owner of the kinds sought lies
// above it; a walk down from an owner visits each firm below it and works out that
// firm's shares all the same, as the filter asks effective_share(firm, owner). Starting
// at the owners is the cheaper while the firm-owner pairs it meets are well fewer than
// the firms. The pairs are counted up from firms sampled evenly: each pair lies above one
// firm, while a sample of owners could miss the few hubs that hold nearly everything.
bool firms_start_cheaper(const SubPlan& plan, const model::Graph& graph,
                         const std::vector<Variable>& variables, const OwnerShareEdge& walk,
                         double owners_started) {
  const PatternEdge& edge = plan.edges[static_cast<std::size_t>(walk.edge)];
  const model::KindMask owner_kinds = variables[walk.owner].kinds;
  const std::vector<model::VertexId> firms =
      sample_entities(graph, variables[walk.firm].kinds, kSampledFirms);
  if (firms.empty()) return false;
  std::vector<bool> seen(graph.entity_count(), false);
  std::vector<model::VertexId> found;
  const std::uint32_t hops = std::min<std::uint32_t>(edge.max_hops, 64);
  double pairs_above_sample = 0;
  for (const model::VertexId firm : firms) {
    pairs_above_sample += static_cast<double>(
        owners_above(graph, edge.types[0], hops, owner_kinds, firm, seen, found));
  }
  const double pairs_per_firm = pairs_above_sample / static_cast<double>(firms.size());
  return pairs_per_firm * owners_started >= kFirmStartAtPairsPerFirm;
}

}  // namespace twinscan::query
