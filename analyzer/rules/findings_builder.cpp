#include "analyzer/rules/findings_builder.h"

#include <algorithm>
#include <string>

namespace twinscan::rules {
namespace {

using query::Value;

std::string describe_bindings(const std::vector<std::pair<std::string, std::string>>& bindings) {
  std::string out;
  for (const auto& [name, id] : bindings) out += (out.empty() ? "" : ", ") + name + " = " + id;
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

}  // namespace

void add_evidence(const CompiledRule& rule, const std::vector<Value>& frame, Finding& finding) {
  add_evidence(rule, frame, finding.entities, finding.relations);
}

void finish_evidence(Finding& finding) {
  sort_unique(finding.entities);
  sort_unique(finding.relations);
}

void GatheredEvidence::add(const CompiledRule& rule, const std::vector<Value>& frame) {
  if (!complete) return;
  if (++matches > FindingsBuilder::kMaxEvidenceMatches) {
    drop();
    return;
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
  other = {};
  compact();
}

void GatheredEvidence::drop() {
  complete = false;
  entities = {};
  relations = {};
}

void GatheredEvidence::compact() {
  sort_unique(entities);
  sort_unique(relations);
  compacted_ = entities.size() + relations.size();
}

bool search_gathers_evidence(const CompiledRule& main, const CompiledRule& by_bindings) {
  if (walks_once_per_far_end(main.query.plan)) return false;
  for (const auto& stage : main.query.stages) {
    if (walks_once_per_far_end(stage.plan)) return false;
  }
  std::vector<query::Slot> bound;
  for (const auto& [name, slot] : by_bindings.bindings) bound.push_back(slot);
  std::sort(bound.begin(), bound.end());
  return std::all_of(by_bindings.query.extras.begin(), by_bindings.query.extras.end(),
                     [&](const auto& e) { return reads_only(*e, bound); });
}

FindingsBuilder::FindingsBuilder(const model::Graph& graph, const Rule& rule,
                                 const CompiledRule& by_bindings, const model::Date& as_of,
                                 const query::ExecutionLimits& limits, const StableIds* stable_ids)
    : graph_(graph),
      rule_(rule),
      by_bindings_(by_bindings),
      stable_ids_(stable_ids),
      executor_(graph, by_bindings.query, query::FunctionContext{graph, as_of}, limits) {}

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

Finding FindingsBuilder::build(const std::vector<Bound>& bound, const GatheredEvidence& gathered) {
  Finding f = begin(bound);
  // The placeholders read the bindings only: every match of them renders the same text.
  std::fill(executor_.frame().begin(), executor_.frame().end(), Value::null());
  for (std::size_t i = 0; i < bound.size(); ++i) {
    const query::Slot slot = by_bindings_.bindings[i].second;
    if (bound[i].type == query::Type::kNode) {
      executor_.frame()[slot] = Value::of_node(bound[i].index);
    } else if (bound[i].type == query::Type::kRelation) {
      executor_.frame()[slot] = Value::of_relation(bound[i].index);
    }
  }
  std::vector<Value> extras;
  extras.reserve(by_bindings_.query.extras.size());
  for (const auto& e : by_bindings_.query.extras) extras.push_back(executor_.evaluate(*e));
  f.message = render_message(by_bindings_, graph_, extras);
  f.entities = gathered.entities;
  f.relations = gathered.relations;
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
