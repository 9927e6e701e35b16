#include "analyzer/rules/match_key.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/model/made_relation_id.h"

namespace twinscan::rules {
namespace {

// The id of what `b` binds: a view into the graph's strings, or into `scratch` for a
// relation id made when shown.
std::string_view id_of(const model::Graph& graph, const Bound& b, std::string& scratch) {
  if (b.type == query::Type::kNode) return graph.id(b.index);
  if (b.type == query::Type::kRelation) return graph.relation_id(b.index, scratch);
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
      id = graph.relation_identity(v.relation);
    }
    out.bound.push_back(b);
    out.key.push_back(id);
  }
  std::sort(out.key.begin(), out.key.end());
}

FindingBindings binding_text(const CompiledRule& rule, const model::Graph& graph,
                             const std::vector<Bound>& bound) {
  // One block for them all: their texts, and a byte for each length (most are short).
  // Ids made when shown are made once, into `made`, and read from there.
  thread_local std::string made;
  thread_local std::vector<std::pair<std::size_t, std::size_t>> made_at;  // by binding
  made.clear();
  made_at.assign(bound.size(), {0, 0});
  std::size_t bytes = 0;
  std::string scratch;
  for (std::size_t i = 0; i < bound.size(); ++i) {
    std::size_t size = 0;
    if (bound[i].type == query::Type::kRelation &&
        model::is_made_relation_id(graph.relation_id_sym(bound[i].index))) {
      const std::size_t begin = made.size();
      graph.append_relation_id(bound[i].index, made);
      made_at[i] = {begin, made.size() - begin};
      size = made.size() - begin;
    } else {
      size = id_of(graph, bound[i], scratch).size();
    }
    bytes += 2 + rule.bindings[i].first.size() + size;
  }
  FindingBindings out;
  out.reserve(bytes);
  for (std::size_t i = 0; i < bound.size(); ++i) {
    const std::string_view id =
        made_at[i].second != 0 ? std::string_view(made).substr(made_at[i].first, made_at[i].second)
                               : id_of(graph, bound[i], scratch);
    out.emplace_back(rule.bindings[i].first, id);
  }
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
  std::string scratch;
  for (const Bound& b : bound) {
    std::string id(id_of(graph, b, scratch));
    if (stable != nullptr && !stable->empty()) {
      if (b.type == query::Type::kNode) {
        id = stable_of(id);
      } else if (b.type == query::Type::kRelation) {
        // An id made from the ends ("FROM-KIND->TO", perhaps "#2" after) is made again
        // from their stable ids; an id the relation was given stays.
        const std::string_view from = graph.id(graph.relation_source(b.index));
        const std::string_view to = graph.id(graph.relation_target(b.index));
        const std::string_view kind = graph.schema().relation(graph.relation_kind(b.index)).name;
        std::string made;
        model::append_made_relation_id(from, kind, to, 1, made);
        if (id.starts_with(made)) {
          std::string stable_id;
          model::append_made_relation_id(stable_of(from), kind, stable_of(to), 1, stable_id);
          id = stable_id + id.substr(made.size());
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
  thread_local std::string scratch_a, scratch_b;
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    const int c = id_of(graph, a[i], scratch_a).compare(id_of(graph, b[i], scratch_b));
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

}  // namespace twinscan::rules
