#include "analyzer/rules/match_key.h"

#include <algorithm>

namespace twinscan::rules {
namespace {

std::string_view id_of(const model::Graph& graph, const Bound& b) {
  if (b.type == query::Type::kNode) return graph.id(b.index);
  if (b.type == query::Type::kRelation) return graph.relation_id(b.index);
  return {};
}

}  // namespace

Bound Bound::of(const query::Value& value) {
  if (value.type == query::Type::kNode) return {query::Type::kNode, value.node};
  if (value.type == query::Type::kRelation) return {query::Type::kRelation, value.relation};
  return {};
}

MatchKey key_of(const CompiledRule& rule, const model::Graph& graph,
                const std::vector<query::Value>& frame) {
  MatchKey out;
  key_of(rule, graph, frame, out);
  return out;
}

void key_of(const CompiledRule& rule, const model::Graph& graph,
            const std::vector<query::Value>& frame, MatchKey& out) {
  out.bound.clear();
  out.key.clear();
  out.bound.reserve(rule.bindings.size());
  out.key.reserve(rule.bindings.size());
  for (const auto& [name, slot] : rule.bindings) {
    const query::Value& v = frame[slot];
    Bound b;
    model::Sym id = 0;  // the empty string: nothing bound
    if (v.type == query::Type::kNode) {
      b = {query::Type::kNode, v.node};
      id = graph.id_sym(v.node);
    } else if (v.type == query::Type::kRelation) {
      b = {query::Type::kRelation, v.relation};
      id = graph.relation_id_sym(v.relation);
    }
    out.bound.push_back(b);
    out.key.push_back(id);
  }
  std::sort(out.key.begin(), out.key.end());
}

FindingBindings binding_text(const CompiledRule& rule, const model::Graph& graph,
                             const std::vector<Bound>& bound) {
  // One block for them all: their texts, and a byte for each length (most are short).
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < bound.size(); ++i)
    bytes += 2 + rule.bindings[i].first.size() + id_of(graph, bound[i]).size();
  FindingBindings out;
  out.reserve(bytes);
  for (std::size_t i = 0; i < bound.size(); ++i)
    out.emplace_back(rule.bindings[i].first, id_of(graph, bound[i]));
  return out;
}

std::vector<std::string> fingerprint_ids(const model::Graph& graph, const std::vector<Bound>& bound,
                                         const StableIds* stable) {
  std::vector<std::string> out;
  out.reserve(bound.size());
  const auto stable_of = [&](std::string_view id) -> std::string {
    if (stable == nullptr) return std::string(id);
    const auto it = stable->find(std::string(id));
    return it == stable->end() ? std::string(id) : it->second;
  };
  for (const Bound& b : bound) {
    std::string id(id_of(graph, b));
    if (stable != nullptr && !stable->empty()) {
      if (b.type == query::Type::kNode) {
        id = stable_of(id);
      } else if (b.type == query::Type::kRelation) {
        // An id made from the ends ("FROM-KIND->TO", perhaps "#2" after) is made again
        // from their stable ids; an id the relation was given stays.
        const std::string_view from = graph.id(graph.relation_source(b.index));
        const std::string_view to = graph.id(graph.relation_target(b.index));
        const std::string made = std::string(from) + "-" +
                                 graph.schema().relation(graph.relation_kind(b.index)).name + "->" +
                                 std::string(to);
        if (id.starts_with(made)) {
          id = stable_of(from) + "-" + graph.schema().relation(graph.relation_kind(b.index)).name +
               "->" + stable_of(to) + id.substr(made.size());
        }
      }
    }
    out.push_back(std::move(id));
  }
  return out;
}

bool bindings_less(const model::Graph& graph, const std::vector<Bound>& a,
                   const std::vector<Bound>& b) {
  // Both texts pair the same names, in the same order, with these ids: the first pair
  // that differs (by id) decides, and a shorter list that is a prefix comes first.
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    const int c = id_of(graph, a[i]).compare(id_of(graph, b[i]));
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

}  // namespace twinscan::rules
