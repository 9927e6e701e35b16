#include "analyzer/explore/subgraph.h"

#include <algorithm>

#include "analyzer/util/nearest_name.h"

namespace twinscan::explore {

RelationFilter::RelationFilter(const model::Schema& schema, const std::vector<std::string>& names,
                               diag::Diagnostics& diagnostics) {
  if (names.empty()) return;
  allowed_.assign(schema.relations().size(), false);
  for (const auto& name : names) {
    const auto kind = schema.find_relation(name);
    if (!kind) {
      diagnostics.error({}, "unknown relation kind '" + name + "'" +
                                util::did_you_mean(name, schema.relation_names()) +
                                " (the kinds are listed by twinscan stats)");
      ok_ = false;
      continue;
    }
    allowed_[*kind] = true;
  }
}

Subgraph Subgraph::everything(const model::Graph& graph) {
  Subgraph out;
  out.graph_ = &graph;
  out.everything_ = true;
  return out;
}

Subgraph Subgraph::of(const model::Graph& graph, std::vector<model::VertexId> vertices,
                      std::vector<model::RelationId> relations) {
  Subgraph out;
  out.graph_ = &graph;
  std::sort(vertices.begin(), vertices.end());
  vertices.erase(std::unique(vertices.begin(), vertices.end()), vertices.end());
  std::sort(relations.begin(), relations.end());
  relations.erase(std::unique(relations.begin(), relations.end()), relations.end());
  out.vertices_ = std::move(vertices);
  out.relations_ = std::move(relations);
  return out;
}

std::size_t Subgraph::vertex_count() const {
  return everything_ ? graph_->entity_count() : vertices_.size();
}

std::size_t Subgraph::relation_count() const {
  return everything_ ? graph_->relation_count() : relations_.size();
}

Subgraph neighbourhood(const model::Graph& graph, std::span<const model::VertexId> seeds,
                       unsigned depth, const RelationFilter& filter, std::size_t max_vertices,
                       bool* truncated) {
  if (truncated) *truncated = false;
  std::vector<bool> seen(graph.entity_count(), false);
  std::vector<model::VertexId> reached;
  std::vector<model::VertexId> frontier;
  for (const auto v : seeds) {
    if (v >= graph.entity_count() || seen[v]) continue;
    seen[v] = true;
    reached.push_back(v);
    frontier.push_back(v);
  }
  auto full = [&] { return max_vertices != 0 && reached.size() >= max_vertices; };
  // Each round visits the entities first reached in the round before, so the walk ends
  // after `depth` rounds or when nothing new is reached.
  for (unsigned round = 0; round < depth && !frontier.empty() && !full(); ++round) {
    std::vector<model::VertexId> next;
    auto visit = [&](std::span<const model::Adjacency> edges) {
      for (const auto& e : edges) {
        if (!filter.allows(e.kind) || seen[e.other]) continue;
        if (full()) {
          if (truncated) *truncated = true;
          return;
        }
        seen[e.other] = true;
        reached.push_back(e.other);
        next.push_back(e.other);
      }
    };
    for (const auto v : frontier) {
      visit(graph.out_edges(v));
      visit(graph.in_edges(v));
    }
    frontier = std::move(next);
  }
  // The relations among the entities reached: each is found once, from its source.
  std::vector<model::RelationId> relations;
  for (const auto v : reached) {
    for (const auto& e : graph.out_edges(v)) {
      if (filter.allows(e.kind) && seen[e.other]) relations.push_back(e.relation);
    }
  }
  return Subgraph::of(graph, std::move(reached), std::move(relations));
}

}  // namespace twinscan::explore
