#include "analyzer/query/executor.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <iterator>
#include <unordered_set>

#include <re2/re2.h>

#include "analyzer/util/english.h"

namespace twinscan::query {
namespace {

constexpr std::uint64_t kClockInterval = 1 << 16;

Direction walked_direction(Direction d, bool reversed) {
  if (!reversed || d == Direction::kBoth) return d;
  return d == Direction::kOut ? Direction::kIn : Direction::kOut;
}

// Calls f(adjacency) for the relations of `edge` at vertex v in direction d. A
// self-loop is seen once when walking both ways. Stops when f returns false.
template <typename F>
bool for_each_adjacent(const model::Graph& g, model::VertexId v, Direction d,
                       const std::vector<model::RelKindId>& types, F&& f) {
  auto visit = [&](std::span<const model::Adjacency> edges, bool incoming) {
    for (const auto& a : edges) {
      if (incoming && d == Direction::kBoth && a.other == v) continue;
      if (!f(a)) return false;
    }
    return true;
  };
  // `types` is sorted, like each vertex's edges: one pass keeping the wanted kinds visits
  // them in the same order as a run per kind, and is cheaper unless the vertex has many
  // edges and few of them are wanted.
  std::uint64_t mask = 0;
  bool maskable = types.size() > 1;
  for (auto t : types) {
    if (t >= 64) maskable = false;
    mask |= std::uint64_t{1} << (t & 63U);
  }
  auto visit_all = [&](bool outgoing) {
    const auto all = outgoing ? g.out_edges(v) : g.in_edges(v);
    if (types.empty()) return visit(all, !outgoing);
    if (maskable && all.size() <= 8 * types.size()) {
      for (const auto& a : all) {
        if (!(mask >> a.kind & 1U)) continue;
        if (!outgoing && d == Direction::kBoth && a.other == v) continue;
        if (!f(a)) return false;
      }
      return true;
    }
    for (auto t : types) {
      if (!visit(outgoing ? g.out_edges(v, t) : g.in_edges(v, t), !outgoing)) return false;
    }
    return true;
  };
  if (d != Direction::kIn && !visit_all(true)) return false;
  if (d != Direction::kOut && !visit_all(false)) return false;
  return true;
}

bool kind_allowed(model::KindMask mask, model::KindId kind) {
  return mask == 0 || (mask >> kind & 1U) != 0;
}

// Dates compare by value; a string compared with a date is read as a date.
void coerce_dates(Value& a, Value& b) {
  auto fix = [](Value& s, const Value& other) {
    if (s.type == Type::kString && other.type == Type::kDate) {
      if (auto d = model::parse_date(s.text)) s = Value::of_date(*d);
    }
  };
  fix(a, b);
  fix(b, a);
}

Value truth(int three_valued) {
  if (three_valued == kImprecise) return Value::unknown();
  return three_valued < 0 ? Value::null() : Value::of_bool(three_valued != 0);
}

// The null that answers for operands none of which decided: unknown by imprecision when
// each of them that is not known is so (a missing value makes the answer plainly null).
Value undecided(std::initializer_list<int> operands) {
  for (const int t : operands) {
    if (t == -1) return Value::null();
  }
  return Value::unknown();
}

// 1 true, 0 false, -1 null, kImprecise: null because of date imprecision.
int truth_of(const Value& v, const char* op) {
  if (v.is_null()) return v.imprecise ? kImprecise : -1;
  if (v.type != Type::kBool) {
    throw EvaluationError(std::string(op) + " takes booleans; got a " +
                          std::string(type_name(v.type)));
  }
  return v.boolean ? 1 : 0;
}

// Interval arithmetic: the range of every result the operands' values can give.
Value range_arithmetic(BinaryOp op, const RangeData& x, const RangeData& y) {
  const bool integral = x.integral && y.integral;
  auto corners = [&](auto f) {
    const double c[] = {f(x.lo, y.lo), f(x.lo, y.hi), f(x.hi, y.lo), f(x.hi, y.hi)};
    return Value::of_range(*std::min_element(std::begin(c), std::end(c)),
                           *std::max_element(std::begin(c), std::end(c)), integral);
  };
  switch (op) {
    case BinaryOp::kAdd:
      return Value::of_range(x.lo + y.lo, x.hi + y.hi, integral);
    case BinaryOp::kSub:
      return Value::of_range(x.lo - y.hi, x.hi - y.lo, integral);
    case BinaryOp::kMul:
      return corners([](double p, double q) { return p * q; });
    case BinaryOp::kDiv:
      if (integral && y.lo == 0 && y.hi == 0) throw EvaluationError("division by zero");
      if (y.lo <= 0 && y.hi >= 0) return Value::unknown();  // unbounded
      return corners([&](double p, double q) { return integral ? std::trunc(p / q) : p / q; });
    default:
      return Value::unknown();  // % and ^ of a range: not worth bounding
  }
}

Value arithmetic(BinaryOp op, const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Value::null();
  if ((a.type == Type::kRange && (b.is_number() || b.type == Type::kRange)) ||
      (b.type == Type::kRange && a.is_number())) {
    return range_arithmetic(op, a.bounds(), b.bounds());
  }
  if (op == BinaryOp::kAdd) {
    if (a.type == Type::kString && b.type == Type::kString) {
      return Value::of_string(std::string(a.text) + std::string(b.text));
    }
    if (a.type == Type::kList || b.type == Type::kList) {
      ValueList out;
      if (a.type == Type::kList)
        out = a.list();
      else
        out.push_back(a);
      if (b.type == Type::kList) {
        out.insert(out.end(), b.list().begin(), b.list().end());
      } else {
        out.push_back(b);
      }
      return Value::of_list(std::move(out));
    }
  }
  if (!a.is_number() || !b.is_number()) {
    throw EvaluationError("arithmetic takes numbers; got " + util::with_article(type_name(a.type)) +
                          " and " + util::with_article(type_name(b.type)));
  }
  if (a.type == Type::kInt && b.type == Type::kInt && op != BinaryOp::kPow) {
    std::int64_t r = 0;
    bool overflow = false;
    switch (op) {
      case BinaryOp::kAdd:
        overflow = __builtin_add_overflow(a.integer, b.integer, &r);
        break;
      case BinaryOp::kSub:
        overflow = __builtin_sub_overflow(a.integer, b.integer, &r);
        break;
      case BinaryOp::kMul:
        overflow = __builtin_mul_overflow(a.integer, b.integer, &r);
        break;
      case BinaryOp::kDiv:
      case BinaryOp::kMod:
        if (b.integer == 0) throw EvaluationError("division by zero");
        if (a.integer == INT64_MIN && b.integer == -1) {
          overflow = true;
        } else {
          r = op == BinaryOp::kDiv ? a.integer / b.integer : a.integer % b.integer;
        }
        break;
      default:
        break;
    }
    if (overflow) throw EvaluationError("integer overflow");
    return Value::of_int(r);
  }
  const double x = a.as_double(), y = b.as_double();
  switch (op) {
    case BinaryOp::kAdd:
      return Value::of_float(x + y);
    case BinaryOp::kSub:
      return Value::of_float(x - y);
    case BinaryOp::kMul:
      return Value::of_float(x * y);
    case BinaryOp::kDiv:
      return Value::of_float(x / y);
    case BinaryOp::kMod:
      return Value::of_float(std::fmod(x, y));
    case BinaryOp::kPow:
      return Value::of_float(std::pow(x, y));
    default:
      return Value::null();
  }
}

}  // namespace

Executor::Executor(const model::Graph& graph, const CompiledQuery& query, FunctionContext context,
                   ExecutionLimits limits)
    : graph_(graph),
      query_(query),
      context_(context),
      limits_(limits),
      frame_(query.variables.size()) {
  has_location_key_ = graph.strings().find("location", location_key_);
  started_ = limits.started.value_or(std::chrono::steady_clock::now());
  expansions_ = limits.already_walked;
  next_clock_check_ = expansions_ + kClockInterval;
}

void Executor::tick() {
  ++expansions_;
  if (expansions_ > limits_.max_expansions) {
    throw LimitExceeded("the query walked more than " + std::to_string(limits_.max_expansions) +
                        " relations; narrow the pattern (kinds, relation kinds, hop bounds) or "
                        "raise --max-expansions");
  }
  if (expansions_ >= next_clock_check_) {
    next_clock_check_ = expansions_ + kClockInterval;
    if (limits_.deadline.count() > 0 &&
        std::chrono::steady_clock::now() - started_ > limits_.deadline) {
      throw LimitExceeded("the query ran past its deadline of " +
                          std::to_string(limits_.deadline.count()) +
                          " ms; narrow the pattern or raise --timeout");
    }
  }
}

bool Executor::match(const MatchCallback& callback) {
  return match_plan(query_.plan, callback);
}

bool Executor::match(const MatchCallback& callback, const MatchCallback& undecided) {
  const MatchCallback* saved = undecided_;
  undecided_ = &undecided;
  const bool go_on = match_plan(query_.plan, callback);
  undecided_ = saved;
  return go_on;
}

bool Executor::match_plan(const SubPlan& plan, const MatchCallback& callback) {
  return run(plan, 0, callback);
}

bool Executor::run(const SubPlan& plan, std::size_t index, const MatchCallback& callback) {
  if (index == plan.steps.size()) {
    if (open_ > 0) return undecided_ ? (*undecided_)(frame_) : true;
    return callback(frame_);
  }
  const Step& step = plan.steps[index];
  switch (step.kind) {
    case Step::Kind::kScan: {
      auto visit = [&](model::VertexId v) {
        tick();
        frame_[step.node] = Value::of_node(v);
        return run(plan, index + 1, callback);
      };
      bool go_on = true;
      if (step.kinds == 0) {
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
    case Step::Kind::kLookup: {
      const Value id = evaluate(*step.lookup);
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
      const Value wanted = evaluate(*step.lookup);
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
        tick();
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
      const Value center = evaluate(*step.center);
      const Value radius = evaluate(*step.radius);
      model::GeoPoint point;
      if (!radius.is_number() || !location_of(center, point)) return true;
      const double km = radius.as_double();
      bool go_on = true;
      graph_.spatial_index(step.kinds)
          .for_each_near(point, km, [&](model::VertexId v, model::GeoPoint) {
            if (!go_on || !kind_allowed(step.kinds, graph_.kind(v))) return;
            tick();
            frame_[step.node] = Value::of_node(v);
            go_on = run(plan, index + 1, callback);
          });
      frame_[step.node] = Value::null();
      return go_on;
    }
    case Step::Kind::kExpand: {
      const PatternEdge& edge = plan.edges[step.edge];
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
      pending_.clear();
      const Value v = evaluate(*step.filter);
      if (v.type == Type::kBool && v.boolean) return run(plan, index + 1, callback);
      if (!v.is_null() || !v.imprecise || undecided_ == nullptr) return true;
      // Unknown only because of a partial date: the rest of the match decides whether it
      // is undecided (every other condition true or unknown so) or fails.
      const std::size_t mark = open_notes_.size();
      for (auto& n : pending_) open_notes_.push_back(std::move(n));
      pending_.clear();
      ++open_;
      const bool go_on = run(plan, index + 1, callback);
      --open_;
      open_notes_.resize(mark);
      return go_on;
    }
  }
  return true;
}

bool Executor::location_of(const Value& v, model::GeoPoint& out) const {
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

bool Executor::relation_in_use(const SubPlan& plan, const PatternEdge& edge,
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

bool Executor::relation_ok(const SubPlan& plan, const PatternEdge& edge, model::RelationId r) {
  if (relation_in_use(plan, edge, r)) return false;
  if (edge.property_filters.empty()) return true;
  const Value saved = frame_[edge.rel_cursor];
  frame_[edge.rel_cursor] = Value::of_relation(r);
  bool ok = true;
  for (const auto& f : edge.property_filters) {
    if (!holds(*f)) {
      ok = false;
      break;
    }
  }
  frame_[edge.rel_cursor] = saved;
  return ok;
}

bool Executor::expand(const SubPlan& plan, std::size_t index, const MatchCallback& callback) {
  const Step& step = plan.steps[index];
  const PatternEdge& edge = plan.edges[step.edge];
  const model::VertexId from = frame_[step.from].node;
  const Direction d = walked_direction(edge.direction, step.reversed);
  const bool target_bound = step.target_bound;
  const model::VertexId target = target_bound ? frame_[step.node].node : model::kNoVertex;
  const bool go_on = for_each_adjacent(graph_, from, d, edge.types, [&](const model::Adjacency& a) {
    tick();
    if (target_bound ? a.other != target : !kind_allowed(step.kinds, graph_.kind(a.other)))
      return true;
    if (!relation_ok(plan, edge, a.relation)) return true;
    frame_[edge.relation] = Value::of_relation(a.relation);
    if (!target_bound) frame_[step.node] = Value::of_node(a.other);
    return run(plan, index + 1, callback);
  });
  frame_[edge.relation] = Value::null();
  if (!target_bound) frame_[step.node] = Value::null();
  return go_on;
}

bool Executor::expand_variable(const SubPlan& plan, std::size_t index,
                               const MatchCallback& callback) {
  const Step& step = plan.steps[index];
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
    auto degree = [&](model::VertexId v, Direction dir) {
      std::size_t n = 0;
      for_each_adjacent(graph_, v, dir, edge.types, [&](const model::Adjacency&) {
        return ++n <= 64;  // enough to compare
      });
      return n;
    };
    if (degree(target, back) < degree(start, d)) {
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
bool Executor::expand_reach(const SubPlan& plan, std::size_t index, const MatchCallback& callback) {
  const Step& step = plan.steps[index];
  const PatternEdge& edge = plan.edges[step.edge];
  const model::VertexId from = frame_[step.from].node;
  const Direction d = walked_direction(edge.direction, step.reversed);
  const model::VertexId target = step.target_bound ? frame_[step.node].node : model::kNoVertex;
  std::vector<model::VertexId> reached{from};  // reached[0] is the start
  std::unordered_set<model::VertexId> seen;    // used once `reached` is no longer short
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
  bool found_target = edge.min_hops == 0 && from == target;
  for (std::size_t level_begin = 0, depth = 0; depth < edge.max_hops && !found_target; ++depth) {
    const std::size_t level_end = reached.size();
    if (level_begin == level_end) break;
    for (std::size_t i = level_begin; i < level_end && !found_target; ++i) {
      for_each_adjacent(graph_, reached[i], d, edge.types, [&](const model::Adjacency& a) {
        tick();
        if (!relation_ok(plan, edge, a.relation) || !first_visit(a.other)) return true;
        if (a.other == target) found_target = true;
        return !found_target;
      });
    }
    level_begin = level_end;
  }
  frame_[edge.segment] = Value::null();  // nothing reads the walk
  if (step.target_bound) return found_target ? run(plan, index + 1, callback) : true;
  bool go_on = true;
  for (std::size_t i = edge.min_hops == 0 ? 0 : 1; i < reached.size() && go_on; ++i) {
    if (!kind_allowed(step.kinds, graph_.kind(reached[i]))) continue;
    frame_[step.node] = Value::of_node(reached[i]);
    go_on = run(plan, index + 1, callback);
  }
  frame_[step.node] = Value::null();
  return go_on;
}

// Depth-first over simple paths (no entity twice) from `at`, reporting every path whose
// length lies within the edge's hop bounds.
bool Executor::walk(const SubPlan& plan, std::size_t index, const PatternEdge& edge, Direction d,
                    model::VertexId at, PathData& walked, bool flipped,
                    const MatchCallback& callback) {
  const std::size_t depth = walked.relations.size();
  if (depth >= edge.min_hops && !bind_segment_end(plan, index, edge, walked, flipped, callback))
    return false;
  if (depth >= edge.max_hops) return true;
  return for_each_adjacent(graph_, at, d, edge.types, [&](const model::Adjacency& a) {
    tick();
    // A walk is a simple path: its own entities only are excluded (walks may nest, in a
    // later pattern element or an EXISTS, so the check reads this walk's path).
    if (std::find(walked.nodes.begin(), walked.nodes.end(), a.other) != walked.nodes.end() ||
        !relation_ok(plan, edge, a.relation)) {
      return true;
    }
    walked.nodes.push_back(a.other);
    walked.relations.push_back(a.relation);
    const bool go_on = walk(plan, index, edge, d, a.other, walked, flipped, callback);
    walked.nodes.pop_back();
    walked.relations.pop_back();
    return go_on;
  });
}

bool Executor::bind_segment_end(const SubPlan& plan, std::size_t index, const PatternEdge& edge,
                                const PathData& walked, bool flipped,
                                const MatchCallback& callback) {
  const Step& step = plan.steps[index];
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

void Executor::assemble_path(const SubPlan& plan, const PathBinding& path) {
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

int Executor::exists(const SubPlan& plan) {
  // The answer depends only on the outer variables the subquery reads: remember it per
  // combination of their entities and relations (other values are not remembered).
  std::string key;
  bool cacheable = true;
  for (Slot s : plan.memo_slots) {
    const Value& v = frame_[s];
    if (v.type != Type::kNode && v.type != Type::kRelation && v.type != Type::kNull) {
      cacheable = false;
      break;
    }
    const std::uint32_t id = v.type == Type::kNode       ? v.node
                             : v.type == Type::kRelation ? v.relation
                                                         : 0;
    key += static_cast<char>(v.type);
    key.append(reinterpret_cast<const char*>(&id), sizeof id);
  }
  // Outer entities read only through properties count by those properties' values.
  for (std::size_t i = 0; cacheable && i < plan.memo_properties.size(); ++i) {
    append_key(graph_, evaluate(*plan.memo_properties[i]), key);
    key += '\x1e';
  }
  std::unordered_map<std::string, ExistsAnswer>* cache = nullptr;
  if (cacheable) {
    cache = &exists_cache_[&plan];
    if (auto it = cache->find(key); it != cache->end()) {
      pending_.insert(pending_.end(), it->second.why.begin(), it->second.why.end());
      return it->second.answer;
    }
  }
  // The subquery runs as a query of its own: its conditions open their own undecided
  // matches, and an undecided match (with no sure one) makes the answer unknown.
  std::vector<Imprecision> outer_pending = std::move(pending_);
  pending_.clear();
  const int outer_open = open_;
  const MatchCallback* outer_undecided = undecided_;
  const std::size_t mark = open_notes_.size();
  ExistsAnswer result;
  const MatchCallback on_undecided = [&](const std::vector<Value>&) {
    if (result.answer == 0) {
      result.answer = kImprecise;
      result.why.assign(open_notes_.begin() + static_cast<std::ptrdiff_t>(mark), open_notes_.end());
    }
    return true;  // a sure match may still come
  };
  open_ = 0;
  undecided_ = &on_undecided;
  bool found = false;
  run(plan, 0, [&](const std::vector<Value>&) {
    found = true;
    return false;  // one match decides
  });
  open_ = outer_open;
  undecided_ = outer_undecided;
  open_notes_.resize(mark);
  pending_ = std::move(outer_pending);
  if (found) {
    result.answer = 1;
    result.why.clear();
  }
  pending_.insert(pending_.end(), result.why.begin(), result.why.end());
  const int answer = result.answer;
  if (cache) cache->emplace(std::move(key), std::move(result));
  return answer;
}

void Executor::note_imprecision(const CompiledExpr& condition, const Value& left,
                                const Value& right) {
  Imprecision note;
  note.condition = condition.span;
  if (condition.children.size() == 2) {
    note.left_span = condition.children[0]->span;
    note.right_span = condition.children[1]->span;
  }
  note.left = left;
  note.right = right;
  for (const auto& c : condition.children) collect_dates(*c, note.dates);
  pending_.push_back(std::move(note));
}

// The partial dates an expression reads from the registry (literals are not data).
void Executor::collect_dates(const CompiledExpr& e, std::vector<Imprecision::DateRead>& out) {
  if (e.op == CompiledExpr::Op::kExists || e.op == CompiledExpr::Op::kQuantifier ||
      e.op == CompiledExpr::Op::kAggregate) {
    return;
  }
  if (e.op == CompiledExpr::Op::kProperty) {
    const Value v = evaluate_property(e);
    if (v.type == Type::kDate && v.date.precision() != model::Date::Precision::kDay) {
      out.push_back({evaluate(*e.children[0]), e.key_text, v.date});
    }
    return;
  }
  for (const auto& c : e.children) collect_dates(*c, out);
}

Value Executor::evaluate(const CompiledExpr& e) {
  using Op = CompiledExpr::Op;
  switch (e.op) {
    case Op::kConstant:
      return e.constant;
    case Op::kSlot:
      return frame_[e.slot];
    case Op::kProperty:
      return evaluate_property(e);
    case Op::kList: {
      ValueList items;
      items.reserve(e.children.size());
      for (const auto& c : e.children) items.push_back(evaluate(*c));
      return Value::of_list(std::move(items));
    }
    case Op::kUnary: {
      const Value v = evaluate(*e.children[0]);
      switch (e.unary_op) {
        case UnaryOp::kNot: {
          const int t = truth_of(v, "NOT");
          return t < 0 ? truth(t) : Value::of_bool(t == 0);
        }
        case UnaryOp::kNegate:
          if (v.is_null()) return v;
          if (v.type == Type::kInt) {
            if (v.integer == INT64_MIN) throw EvaluationError("integer overflow");
            return Value::of_int(-v.integer);
          }
          if (v.type == Type::kFloat) return Value::of_float(-v.number);
          if (v.type == Type::kRange)
            return Value::of_range(-v.range().hi, -v.range().lo, v.range().integral);
          throw EvaluationError("unary minus takes a number");
        case UnaryOp::kPlus:
          if (!v.is_null() && !v.is_number() && v.type != Type::kRange)
            throw EvaluationError("unary plus takes a number");
          return v;
        case UnaryOp::kIsNull:
          return Value::of_bool(v.is_null());
        case UnaryOp::kIsNotNull:
          return Value::of_bool(!v.is_null());
      }
      return Value::null();
    }
    case Op::kBinary:
      return evaluate_binary(e);
    case Op::kCall: {
      Value args[8];
      std::vector<Value> many;
      std::span<const Value> view;
      if (e.children.size() <= 8) {
        for (std::size_t i = 0; i < e.children.size(); ++i) args[i] = evaluate(*e.children[i]);
        view = std::span<const Value>(args, e.children.size());
      } else {
        for (const auto& c : e.children) many.push_back(evaluate(*c));
        view = many;
      }
      return e.function->fn(context_, view);
    }
    case Op::kAggregate:
      if (aggregates_ == nullptr) throw EvaluationError("aggregate outside RETURN");
      return (*aggregates_)[e.aggregate_index];
    case Op::kExists:
      return truth(exists(*e.exists));
    case Op::kQuantifier:
      return evaluate_quantifier(e);
  }
  return Value::null();
}

Value Executor::evaluate_property(const CompiledExpr& e) {
  const Value object = evaluate(*e.children[0]);
  switch (object.type) {
    case Type::kNull:
      return Value::null();
    case Type::kNode: {
      const model::VertexId v = object.node;
      if (e.key_text == "id") return Value::of_view(graph_.id(v));
      if (e.key_text == "kind") return Value::of_view(graph_.schema().kind(graph_.kind(v)).name);
      if (e.key_text == "name") {
        // The name as given: a nameless entity reads null (Graph::name falls back).
        const model::Sym name = graph_.name_sym(v);
        return name != 0 ? Value::of_view(graph_.str(name)) : Value::null();
      }
      if (!e.key_interned) return Value::null();
      const model::Value* p = graph_.property(v, e.key);
      return p ? from_model(graph_, *p) : Value::null();
    }
    case Type::kRelation: {
      const model::RelationId r = object.relation;
      if (e.key_text == "id") return Value::of_view(graph_.relation_id(r));
      if (e.key_text == "kind") {
        return Value::of_view(graph_.schema().relation(graph_.relation_kind(r)).name);
      }
      if (!e.key_interned) return Value::null();
      const model::Value* p = graph_.relation_property(r, e.key);
      return p ? from_model(graph_, *p) : Value::null();
    }
    default:
      throw EvaluationError("cannot read property '" + e.key_text + "' of a " +
                            std::string(type_name(object.type)));
  }
}

Value Executor::evaluate_binary(const CompiledExpr& e) {
  const BinaryOp op = e.binary_op;
  // Boolean connectives short-circuit with three-valued logic.
  if (op == BinaryOp::kAnd || op == BinaryOp::kOr) {
    const int a = truth_of(evaluate(*e.children[0]), op == BinaryOp::kAnd ? "AND" : "OR");
    if (op == BinaryOp::kAnd && a == 0) return Value::of_bool(false);
    if (op == BinaryOp::kOr && a == 1) return Value::of_bool(true);
    const int b = truth_of(evaluate(*e.children[1]), op == BinaryOp::kAnd ? "AND" : "OR");
    if (op == BinaryOp::kAnd) {
      if (b == 0) return Value::of_bool(false);
      return (a < 0 || b < 0) ? undecided({a, b}) : Value::of_bool(true);
    }
    if (b == 1) return Value::of_bool(true);
    return (a < 0 || b < 0) ? undecided({a, b}) : Value::of_bool(false);
  }
  Value a = evaluate(*e.children[0]);
  Value b = evaluate(*e.children[1]);
  switch (op) {
    case BinaryOp::kXor: {
      const int x = truth_of(a, "XOR"), y = truth_of(b, "XOR");
      return (x < 0 || y < 0) ? undecided({x, y}) : Value::of_bool(x != y);
    }
    case BinaryOp::kEq:
    case BinaryOp::kNe: {
      coerce_dates(a, b);
      const int eq = equals(a, b);
      if (eq == kImprecise) note_imprecision(e, a, b);
      if (eq < 0) return truth(eq);
      return Value::of_bool(op == BinaryOp::kEq ? eq == 1 : eq == 0);
    }
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe: {
      coerce_dates(a, b);
      const bool flip = op == BinaryOp::kGt || op == BinaryOp::kGe;
      const int t = less(flip ? b : a, flip ? a : b, op == BinaryOp::kLe || op == BinaryOp::kGe);
      if (t == kImprecise) note_imprecision(e, a, b);
      return truth(t);
    }
    case BinaryOp::kIn: {
      if (b.is_null()) return Value::null();
      if (b.type != Type::kList) throw EvaluationError("IN takes a list on its right");
      bool saw_null = false, saw_imprecise = false;
      for (const auto& item : b.list()) {
        Value x = a, y = item;
        coerce_dates(x, y);
        const int eq = equals(x, y);
        if (eq == 1) return Value::of_bool(true);
        if (eq == -1) saw_null = true;
        if (eq == kImprecise) saw_imprecise = true;
      }
      if (saw_null) return Value::null();
      if (saw_imprecise) {
        note_imprecision(e, a, b);
        return Value::unknown();
      }
      return Value::of_bool(false);
    }
    case BinaryOp::kStartsWith:
    case BinaryOp::kEndsWith:
    case BinaryOp::kContains:
      if (a.type != Type::kString || b.type != Type::kString) return Value::null();
      if (op == BinaryOp::kStartsWith) return Value::of_bool(a.text.starts_with(b.text));
      if (op == BinaryOp::kEndsWith) return Value::of_bool(a.text.ends_with(b.text));
      return Value::of_bool(a.text.find(b.text) != std::string_view::npos);
    case BinaryOp::kRegexMatch: {
      if (a.type != Type::kString || b.type != Type::kString) return Value::null();
      const re2::StringPiece subject(a.text.data(), a.text.size());
      if (e.regex) return Value::of_bool(RE2::FullMatch(subject, *e.regex));
      RE2::Options opts;
      opts.set_log_errors(false);
      const RE2 re(re2::StringPiece(b.text.data(), b.text.size()), opts);
      if (!re.ok()) throw EvaluationError("invalid regular expression: " + re.error());
      return Value::of_bool(RE2::FullMatch(subject, re));
    }
    case BinaryOp::kIndex: {
      if (a.is_null() || b.is_null()) return Value::null();
      if (a.type != Type::kList || b.type != Type::kInt) {
        throw EvaluationError("indexing takes a list and an integer");
      }
      const auto& items = a.list();
      const std::int64_t n = static_cast<std::int64_t>(items.size());
      const std::int64_t i = b.integer < 0 ? n + b.integer : b.integer;
      return (i < 0 || i >= n) ? Value::null() : items[static_cast<std::size_t>(i)];
    }
    default:
      return arithmetic(op, a, b);
  }
}

Value Executor::evaluate_quantifier(const CompiledExpr& e) {
  const Value list = evaluate(*e.children[0]);
  if (list.is_null()) return Value::null();
  if (list.type != Type::kList) throw EvaluationError("any/all/none/single take a list after IN");
  int trues = 0, falses = 0, nulls = 0, plain_nulls = 0;
  for (const auto& item : list.list()) {
    frame_[e.slot] = item;
    int t = 1;
    if (e.children.size() > 1) t = truth_of(evaluate(*e.children[1]), "WHERE");
    (t < 0 ? nulls : t ? trues : falses)++;
    if (t == -1) ++plain_nulls;
  }
  frame_[e.slot] = Value::null();
  // Unknown by imprecision when every unknown predicate was unknown so.
  const int unknown = plain_nulls ? -1 : kImprecise;
  switch (e.quantifier) {
    case CompiledExpr::Quantifier::kAny:
      return trues > 0 ? Value::of_bool(true) : truth(nulls ? unknown : 0);
    case CompiledExpr::Quantifier::kAll:
      return falses > 0 ? Value::of_bool(false) : truth(nulls ? unknown : 1);
    case CompiledExpr::Quantifier::kNone:
      return trues > 0 ? Value::of_bool(false) : truth(nulls ? unknown : 1);
    case CompiledExpr::Quantifier::kSingle:
      if (trues > 1) return Value::of_bool(false);
      return nulls ? truth(unknown) : Value::of_bool(trues == 1);
  }
  return Value::null();
}

}  // namespace twinscan::query
