#include "analyzer/rules/screen_anchoring.h"

#include <algorithm>
#include <optional>
#include <span>
#include <unordered_set>
#include <utility>

namespace twinscan::rules {
namespace {

using query::Slot;

void sort_unique(auto& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

bool type_allowed(const std::vector<model::RelKindId>& types, model::RelKindId kind) {
  return types.empty() || std::find(types.begin(), types.end(), kind) != types.end();
}

bool kind_fits(model::KindMask kinds, model::KindId kind) {
  return kinds == 0 || (kinds >> kind & 1U) != 0;
}

// Vertices from which a walk along `edge` (its relation kinds and direction, at most
// max_hops) can reach a request element: a walked segment holding a request entity or
// relation starts at one of them. They are found walking the other way from the
// request, so a large neighbour that the walk could only leave (a city with many
// agreements, say) does not pull in its whole neighbourhood.
std::vector<model::VertexId> segment_starts(const model::Graph& graph,
                                            const query::PatternEdge& edge,
                                            const RequestElements& request) {
  const bool back_in = edge.direction != query::Direction::kIn;  // walk forward: come from in-edges
  const bool back_out = edge.direction != query::Direction::kOut;  // walk backward: from out-edges
  std::vector<model::VertexId> frontier;
  for (auto v : request.entities) frontier.push_back(v);
  for (auto r : request.relations) {
    if (!type_allowed(edge.types, graph.relation_kind(r))) continue;
    if (back_in) frontier.push_back(graph.relation_source(r));
    if (back_out) frontier.push_back(graph.relation_target(r));
  }
  sort_unique(frontier);
  // A set, not a mark per entity: the search stays near the request, and clearing an
  // array the size of the registry would cost more than the search.
  std::unordered_set<model::VertexId> seen(frontier.begin(), frontier.end());
  std::vector<model::VertexId> all = frontier;
  auto visit = [&](std::span<const model::Adjacency> adjacent, std::vector<model::VertexId>& next) {
    for (const auto& a : adjacent) {
      if (seen.insert(a.other).second) next.push_back(a.other);
    }
  };
  for (std::uint32_t depth = 0; depth < edge.max_hops && !frontier.empty(); ++depth) {
    std::vector<model::VertexId> next;
    for (auto v : frontier) {
      if (edge.types.empty()) {
        if (back_out) visit(graph.out_edges(v), next);
        if (back_in) visit(graph.in_edges(v), next);
      } else {
        for (auto t : edge.types) {
          if (back_out) visit(graph.out_edges(v, t), next);
          if (back_in) visit(graph.in_edges(v, t), next);
        }
      }
    }
    all.insert(all.end(), next.begin(), next.end());
    frontier = std::move(next);
  }
  sort_unique(all);
  return all;
}

}  // namespace

// Documents are read one after the other, so a document's elements are contiguous, and
// a request read last ends the arrays: it is found walking back from the end, without
// reading the whole registry. A request read earlier is searched for everywhere.
RequestElements request_elements(const model::Graph& graph, std::uint32_t request) {
  RequestElements out;
  if (request + 1 == graph.documents().size()) {
    for (auto v = graph.entity_count(); v > 0 && graph.source(v - 1).document == request; --v)
      out.entities.push_back(static_cast<model::VertexId>(v - 1));
    for (auto r = graph.relation_count();
         r > 0 && graph.relation_source_ref(r - 1).document == request; --r)
      out.relations.push_back(static_cast<model::RelationId>(r - 1));
    std::reverse(out.entities.begin(), out.entities.end());
    std::reverse(out.relations.begin(), out.relations.end());
    return out;
  }
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
    if (graph.source(v).document == request) out.entities.push_back(v);
  }
  for (model::RelationId r = 0; r < graph.relation_count(); ++r) {
    if (graph.relation_source_ref(r).document == request) out.relations.push_back(r);
  }
  return out;
}

bool collect_anchored(RuleRunner& runner, const model::Graph& graph,
                      const RequestElements& request) {
  const auto& plan = runner.main().query.plan;
  const auto& variables = runner.main().query.variables;
  // Request entities at every node of the pattern.
  for (Slot slot : plan.node_slots) {
    if (request.entities.empty()) break;
    auto compiled = runner.compile_anchored({slot});
    if (!compiled) return false;
    for (auto v : request.entities) {
      if (kind_fits(variables[slot].kinds, graph.kind(v))) runner.collect(*compiled, {{slot, v}});
    }
  }
  for (const auto& edge : plan.edges) {
    if (edge.variable_length) {
      // Request elements inside a walked segment: start the walk near them.
      const auto starts = segment_starts(graph, edge, request);
      if (starts.empty()) continue;
      auto compiled = runner.compile_anchored({edge.left});
      if (!compiled) return false;
      for (auto v : starts) {
        if (kind_fits(variables[edge.left].kinds, graph.kind(v))) {
          runner.collect(*compiled, {{edge.left, v}});
        }
      }
      continue;
    }
    // Request relations at a fixed relation element: both ends fixed.
    std::shared_ptr<const CompiledRule> compiled;
    for (auto r : request.relations) {
      if (!type_allowed(edge.types, graph.relation_kind(r))) continue;
      const auto from = graph.relation_source(r), to = graph.relation_target(r);
      std::vector<std::pair<model::VertexId, model::VertexId>> ends;
      if (edge.direction != query::Direction::kIn) ends.emplace_back(from, to);
      if (edge.direction != query::Direction::kOut) ends.emplace_back(to, from);
      for (const auto& [left, right] : ends) {
        if (!kind_fits(variables[edge.left].kinds, graph.kind(left)) ||
            !kind_fits(variables[edge.right].kinds, graph.kind(right)) ||
            (edge.left == edge.right && left != right)) {
          continue;
        }
        if (!compiled) compiled = runner.compile_anchored({edge.left, edge.right});
        if (!compiled) return false;
        if (edge.left == edge.right) {
          runner.collect(*compiled, {{edge.left, left}});
        } else {
          runner.collect(*compiled, {{edge.left, left}, {edge.right, right}});
        }
      }
    }
  }
  return true;
}

}  // namespace twinscan::rules
