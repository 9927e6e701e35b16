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

}  // namespace

void add_evidence(const CompiledRule& rule, const std::vector<Value>& frame, Finding& finding) {
  for (const auto& var : rule.query.variables) {
    const Value& v = frame[var.slot];
    switch (v.type) {
      case query::Type::kNode:
        finding.entities.push_back(v.node);
        break;
      case query::Type::kRelation:
        finding.relations.push_back(v.relation);
        break;
      case query::Type::kPath:
        finding.entities.insert(finding.entities.end(), v.path().nodes.begin(),
                                v.path().nodes.end());
        finding.relations.insert(finding.relations.end(), v.path().relations.begin(),
                                 v.path().relations.end());
        break;
      default:
        break;
    }
  }
}

void finish_evidence(Finding& finding) {
  sort_unique(finding.entities);
  sort_unique(finding.relations);
}

FindingsBuilder::FindingsBuilder(const model::Graph& graph, const Rule& rule,
                                 const CompiledRule& by_bindings, const model::Date& as_of,
                                 const query::ExecutionLimits& limits, const StableIds* stable_ids)
    : graph_(graph),
      rule_(rule),
      by_bindings_(by_bindings),
      stable_ids_(stable_ids),
      executor_(graph, by_bindings.query, query::FunctionContext{graph, as_of}, limits) {}

Finding FindingsBuilder::build(const std::vector<Bound>& bound) {
  Finding f;
  f.rule = &rule_;
  f.severity = rule_.severity;
  f.category = rule_.category;
  f.title = rule_.title;
  f.bindings = binding_text(by_bindings_, graph_, bound);
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
  if (stable_ids_ == nullptr || stable_ids_->empty()) {
    // The ids are the bindings' own, read once already.
    std::vector<std::string_view> ids;
    ids.reserve(f.bindings.size());
    for (const auto& [name, id] : f.bindings) ids.emplace_back(id);
    f.fingerprint = fingerprint_of_views(rule_.id, std::move(ids));
  } else {
    f.fingerprint = fingerprint_of(rule_.id, fingerprint_ids(graph_, bound, stable_ids_));
  }
  return f;
}

}  // namespace twinscan::rules
