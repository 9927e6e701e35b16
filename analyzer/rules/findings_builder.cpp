#include "analyzer/rules/findings_builder.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace twinscan::rules {
namespace {

using query::Value;

std::string describe_bindings(const FindingBindings& bindings) {
  std::string out;
  for (const auto& [name, id] : bindings) {
    if (!out.empty()) out += ", ";
    out.append(name).append(" = ").append(id);
  }
  return out;
}

void sort_unique(auto& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

void add_evidence(const CompiledRule& rule, const std::vector<Value>& frame,
                  std::vector<model::VertexId>& entities,
                  std::vector<model::RelationId>& relations) {
  for (const auto& var : rule.query.variables) {
    const Value& v = frame[var.slot];
    switch (v.type) {
      case query::Type::kNode:
        entities.push_back(v.node);
        break;
      case query::Type::kRelation:
        relations.push_back(v.relation);
        break;
      case query::Type::kPath:
        entities.insert(entities.end(), v.path().nodes.begin(), v.path().nodes.end());
        relations.insert(relations.end(), v.path().relations.begin(), v.path().relations.end());
        break;
      default:
        break;
    }
  }
}

// Whether `e` reads no variable but those in `slots` (sorted), and nothing a match
// binds besides: no subquery, no variable of its own (a quantifier's), no aggregate.
bool reads_only(const query::CompiledExpr& e, const std::vector<query::Slot>& slots) {
  using Op = query::CompiledExpr::Op;
  switch (e.op) {
    case Op::kExists:
    case Op::kQuantifier:
    case Op::kAggregate:
      return false;
    case Op::kSlot:
      if (!std::binary_search(slots.begin(), slots.end(), e.slot)) return false;
      break;
    default:
      break;
  }
  return std::all_of(e.children.begin(), e.children.end(),
                     [&](const auto& child) { return !child || reads_only(*child, slots); });
}

bool walks_once_per_far_end(const query::SubPlan& plan) {
  return std::any_of(plan.edges.begin(), plan.edges.end(),
                     [](const query::PatternEdge& e) { return e.endpoints_only; });
}

// Whether the evidence search walks `b` as the search walks `a`: the same ends, kinds,
// direction and bounds (the two compilations of one rule number their edges alike).
bool same_walk(const query::PatternEdge& a, const query::PatternEdge& b) {
  return a.left == b.left && a.right == b.right && a.types == b.types &&
         a.direction == b.direction && a.min_hops == b.min_hops && a.max_hops == b.max_hops &&
         a.variable_length && b.variable_length &&
         b.property_filters.size() == a.property_filters.size();
}

}  // namespace

void add_evidence(const CompiledRule& rule, const std::vector<Value>& frame, Finding& finding) {
  add_evidence(rule, frame, finding.entities, finding.relations);
}

void finish_evidence(Finding& finding) {
  sort_unique(finding.entities);
  sort_unique(finding.relations);
}

void GatheredEvidence::add(const CompiledRule& rule, const std::vector<Value>& frame,
                           const std::vector<int>& end_walks) {
  if (!complete) return;
  if (++matches > FindingsBuilder::kMaxEvidenceMatches) {
    drop();
    return;
  }
  for (const int e : end_walks) {
    const query::PatternEdge& edge = rule.query.plan.edges[static_cast<std::size_t>(e)];
    const Value& left = frame[edge.left];
    const Value& right = frame[edge.right];
    if (left.type != query::Type::kNode || right.type != query::Type::kNode) {
      drop();
      return;
    }
    walk_ends.push_back(left.node);
    walk_ends.push_back(right.node);
  }
  add_evidence(rule, frame, entities, relations);
  // Many matches of one set mostly repeat its entities: keep them once each as they come.
  if (entities.size() + relations.size() > std::max<std::size_t>(64, 2 * compacted_)) compact();
}

void GatheredEvidence::merge(GatheredEvidence&& other) {
  if (!complete) return;
  if (!other.complete || matches + other.matches > FindingsBuilder::kMaxEvidenceMatches) {
    drop();
    return;
  }
  matches += other.matches;
  entities.insert(entities.end(), other.entities.begin(), other.entities.end());
  relations.insert(relations.end(), other.relations.begin(), other.relations.end());
  walk_ends.insert(walk_ends.end(), other.walk_ends.begin(), other.walk_ends.end());
  other = {};
  compact();
}

void GatheredEvidence::drop() {
  complete = false;
  entities = {};
  relations = {};
  walk_ends = {};
}

void GatheredEvidence::compact() {
  sort_unique(entities);
  sort_unique(relations);
  compacted_ = entities.size() + relations.size();
}

EvidencePlan plan_gathered_evidence(const CompiledRule& main, const CompiledRule& by_bindings) {
  EvidencePlan out;
  for (const auto& stage : main.query.stages) {
    if (walks_once_per_far_end(stage.plan)) return out;
  }
  const auto& edges = main.query.plan.edges;
  const auto& evidence_edges = by_bindings.query.plan.edges;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const query::PatternEdge& e = edges[i];
    if (!e.endpoints_only) continue;
    // Its paths are listed from the ends by the evidence form's own walk, whose
    // conditions may read the relation walked only.
    if (i >= evidence_edges.size() || !same_walk(e, evidence_edges[i]) ||
        !e.relation_conditions.empty()) {
      return out;
    }
    for (const auto& f : evidence_edges[i].property_filters) {
      if (!reads_only(*f, {evidence_edges[i].rel_cursor})) return out;
    }
    out.end_walks.push_back(static_cast<int>(i));
  }
  std::vector<query::Slot> bound;
  for (const auto& [name, slot] : by_bindings.bindings) bound.push_back(slot);
  std::sort(bound.begin(), bound.end());
  out.gathers = std::all_of(by_bindings.query.extras.begin(), by_bindings.query.extras.end(),
                            [&](const auto& e) { return reads_only(*e, bound); });
  if (!out.gathers) out.end_walks.clear();
  return out;
}

FindingsBuilder::FindingsBuilder(const model::Graph& graph, const Rule& rule,
                                 const CompiledRule& by_bindings,
                                 const query::FunctionContext& context,
                                 const query::ExecutionLimits& limits, const StableIds* stable_ids)
    : graph_(graph),
      rule_(rule),
      by_bindings_(by_bindings),
      stable_ids_(stable_ids),
      executor_(graph, by_bindings.query, context, limits) {}

Finding FindingsBuilder::begin(const std::vector<Bound>& bound) const {
  Finding f;
  f.rule = &rule_;
  f.severity = rule_.severity;
  f.category = rule_.category;
  f.title = rule_.title;
  f.bindings = binding_text(by_bindings_, graph_, bound);
  return f;
}

Finding FindingsBuilder::build(const std::vector<Bound>& bound) {
  Finding f = begin(bound);
  std::fill(executor_.frame().begin(), executor_.frame().end(), Value::null());
  // Both compilations bind the same names to the same slots.
  for (std::size_t i = 0; i < bound.size(); ++i) {
    if (bound[i].type == query::Type::kNode)
      executor_.frame()[by_bindings_.bindings[i].second] = Value::of_node(bound[i].index);
  }
  // Relation variables are not preset; matches whose relations differ are filtered.
  auto same = [&](const std::vector<Value>& frame) {
    for (std::size_t i = 0; i < bound.size(); ++i) {
      if (!(Bound::of(frame[by_bindings_.bindings[i].second]) == bound[i])) return false;
    }
    return true;
  };
  bool first = true;
  std::size_t matches = 0;
  executor_.match([&](const std::vector<Value>& frame) {
    if (!same(frame)) return true;
    // Cross-holdings join two firms by millions of chains, and listing each relation of
    // every one would take as long; the first ones show how the two are joined.
    if (++matches > kMaxEvidenceMatches) return false;
    if (first) {
      std::vector<Value> extras;
      for (const auto& e : by_bindings_.query.extras) extras.push_back(executor_.evaluate(*e));
      f.message = render_message(by_bindings_, graph_, extras);
      first = false;
    }
    add_evidence(by_bindings_, frame, f);
    return true;
  });
  if (first) {
    // The binding set was found by the search, so some match must rebuild it; an empty
    // finding would read as clear. Say it is a fault instead.
    throw EvidenceError("rule " + rule_.id + " found bindings it could not rebuild (" +
                        describe_bindings(f.bindings) + ")");
  }
  finish_evidence(f);
  f.fingerprint = fingerprint(f, bound);
  return f;
}

Finding FindingsBuilder::build(const std::vector<Bound>& bound, const GatheredEvidence& gathered,
                               const std::vector<int>& end_walks) {
  Finding f = begin(bound);
  // The frame holds the bindings alone, as a match of them does: the walks below check
  // their relations against it, and the placeholders read it.
  std::fill(executor_.frame().begin(), executor_.frame().end(), Value::null());
  for (std::size_t i = 0; i < bound.size(); ++i) {
    const query::Slot slot = by_bindings_.bindings[i].second;
    if (bound[i].type == query::Type::kNode) {
      executor_.frame()[slot] = Value::of_node(bound[i].index);
    } else if (bound[i].type == query::Type::kRelation) {
      executor_.frame()[slot] = Value::of_relation(bound[i].index);
    }
  }
  f.entities = gathered.entities;
  f.relations = gathered.relations;
  if (!end_walks.empty()) {
    // Each match of the evidence search is a match of the search with one path of each of
    // its walks: as many as the products of their paths' numbers. Past the matches a
    // finding lists, the evidence search decides which ones it lists.
    std::map<std::tuple<int, model::VertexId, model::VertexId>, std::size_t> paths;
    std::size_t evidence_matches = 0;
    const std::size_t per_match = end_walks.size() * 2;
    for (std::size_t m = 0; m + per_match <= gathered.walk_ends.size(); m += per_match) {
      std::size_t product = 1;
      for (std::size_t w = 0; w < end_walks.size(); ++w) {
        const model::VertexId from = gathered.walk_ends[m + 2 * w];
        const model::VertexId to = gathered.walk_ends[m + 2 * w + 1];
        const auto entry = paths.try_emplace({end_walks[w], from, to}, 0);
        std::size_t& count = entry.first->second;
        if (entry.second) {
          const query::PatternEdge& edge =
              by_bindings_.query.plan.edges[static_cast<std::size_t>(end_walks[w])];
          executor_.walks_between(edge, from, to, [&](const query::PathData& p) {
            f.entities.insert(f.entities.end(), p.nodes.begin(), p.nodes.end());
            f.relations.insert(f.relations.end(), p.relations.begin(), p.relations.end());
            return ++count <= kMaxEvidenceMatches;
          });
        }
        // A far end the search reached has a walk to it; none would be a fault, which
        // the evidence search reports.
        if (count == 0) return build(bound);
        product = std::min(product * count, kMaxEvidenceMatches + 1);
      }
      evidence_matches += product;
      if (evidence_matches > kMaxEvidenceMatches) return build(bound);
    }
  }
  // The placeholders read the bindings only: every match of them renders the same text.
  std::vector<Value> extras;
  extras.reserve(by_bindings_.query.extras.size());
  for (const auto& e : by_bindings_.query.extras) extras.push_back(executor_.evaluate(*e));
  f.message = render_message(by_bindings_, graph_, extras);
  finish_evidence(f);
  f.fingerprint = fingerprint(f, bound);
  return f;
}

std::string FindingsBuilder::fingerprint(const Finding& f, const std::vector<Bound>& bound) const {
  if (stable_ids_ == nullptr || stable_ids_->empty()) {
    // The ids are the bindings' own, read once already.
    std::vector<std::string_view> ids;
    ids.reserve(f.bindings.size());
    for (const auto& [name, id] : f.bindings) ids.emplace_back(id);
    return fingerprint_of_views(rule_.id, std::move(ids));
  }
  return fingerprint_of(rule_.id, fingerprint_ids(graph_, bound, stable_ids_));
}

}  // namespace twinscan::rules
