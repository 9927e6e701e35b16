// Runs a planned SubPlan over the graph: each step binds or checks slots of the frame
// (scans, id and property lookups, the spatial grid, expansions along relations,
// variable-length walks as depth-first simple paths or as a breadth-first reach) and
// the next step runs for each binding; conditions are evaluated by the Evaluator.
// Also answers EXISTS (a subquery run as a query of its own, its answers remembered),
// and keeps the undecided matches that date imprecision leaves open.
#include "analyzer/query/matcher.h"

#include <algorithm>
#include <array>
#include <span>
#include <unordered_set>

#include "analyzer/query/chain_share_cache.h"
#include "analyzer/query/for_each_adjacent.h"
#include "analyzer/query/functions.h"

namespace twinscan::query {
namespace {

// An EXISTS memo is kept when at least one question in kMemoWorthwhile, of the first
// kMemoTrial asked, was answered from it.
constexpr std::uint64_t kMemoTrial = 4096;
constexpr std::uint64_t kMemoWorthwhile = 32;

Direction walked_direction(Direction d, bool reversed) {
  if (!reversed || d == Direction::kBoth) return d;
  return d == Direction::kOut ? Direction::kIn : Direction::kOut;
}

bool kind_allowed(model::KindMask mask, model::KindId kind) {
  return mask == 0 || (mask >> kind & 1U) != 0;
}

// The entities a breadth-first reach visits in turn (a level, or those reached): each is
// asked for ahead of its visit (Graph::prefetch_vertex), as the far ends of a depth-first
// walk are (for_each_adjacent).
void ask_ahead(const model::Graph& graph, std::span<const model::VertexId> reached, std::size_t i,
               std::size_t end) {
  if (i + 8 < end) graph.prefetch_vertex(reached[i + 8]);
  if (i + 4 < end) graph.prefetch_vertex_data(reached[i + 4]);
}

}  // namespace

Matcher::Matcher(const model::Graph& graph, std::vector<Value>& frame, Evaluator& evaluator,
                 const ExecutionLimits& limits)
    : graph_(graph), frame_(frame), evaluator_(evaluator), budget_(limits) {
  has_location_key_ = graph.strings().find("location", location_key_);
}

bool Matcher::match(const SubPlan& plan, const MatchCallback& callback,
                    const MatchCallback& undecided) {
  const MatchCallback* saved = undecided_;
  undecided_ = &undecided;
  const bool go_on = run(plan, 0, callback);
  undecided_ = saved;
  return go_on;
}

std::size_t Matcher::start_candidates(const SubPlan& plan) const {
  if (plan.steps.empty() || plan.steps[0].kind != Step::Kind::kScan) return 0;
  const Step& step = plan.steps[0];
  if (step.kinds == 0) return graph_.entity_count();
  std::size_t n = 0;
  for (model::KindId k = 0; k < graph_.schema().kinds().size(); ++k) {
    if (step.kinds >> k & 1U) n += graph_.vertices_of_kind(k).size();
  }
  return n;
}

bool Matcher::match_range(const SubPlan& plan, std::size_t begin, std::size_t end,
                          const MatchCallback& callback, const MatchCallback& undecided) {
  struct Restore {
    Matcher& m;
    const SubPlan* plan;
    std::size_t begin;
    std::size_t end;
    ~Restore() {
      m.range_plan_ = plan;
      m.range_begin_ = begin;
      m.range_end_ = end;
    }
  } restore{*this, range_plan_, range_begin_, range_end_};
  range_plan_ = &plan;
  range_begin_ = begin;
  range_end_ = end;
  return match(plan, callback, undecided);
}

bool Matcher::run(const SubPlan& plan, std::size_t index, const MatchCallback& callback) {
  if (index == steps_of(plan).size()) {
    if (open_ > 0) return undecided_ ? (*undecided_)(frame_) : true;
    return callback(frame_);
  }
  const Step& step = steps_of(plan)[index];
  switch (step.kind) {
    case Step::Kind::kScan: {
      auto visit = [&](model::VertexId v) {
        budget_.tick();
        frame_[step.node] = Value::of_node(v);
        return run(plan, index + 1, callback);
      };
      bool go_on = true;
      if (index == 0 && &plan == range_plan_) {
        // match_range(): the candidates [range_begin_, range_end_) of the scan's order.
        std::size_t at = 0;
        for (model::KindId k = 0; step.kinds != 0 && k < graph_.schema().kinds().size() && go_on;
             ++k) {
          if (!(step.kinds >> k & 1U)) continue;
          const auto of_kind = graph_.vertices_of_kind(k);
          const std::size_t from = std::max(at, range_begin_) - at;
          const std::size_t to = std::min(at + of_kind.size(), range_end_);
          for (std::size_t i = from; at + i < to && go_on; ++i) go_on = visit(of_kind[i]);
          at += of_kind.size();
        }
        if (step.kinds == 0) {
          const std::size_t to = std::min<std::size_t>(range_end_, graph_.entity_count());
          for (std::size_t v = range_begin_; v < to && go_on; ++v)
            go_on = visit(static_cast<model::VertexId>(v));
        }
      } else if (step.kinds == 0) {
        for (model::VertexId v = 0; v < graph_.entity_count() && go_on; ++v) go_on = visit(v);
      } else {
        for (model::KindId k = 0; k < graph_.schema().kinds().size() && go_on; ++k) {
          if (!(step.kinds >> k & 1U)) continue;
          for (model::VertexId v : graph_.vertices_of_kind(k)) {
            if (!(go_on = visit(v))) break;
          }
        }
      }
      frame_[step.node] = Value::null();
      return go_on;
    }
    case Step::Kind::kDisagreeing: {
      // In the order a scan of the same kinds visits them: kind by kind, then by id.
      const auto& listed = graph_.disagreeing_vertices(step.on_relations);
      bool go_on = true;
      const std::size_t kinds = graph_.schema().kinds().size();
      for (model::KindId k = 0; k < (step.kinds == 0 ? 1 : kinds) && go_on; ++k) {
        if (step.kinds != 0 && !(step.kinds >> k & 1U)) continue;
        for (model::VertexId v : listed) {
          if (step.kinds != 0 && graph_.kind(v) != k) continue;
          budget_.tick();
          frame_[step.node] = Value::of_node(v);
          if (!(go_on = run(plan, index + 1, callback))) break;
        }
      }
      frame_[step.node] = Value::null();
      return go_on;
    }
    case Step::Kind::kLookup: {
      const Value id = evaluator_.evaluate(*step.lookup);
      if (id.type != Type::kString) return true;
      const auto v = graph_.find(id.text);
      if (!v || !kind_allowed(step.kinds, graph_.kind(*v))) return true;
      frame_[step.node] = Value::of_node(*v);
      const bool go_on = run(plan, index + 1, callback);
      frame_[step.node] = Value::null();
      return go_on;
    }
    case Step::Kind::kIndexed: {
      // The index answers for stored types; other values fall back to a scan of the kind.
      const Value wanted = evaluator_.evaluate(*step.lookup);
      model::Value stored;
      bool indexed = true;
      switch (wanted.type) {
        case Type::kString: {
          // A text that reads as a date also equals stored dates: scan for those.
          if (model::parse_date(wanted.text)) {
            indexed = false;
            break;
          }
          model::Sym sym = 0;
          if (!graph_.strings().find(wanted.text, sym)) return true;  // never stored
          stored = model::Value::of_string(sym);
          break;
        }
        case Type::kBool:
          stored = model::Value::of_bool(wanted.boolean);
          break;
        case Type::kDate:
          stored = model::Value::of_date(wanted.date);
          break;
        case Type::kNull:
          return true;  // = null is never true
        default:
          indexed = false;
      }
      const std::vector<model::VertexId>* hits =
          indexed ? graph_.vertices_with(step.key, stored) : nullptr;
      bool go_on = true;
      auto visit = [&](model::VertexId v) {
        if (!kind_allowed(step.kinds, graph_.kind(v))) return;
        budget_.tick();
        frame_[step.node] = Value::of_node(v);
        go_on = run(plan, index + 1, callback);
      };
      if (hits) {
        for (std::size_t i = 0; i < hits->size() && go_on; ++i) visit((*hits)[i]);
      } else {
        for (model::VertexId v = 0; v < graph_.entity_count() && go_on; ++v) visit(v);
      }
      frame_[step.node] = Value::null();
      return go_on;
    }
    case Step::Kind::kNear: {
      // Candidates come from the grid; the distance condition itself is checked by the
      // filter that follows, so the grid only needs to return a superset.
      const Value center = evaluator_.evaluate(*step.center);
      const Value radius = evaluator_.evaluate(*step.radius);
      model::GeoPoint point;
      if (!radius.is_number() || !location_of(center, point)) return true;
      const double km = radius.as_double();
      bool go_on = true;
      graph_.spatial_index(step.kinds)
          .for_each_near(point, km, [&](model::VertexId v, model::GeoPoint) {
            if (!go_on || !kind_allowed(step.kinds, graph_.kind(v))) return;
            budget_.tick();
            frame_[step.node] = Value::of_node(v);
            go_on = run(plan, index + 1, callback);
          });
      frame_[step.node] = Value::null();
      return go_on;
    }
    case Step::Kind::kExpand: {
      const PatternEdge& edge = plan.edges[step.edge];
      // An end bound to null (an OPTIONAL MATCH that found nothing) matches nothing.
      if (frame_[step.from].type != Type::kNode ||
          (step.target_bound && frame_[step.node].type != Type::kNode)) {
        return true;
      }
      if (edge.shortest != Shortest::kNone) return expand_shortest(plan, index, callback);
      if (!edge.variable_length) return expand(plan, index, callback);
      return edge.endpoints_only ? expand_reach(plan, index, callback)
                                 : expand_variable(plan, index, callback);
    }
    case Step::Kind::kPath: {
      const PathBinding& path = plan.paths[step.path];
      assemble_path(plan, path);
      const bool go_on = run(plan, index + 1, callback);
      frame_[path.slot] = Value::null();
      return go_on;
    }
    case Step::Kind::kFilter: {
      std::uint8_t* remembered = nullptr;
      if (step.remembered_by != kNoSlot && frame_[step.remembered_by].type == Type::kNode) {
        remembered = &remembered_answer(step, frame_[step.remembered_by].node);
        if (*remembered == kHeld) return run(plan, index + 1, callback);
        if (*remembered == kFailed) return true;
      }
      std::vector<Imprecision>& pending = evaluator_.pending();
      pending.clear();
      const Value v = evaluator_.evaluate(*step.filter);
      if (v.type == Type::kBool && v.boolean) {
        if (remembered) *remembered = kHeld;
        return run(plan, index + 1, callback);
      }
      // An answer left open by a partial date is not remembered: what follows from it
      // depends on the match around it.
      const bool open = v.is_null() && v.imprecise;
      if (remembered && !open) *remembered = kFailed;
      if (!open || undecided_ == nullptr) return true;
      // Unknown only because of a partial date: the rest of the match decides whether it
      // is undecided (every other condition true or unknown so) or fails.
      const std::size_t mark = open_notes_.size();
      for (auto& n : pending) open_notes_.push_back(std::move(n));
      pending.clear();
      ++open_;
      const bool go_on = run(plan, index + 1, callback);
      --open_;
      open_notes_.resize(mark);
      return go_on;
    }
    case Step::Kind::kCollect: {
      // The inner side of the equality a collection of values stands for (see
      // collect_values): its text is the value of the matches that follow. A null equals
      // nothing; a text already sure needs no more matches.
      ValueCollection& collection = *collecting_;
      evaluator_.pending().clear();
      const Value v = evaluator_.evaluate(*step.filter);
      if (v.is_null()) return true;
      if (v.type != Type::kString || v.symbol == 0) {
        collection.abandoned = true;  // compared otherwise: answered as any subquery
        return false;
      }
      if (collection.sure(v.symbol)) return true;
      const model::Sym before = collection.current;
      const std::string_view before_view = collection.current_view;
      collection.current = v.symbol;
      collection.current_view = v.text;
      const bool go_on = run(plan, index + 1, callback);
      collection.current = before;
      collection.current_view = before_view;
      return go_on;
    }
  }
  return true;
}

std::uint8_t& Matcher::remembered_answer(const Step& step, model::VertexId v) {
  // By condition, not by step: an EXISTS planned from its other end as well
  // (SubPlan::steps_from_other_end) has two steps for one condition, with one answer.
  for (auto& [of, answers] : remembered_) {
    if (of == step.filter) return answers[v];
  }
  remembered_.emplace_back(step.filter, util::ZeroedArray<std::uint8_t>(graph_.entity_count()));
  return remembered_.back().second[v];
}

bool Matcher::location_of(const Value& v, model::GeoPoint& out) const {
  if (v.type == Type::kLocation) {
    out = v.location;
    return true;
  }
  if (v.type != Type::kNode || !has_location_key_) return false;
  const model::Value* p = graph_.property(v.node, location_key_);
  if (p == nullptr || p->type != model::ValueType::kLocation) return false;
  out = p->location;
  return true;
}

bool Matcher::relation_in_use(const SubPlan& plan, const PatternEdge& edge,
                              model::RelationId r) const {
  for (const auto& other : plan.edges) {
    if (&other == &edge || other.clause != edge.clause) continue;
    if (!other.variable_length) {
      const Value& v = frame_[other.relation];
      if (v.type == Type::kRelation && v.relation == r) return true;
    } else {
      const Value& v = frame_[other.segment];
      if (v.type == Type::kPath) {
        const auto& rels = v.path().relations;
        if (std::find(rels.begin(), rels.end(), r) != rels.end()) return true;
      }
    }
  }
  return false;
}

bool Matcher::relation_ok(const SubPlan& plan, const PatternEdge& edge, model::RelationId r) {
  if (relation_in_use(plan, edge, r)) return false;
  if (!edge.relation_conditions.empty() && !meets_relation_conditions(edge, r)) return false;
  if (edge.property_filters.empty()) return true;
  const Value saved = frame_[edge.rel_cursor];
  frame_[edge.rel_cursor] = Value::of_relation(r);
  bool ok = true;
  for (const auto& f : edge.property_filters) {
    if (!evaluator_.holds(*f)) {
      ok = false;
      break;
    }
  }
  frame_[edge.rel_cursor] = saved;
  return ok;
}

std::uint8_t& Matcher::relation_answer(const CompiledExpr& condition, model::RelationId r) {
  for (auto& [of, answers] : relation_answers_) {
    if (of == &condition) return answers[r];
  }
  relation_answers_.emplace_back(&condition,
                                 util::ZeroedArray<std::uint8_t>(graph_.relation_count()));
  return relation_answers_.back().second[r];
}

bool Matcher::meets_relation_conditions(const PatternEdge& edge, model::RelationId r) {
  // The notes of a date's imprecision are the WHERE's to make, where the condition stays.
  const std::size_t notes = evaluator_.pending().size();
  bool ok = true;
  for (const auto& c : edge.relation_conditions) {
    // What a relation gives is its own, the same each time, and remembered: whether it
    // held for sure, with no note of a date's imprecision (the WHERE then need not ask
    // again), or let the walk pass all the same, or failed.
    std::uint8_t& known = relation_answer(*c.condition, r);
    if (known != kNotAsked) {
      ok = known != kFailed;
      if (!ok) break;
      continue;
    }
    const Value saved = frame_[c.variable];
    frame_[c.variable] = Value::of_relation(r);
    bool sure = false;
    try {
      const std::size_t before = evaluator_.pending().size();
      const Value v = evaluator_.evaluate(*c.condition);
      ok = !((v.type == Type::kBool && !v.boolean) || (v.is_null() && !v.imprecise));
      sure = v.type == Type::kBool && v.boolean && evaluator_.pending().size() == before;
    } catch (const EvaluationError&) {
      // The WHERE says so, should the relation be on a path that comes to it.
    }
    frame_[c.variable] = saved;
    known = !ok ? kFailed : sure ? kHeld : kPassed;
    if (!ok) break;
  }
  evaluator_.pending().resize(notes);
  return ok;
}

bool Matcher::expand(const SubPlan& plan, std::size_t index, const MatchCallback& callback) {
  const Step& step = steps_of(plan)[index];
  const PatternEdge& edge = plan.edges[step.edge];
  const model::VertexId from = frame_[step.from].node;
  const Direction d = walked_direction(edge.direction, step.reversed);
  const bool target_bound = step.target_bound;
  const model::VertexId target = target_bound ? frame_[step.node].node : model::kNoVertex;
  const auto visit = [&](const model::Adjacency& a) {
    budget_.tick();
    if (!target_bound && !kind_allowed(step.kinds, graph_.kind(a.other))) return true;
    if (!relation_ok(plan, edge, a.relation)) return true;
    frame_[edge.relation] = Value::of_relation(a.relation);
    if (!target_bound) frame_[step.node] = Value::of_node(a.other);
    return run(plan, index + 1, callback);
  };
  const bool go_on = target_bound
                         ? for_each_adjacent_to(graph_, from, target, d, edge.types, visit)
                         : for_each_adjacent<FarEnds::kVisited>(graph_, from, d, edge.types, visit);
  frame_[edge.relation] = Value::null();
  if (!target_bound) frame_[step.node] = Value::null();
  return go_on;
}

bool Matcher::expand_variable(const SubPlan& plan, std::size_t index,
                              const MatchCallback& callback) {
  const Step& step = steps_of(plan)[index];
  const PatternEdge& edge = plan.edges[step.edge];
  model::VertexId start = frame_[step.from].node;
  Direction d = walked_direction(edge.direction, step.reversed);
  // With both ends bound (a finding's evidence, say), the paths between them are the
  // same walked from either end: start from the one with fewer relations to follow, so
  // that a hub (a national organ party to thousands of agreements) is not walked out of
  // once per path that ends at it.
  bool flipped = false;
  if (step.target_bound) {
    const model::VertexId target = frame_[step.node].node;
    const Direction back = walked_direction(d, true);
    if (relations_to_follow(edge, target, back) < relations_to_follow(edge, start, d)) {
      flipped = true;
      start = target;
      d = back;
    }
  }
  PathData walked;
  walked.nodes.push_back(start);
  const bool go_on = walk(plan, index, edge, d, start, walked, flipped, callback);
  frame_[edge.segment] = Value::null();
  if (edge.relation != kNoSlot) frame_[edge.relation] = Value::null();
  if (!step.target_bound) frame_[step.node] = Value::null();
  return go_on;
}

// Breadth-first within the hop bound: each vertex a walk can end at, once, in the order
// found. The far ends are gathered before any is bound, so that the rest of the plan
// (which may search again) runs on a finished search.
ReachCache::Table* Matcher::reach_table(const PatternEdge& edge, Direction d) {
  ReachCache* cache = evaluator_.context().reaches;
  // A walk whose relations answer to conditions finds what the run's frame allows.
  if (cache == nullptr || !edge.relation_conditions.empty() || !edge.property_filters.empty()) {
    return nullptr;
  }
  for (const auto& [e, direction, table] : reach_tables_) {
    if (e == &edge && direction == d) return table;
  }
  ReachCache::Table* table = &cache->table(ReachKey{d, edge.types, edge.max_hops});
  reach_tables_.emplace_back(&edge, d, table);
  return table;
}

std::uint64_t Matcher::reach_from(const SubPlan& plan, const PatternEdge& edge, Direction d,
                                  model::VertexId from, model::VertexId target, bool& found_target,
                                  std::vector<model::VertexId>& reached) {
  std::uint64_t walked = 0;
  reached.push_back(from);                   // reached[0] is the start
  std::unordered_set<model::VertexId> seen;  // used once `reached` is no longer short
  auto first_visit = [&](model::VertexId v) {
    if (reached.size() < 32) {
      if (std::find(reached.begin(), reached.end(), v) != reached.end()) return false;
    } else {
      if (seen.empty()) seen.insert(reached.begin(), reached.end());
      if (!seen.insert(v).second) return false;
    }
    reached.push_back(v);
    return true;
  };
  for (std::size_t level_begin = 0, depth = 0; depth < edge.max_hops && !found_target; ++depth) {
    const std::size_t level_end = reached.size();
    if (level_begin == level_end) break;
    for (std::size_t i = level_begin; i < level_end && !found_target; ++i) {
      ask_ahead(graph_, reached, i, level_end);
      for_each_adjacent(graph_, reached[i], d, edge.types, [&](const model::Adjacency& a) {
        budget_.tick();
        ++walked;
        if (!relation_ok(plan, edge, a.relation) || !first_visit(a.other)) return true;
        if (a.other == target) found_target = true;
        return !found_target;
      });
    }
    level_begin = level_end;
  }
  return walked;
}

std::optional<bool> Matcher::expand_to_owners(const SubPlan& plan, std::size_t index,
                                              const MatchCallback& callback) {
  const Step& step = steps_of(plan)[index];
  const FunctionContext& context = evaluator_.context();
  ChainShareCache* const cache = context.chain_shares;
  // Only shares found on the date effective_share() reads, by the walk it makes.
  if (cache == nullptr || cache->as_of() != context.as_of || !cache->walk()) return std::nullopt;
  const model::VertexId firm = frame_[step.from].node;
  const auto shares = cache->of(firm);
  if (!shares || !shares->listed()) return std::nullopt;
  if (context.budget != nullptr) charge_chain_walk(context, firm, shares->walked());
  const double floor = *step.owner_share_floor;
  frame_[plan.edges[step.edge].segment] = Value::null();  // nothing reads the walk
  bool go_on = true;
  for (std::uint32_t i = 0; i < shares->size() && go_on; ++i) {
    if (!(shares->share(i) >= floor)) continue;
    const model::VertexId owner = shares->owner(i);
    if (!kind_allowed(step.kinds, graph_.kind(owner))) continue;
    frame_[step.node] = Value::of_node(owner);
    go_on = run(plan, index + 1, callback);
  }
  frame_[step.node] = Value::null();
  return go_on;
}

bool Matcher::expand_reach(const SubPlan& plan, std::size_t index, const MatchCallback& callback) {
  const Step& step = steps_of(plan)[index];
  if (step.owner_share_floor) {
    if (const auto go_on = expand_to_owners(plan, index, callback)) return *go_on;
  }
  const PatternEdge& edge = plan.edges[step.edge];
  const model::VertexId from = frame_[step.from].node;
  const Direction d = walked_direction(edge.direction, step.reversed);
  const model::VertexId target = step.target_bound ? frame_[step.node].node : model::kNoVertex;
  bool found_target = edge.min_hops == 0 && from == target;
  // A reach to no bound target walks the whole way, the same for every rule that asks:
  // it is walked once in a scan and kept (ReachCache).
  ReachCache::Table* table = step.target_bound ? nullptr : reach_table(edge, d);
  std::optional<KeptReach> kept;
  if (table != nullptr) kept = table->find(from);
  std::vector<model::VertexId> walked;
  if (kept) {
    budget_.tick(kept->walked);
  } else {
    const std::uint64_t relations = reach_from(plan, edge, d, from, target, found_target, walked);
    if (table != nullptr) kept = table->keep(from, walked, relations);
  }
  frame_[edge.segment] = Value::null();  // nothing reads the walk
  if (step.target_bound) return found_target ? run(plan, index + 1, callback) : true;
  const std::span<const model::VertexId> reached = kept ? kept->reached : walked;
  bool go_on = true;
  for (std::size_t i = edge.min_hops == 0 ? 0 : 1; i < reached.size() && go_on; ++i) {
    ask_ahead(graph_, reached, i, reached.size());
    if (!kind_allowed(step.kinds, graph_.kind(reached[i]))) continue;
    frame_[step.node] = Value::of_node(reached[i]);
    go_on = run(plan, index + 1, callback);
  }
  frame_[step.node] = Value::null();
  return go_on;
}

namespace {

/// One side of a breadth-first search for shortest paths: each vertex reached, its
/// distance, and the (vertex, relation) steps that reach it from one level closer.
struct ShortestSide {
  struct Step {
    model::VertexId from;
    model::RelationId relation;
  };
  std::unordered_map<model::VertexId, std::uint32_t> distance;
  std::unordered_map<model::VertexId, std::vector<Step>> parents;
  std::vector<model::VertexId> frontier;
  std::uint32_t depth = 0;

  explicit ShortestSide(model::VertexId start) {
    distance.emplace(start, 0);
    frontier.push_back(start);
  }
};

}  // namespace

// shortestPath() and allShortestPaths(): breadth-first within the hop bound, from both
// ends at once when both are bound (the smaller frontier grows first, and the search stops
// at the level where they meet); from the bound end to every vertex it reaches otherwise.
// Each shortest walk is bound as the relation's segment, as a variable-length walk is.
bool Matcher::expand_shortest(const SubPlan& plan, std::size_t index,
                              const MatchCallback& callback) {
  const Step& step = steps_of(plan)[index];
  const PatternEdge& edge = plan.edges[step.edge];
  const model::VertexId from = frame_[step.from].node;
  const Direction d = walked_direction(edge.direction, step.reversed);
  const bool all = edge.shortest == Shortest::kAll;
  ShortestSide forward(from);
  // Grows a side by one level; `found` tells when a vertex also reached by `other` is met.
  auto grow = [&](ShortestSide& side, Direction dir, const ShortestSide* other) {
    std::vector<model::VertexId> next;
    bool met = false;
    const std::uint32_t level = side.depth + 1;
    for (model::VertexId v : side.frontier) {
      for_each_adjacent(graph_, v, dir, edge.types, [&](const model::Adjacency& a) {
        budget_.tick();
        if (!relation_ok(plan, edge, a.relation)) return true;
        auto [it, fresh] = side.distance.emplace(a.other, level);
        if (!fresh && it->second != level) return true;  // reached earlier
        if (fresh) next.push_back(a.other);
        if (fresh || all) side.parents[a.other].push_back({v, a.relation});
        if (other && other->distance.count(a.other)) met = true;
        return true;
      });
    }
    side.frontier = std::move(next);
    side.depth = level;
    return met;
  };
  // The walks from `side`'s start to `v`, in the order they were found: each with
  // nodes and relations from the start. Only the first when one is wanted.
  auto walks_to = [&](const ShortestSide& side, model::VertexId v, model::VertexId start) {
    std::vector<PathData> done;
    std::vector<PathData> open{PathData{{v}, {}}};
    while (!open.empty()) {
      PathData w = std::move(open.back());
      open.pop_back();
      const model::VertexId at = w.nodes.back();
      if (at == start) {
        std::reverse(w.nodes.begin(), w.nodes.end());
        std::reverse(w.relations.begin(), w.relations.end());
        done.push_back(std::move(w));
        if (!all) break;
        continue;
      }
      const auto& ps = side.parents.at(at);
      for (std::size_t i = all ? ps.size() : 1; i-- > 0;) {
        budget_.tick();
        // The last parent takes the walk itself: copied only where it branches, a walk
        // of 100,000 relations is not copied at each of them.
        PathData longer = i == 0 ? std::move(w) : w;
        longer.nodes.push_back(ps[i].from);
        longer.relations.push_back(ps[i].relation);
        open.push_back(std::move(longer));
      }
    }
    return done;
  };
  auto emit = [&](const PathData& walk) {
    return bind_segment_end(plan, index, edge, walk, false, callback);
  };

  bool go_on = true;
  if (step.target_bound) {
    const model::VertexId target = frame_[step.node].node;
    std::vector<PathData> found;
    if (from == target) {
      if (edge.min_hops == 0) found.push_back(PathData{{from}, {}});
    } else {
      ShortestSide backward(target);
      const Direction back = walked_direction(d, true);
      bool met = false;
      while (!met && forward.depth + backward.depth < edge.max_hops && !forward.frontier.empty() &&
             !backward.frontier.empty()) {
        met = forward.frontier.size() <= backward.frontier.size() ? grow(forward, d, &backward)
                                                                  : grow(backward, back, &forward);
      }
      if (met) {
        // The walks through each vertex where the two searches meet: the first half
        // from the start, the second from the target, joined.
        std::vector<model::VertexId> middle;
        for (const auto& [v, k] : forward.distance) {
          if (k != forward.depth) continue;
          auto it = backward.distance.find(v);
          if (it != backward.distance.end() && it->second == backward.depth) middle.push_back(v);
        }
        std::sort(middle.begin(), middle.end());
        for (model::VertexId m : middle) {
          for (auto& head : walks_to(forward, m, from)) {
            for (auto& tail : walks_to(backward, m, target)) {
              PathData joined = head;
              for (std::size_t i = tail.nodes.size() - 1; i-- > 0;) {
                joined.nodes.push_back(tail.nodes[i]);
                joined.relations.push_back(tail.relations[i]);
              }
              found.push_back(std::move(joined));
              if (!all) break;
            }
            if (!all) break;
          }
          if (!all && !found.empty()) break;
        }
      }
    }
    for (std::size_t i = 0; i < found.size() && go_on; ++i) go_on = emit(found[i]);
  } else {
    // Every vertex the search reaches, nearest first, with its shortest walks.
    std::vector<model::VertexId> order;
    if (edge.min_hops == 0) order.push_back(from);
    while (forward.depth < edge.max_hops && !forward.frontier.empty()) {
      grow(forward, d, nullptr);
      order.insert(order.end(), forward.frontier.begin(), forward.frontier.end());
    }
    for (std::size_t i = 0; i < order.size() && go_on; ++i) {
      if (!kind_allowed(step.kinds, graph_.kind(order[i]))) continue;
      for (const auto& walk : walks_to(forward, order[i], from)) {
        if (!(go_on = emit(walk))) break;
      }
    }
    frame_[step.node] = Value::null();
  }
  frame_[edge.segment] = Value::null();
  if (edge.relation != kNoSlot) frame_[edge.relation] = Value::null();
  return go_on;
}

// Depth-first over simple paths (no entity twice) from `at`, calling on_path(walked) for
// every path whose length reaches the edge's lower hop bound, until it returns false; a
// path that reaches `stop_at` goes no further.
template <typename OnPath>
bool Matcher::simple_paths(const SubPlan& plan, const PatternEdge& edge, Direction d,
                           model::VertexId at, model::VertexId stop_at, PathData& walked,
                           OnPath& on_path) {
  const std::size_t depth = walked.relations.size();
  if (depth >= edge.min_hops && !on_path(walked)) return false;
  if (depth >= edge.max_hops) return true;
  // At its bound far end a walk stops: going on, a simple path never comes back to it.
  if (at == stop_at) return true;
  return for_each_adjacent<FarEnds::kVisited>(
      graph_, at, d, edge.types, [&](const model::Adjacency& a) {
        budget_.tick();
        // A walk is a simple path: its own entities only are excluded (walks may nest, in a
        // later pattern element or an EXISTS, so the check reads this walk's path).
        if (std::find(walked.nodes.begin(), walked.nodes.end(), a.other) != walked.nodes.end() ||
            !relation_ok(plan, edge, a.relation)) {
          return true;
        }
        walked.nodes.push_back(a.other);
        walked.relations.push_back(a.relation);
        const bool go_on = simple_paths(plan, edge, d, a.other, stop_at, walked, on_path);
        walked.nodes.pop_back();
        walked.relations.pop_back();
        return go_on;
      });
}

// Every walk of the step's edge from `at`, each bound as the segment and the rest of the
// plan run on it.
bool Matcher::walk(const SubPlan& plan, std::size_t index, const PatternEdge& edge, Direction d,
                   model::VertexId at, PathData& walked, bool flipped,
                   const MatchCallback& callback) {
  const Step& step = steps_of(plan)[index];
  const model::VertexId stop_at =
      step.target_bound ? frame_[flipped ? step.from : step.node].node : model::kNoVertex;
  auto on_path = [&](const PathData& path) {
    return bind_segment_end(plan, index, edge, path, flipped, callback);
  };
  return simple_paths(plan, edge, d, at, stop_at, walked, on_path);
}

std::size_t Matcher::relations_to_follow(const PatternEdge& edge, model::VertexId v, Direction d) {
  // A vertex of a few relations counts them at once: its runs lie in a line or two.
  constexpr std::size_t kHubFrom = 16;
  const std::size_t all = (d != Direction::kIn ? graph_.out_edges(v).size() : 0) +
                          (d != Direction::kOut ? graph_.in_edges(v).size() : 0);
  if (all < kHubFrom) return count_relations_to_follow(edge, v, d);
  const std::size_t slot =
      (static_cast<std::size_t>(v) * 0x9E3779B1U + static_cast<std::size_t>(d)) %
      follow_counts_.size();
  FollowCount& memo = follow_counts_[slot];
  if (memo.edge != &edge || memo.vertex != v || memo.direction != d)
    memo = {&edge, v, d, count_relations_to_follow(edge, v, d)};
  return memo.count;
}

std::size_t Matcher::count_relations_to_follow(const PatternEdge& edge, model::VertexId v,
                                               Direction d) const {
  constexpr std::size_t kEnough = 65;  // to compare
  if (d != Direction::kBoth) {
    // The sizes of the runs of the edge's kinds: a hub's thousands are not read one by one.
    const bool out = d == Direction::kOut;
    if (edge.types.empty()) {
      return std::min(kEnough, out ? graph_.out_edges(v).size() : graph_.in_edges(v).size());
    }
    std::size_t n = 0;
    for (const model::RelKindId t : edge.types)
      n += out ? graph_.out_edges(v, t).size() : graph_.in_edges(v, t).size();
    return std::min(kEnough, n);
  }
  // Both ways, a self-loop counts once, as for_each_adjacent visits it.
  std::size_t n = 0;
  for_each_adjacent(graph_, v, d, edge.types,
                    [&](const model::Adjacency&) { return ++n < kEnough; });
  return n;
}

bool Matcher::walks_between(const SubPlan& plan, const PatternEdge& edge, model::VertexId from,
                            model::VertexId to, const std::function<bool(const PathData&)>& found) {
  Direction d = walked_direction(edge.direction, false);
  // As expand_variable() does with both ends bound: from the end with fewer relations to
  // follow, so that a walk into a dense tangle of holdings is not followed out of a hub.
  const Direction back = walked_direction(d, true);
  if (relations_to_follow(edge, to, back) < relations_to_follow(edge, from, d)) {
    std::swap(from, to);
    d = back;
  }
  PathData walked;
  walked.nodes.push_back(from);
  auto on_path = [&](const PathData& path) { return path.nodes.back() == to ? found(path) : true; };
  return simple_paths(plan, edge, d, from, to, walked, on_path);
}

bool Matcher::bind_segment_end(const SubPlan& plan, std::size_t index, const PatternEdge& edge,
                               const PathData& walked, bool flipped,
                               const MatchCallback& callback) {
  const Step& step = steps_of(plan)[index];
  const model::VertexId end = walked.nodes.back();
  if (step.target_bound) {
    if (frame_[flipped ? step.from : step.node].node != end) return true;
  } else {
    if (!kind_allowed(step.kinds, graph_.kind(end))) return true;
    frame_[step.node] = Value::of_node(end);
  }
  // The segment is kept in written order (left to right), whichever way it was walked.
  PathData segment = walked;
  if (step.reversed != flipped) {
    std::reverse(segment.nodes.begin(), segment.nodes.end());
    std::reverse(segment.relations.begin(), segment.relations.end());
  }
  if (edge.relation != kNoSlot) {
    ValueList rels;
    rels.reserve(segment.relations.size());
    for (auto r : segment.relations) rels.push_back(Value::of_relation(r));
    frame_[edge.relation] = Value::of_list(std::move(rels));
  }
  frame_[edge.segment] = Value::of_path(std::move(segment));
  return run(plan, index + 1, callback);
}

void Matcher::assemble_path(const SubPlan& plan, const PathBinding& path) {
  PathData data;
  data.nodes.push_back(frame_[path.nodes[0]].node);
  for (std::size_t i = 0; i < path.edges.size(); ++i) {
    const PatternEdge& edge = plan.edges[path.edges[i]];
    if (edge.variable_length) {
      const PathData& seg = frame_[edge.segment].path();
      data.nodes.insert(data.nodes.end(), seg.nodes.begin() + 1, seg.nodes.end());
      data.relations.insert(data.relations.end(), seg.relations.begin(), seg.relations.end());
    } else {
      data.relations.push_back(frame_[edge.relation].relation);
      data.nodes.push_back(frame_[path.nodes[i + 1]].node);
    }
  }
  frame_[path.slot] = Value::of_path(std::move(data));
}

Matcher::OtherEndChoice::OtherEndChoice(Matcher& matcher, const SubPlan& plan) : matcher_(matcher) {
  if (plan.steps_from_other_end.empty()) return;
  // Relations at the start of each plan's first walk, counted far enough to compare.
  auto relations_to_walk = [&](const std::vector<Step>& steps, std::size_t& count) {
    const Step& first = steps[0];
    const Value& from = matcher.frame_[first.from];
    if (from.type != Type::kNode) return false;
    const PatternEdge& edge = plan.edges[first.edge];
    count = 0;
    for_each_adjacent(matcher.graph_, from.node, walked_direction(edge.direction, first.reversed),
                      edge.types, [&](const model::Adjacency&) { return ++count <= 64; });
    return true;
  };
  std::size_t planned = 0;
  std::size_t other = 0;
  if (relations_to_walk(plan.steps, planned) &&
      relations_to_walk(plan.steps_from_other_end, other) && other < planned) {
    matcher.other_end_.push_back(&plan);
    pushed_ = true;
  }
}

Matcher::OtherEndChoice::~OtherEndChoice() {
  if (pushed_) matcher_.other_end_.pop_back();
}

int Matcher::exists(const SubPlan& plan) {
  // The answer depends only on the outer variables the subquery reads: remember it per
  // combination of their entities and relations (other values are not remembered).
  ExistsMemo* memo = nullptr;
  for (const auto& m : exists_cache_) {
    if (m->plan == &plan) {
      memo = m.get();
      break;
    }
  }
  if (memo == nullptr) {
    exists_cache_.push_back(std::make_unique<ExistsMemo>());
    memo = exists_cache_.back().get();
    memo->plan = &plan;
  }
  if (plan.value_conjunct != nullptr) {
    if (int answer = 0; answer_by_value(plan, memo->by_value, answer)) return answer;
  }
  std::vector<Imprecision>& pending = evaluator_.pending();
  // One outer entity: the table by entity.
  const bool by_vertex = plan.memo_slots.size() == 1 && plan.memo_properties.empty() &&
                         frame_[plan.memo_slots[0]].type == Type::kNode;
  model::VertexId vertex = 0;
  if (by_vertex) {
    vertex = frame_[plan.memo_slots[0]].node;
    if (memo->by_vertex.empty())
      memo->by_vertex = util::ZeroedArray<std::int8_t>(graph_.entity_count());
    const std::int8_t known = memo->by_vertex[vertex];
    if (known >= 2) return known - 2;
    if (RememberedAnswer a; known == 1 && memo->by_words.find({vertex, ~std::uint64_t{0}}, a)) {
      pending.insert(pending.end(), a.why.begin(), a.why.end());
      return a.answer;
    }
  }
  bool cacheable = !memo->forgetful;
  // Outer entities read only through properties count by those properties' values.
  const std::size_t property_count = plan.memo_properties.size();
  std::array<Value, 2> few_properties;
  std::vector<Value> many_properties;
  if (property_count > few_properties.size()) many_properties.resize(property_count);
  const std::span<Value> properties = property_count > few_properties.size()
                                          ? std::span<Value>(many_properties)
                                          : std::span<Value>(few_properties.data(), property_count);
  if (cacheable) {
    for (std::size_t i = 0; i < property_count; ++i) {
      properties[i] = evaluator_.evaluate(*plan.memo_properties[i]);
    }
  }
  // Up to two outer values, each an entity, a relation, null, a boolean or a text of the
  // graph's pool (by its symbol), are packed in two words; other keys are spelled out.
  bool in_words = plan.memo_slots.size() + property_count <= 2;
  WordsKey words;
  std::size_t word = 0;
  auto put_word = [&](Type type, std::uint32_t id) {
    (word++ == 0 ? words.a : words.b) = std::uint64_t{static_cast<std::uint8_t>(type)} << 32 | id;
  };
  for (const Value& v : properties) {
    if (!in_words) break;
    in_words = (v.type == Type::kNull && !v.imprecise) || v.type == Type::kBool ||
               (v.type == Type::kString && v.symbol != 0);
  }
  std::string key;
  for (std::size_t i = 0; cacheable && i < plan.memo_slots.size(); ++i) {
    const Value& v = frame_[plan.memo_slots[i]];
    if (v.type != Type::kNode && v.type != Type::kRelation && v.type != Type::kNull) {
      cacheable = false;
      break;
    }
    const std::uint32_t id = v.type == Type::kNode       ? v.node
                             : v.type == Type::kRelation ? v.relation
                                                         : 0;
    if (in_words) {
      put_word(v.type, id);
    } else {
      key += static_cast<char>(v.type);
      key.append(reinterpret_cast<const char*>(&id), sizeof id);
    }
  }
  for (std::size_t i = 0; cacheable && i < property_count; ++i) {
    const Value& v = properties[i];
    if (in_words) {
      put_word(v.type, v.type == Type::kBool     ? (v.boolean ? 1U : 0U)
                       : v.type == Type::kString ? v.symbol
                                                 : 0U);
    } else {
      append_key(graph_, v, key);
      key += '\x1e';
    }
  }
  if (!cacheable) memo = nullptr;
  if (memo && !by_vertex) {
    RememberedAnswer remembered;
    const RememberedAnswer* known = nullptr;
    if (in_words) {
      if (memo->by_words.find(words, remembered)) known = &remembered;
    } else if (auto it = memo->by_text.find(key); it != memo->by_text.end()) {
      remembered = {it->second.answer, it->second.why};
      known = &remembered;
    }
    ++memo->asked;
    if (known) ++memo->remembered;
    // Judged once, at the end of the trial, whether the last question was answered from
    // memory or not.
    const bool forget =
        memo->asked == kMemoTrial && memo->remembered * kMemoWorthwhile < memo->asked;
    auto drop = [](ExistsMemo& m) {
      m.forgetful = true;
      if (m.by_vertex.empty()) m.by_words = {};
      m.by_text = {};
    };
    if (known) {
      pending.insert(pending.end(), known->why.begin(), known->why.end());
      const int answer = known->answer;
      if (forget) drop(*memo);  // `known` is not read after this
      return answer;
    }
    if (forget) {
      drop(*memo);
      memo = nullptr;
    }
  }
  // The subquery runs as a query of its own: its conditions open their own undecided
  // matches, and an undecided match (with no sure one) makes the answer unknown.
  ExistsAnswer result;
  bool found = false;
  {
    const std::size_t mark = open_notes_.size();
    const MatchCallback on_undecided = [&](const std::vector<Value>&) {
      if (result.answer == 0) {
        result.answer = kImprecise;
        result.why.assign(open_notes_.begin() + static_cast<std::ptrdiff_t>(mark),
                          open_notes_.end());
      }
      return true;  // a sure match may still come
    };
    const OwnRun own(*this, &on_undecided, collecting_);
    const OtherEndChoice choice(*this, plan);
    run(plan, 0, [&](const std::vector<Value>&) {
      found = true;
      return false;  // one match decides
    });
  }
  if (found) {
    result.answer = 1;
    result.why.clear();
  }
  pending.insert(pending.end(), result.why.begin(), result.why.end());
  const int answer = result.answer;
  if (memo) {
    // Nested questions may have added memos since: `memo` still stands (each memo
    // is held by its own pointer).
    if (by_vertex) {
      if (answer == kImprecise) {
        memo->by_vertex[vertex] = 1;
        memo->by_words.insert({vertex, ~std::uint64_t{0}}, answer, std::move(result.why));
      } else {
        memo->by_vertex[vertex] = static_cast<std::int8_t>(answer + 2);
      }
    } else if (in_words) {
      memo->by_words.insert(words, answer, std::move(result.why));
    } else {
      memo->by_text.emplace(std::move(key), std::move(result));
    }
  }
  return answer;
}

std::int64_t Matcher::count(const SubPlan& plan) {
  // Like EXISTS, the subquery runs as a query of its own, with no undecided matches.
  const OwnRun own(*this, nullptr, collecting_);
  std::int64_t n = 0;
  run(plan, 0, [&](const std::vector<Value>&) {
    ++n;
    return true;
  });
  return n;
}

Matcher::OwnRun::OwnRun(Matcher& matcher, const MatchCallback* undecided,
                        ValueCollection* collecting)
    : m_(matcher),
      pending_(std::move(matcher.evaluator_.pending())),
      open_(matcher.open_),
      undecided_(matcher.undecided_),
      mark_(matcher.open_notes_.size()),
      collecting_(matcher.collecting_) {
  m_.evaluator_.pending().clear();
  m_.open_ = 0;
  m_.undecided_ = undecided;
  m_.collecting_ = collecting;
}

Matcher::OwnRun::~OwnRun() {
  m_.open_ = open_;
  m_.undecided_ = undecided_;
  m_.open_notes_.resize(mark_);
  m_.collecting_ = collecting_;
  m_.evaluator_.pending() = std::move(pending_);
}

}  // namespace twinscan::query
