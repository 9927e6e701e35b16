#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/model/graph.h"

namespace twinscan::explore {

/// The relation kinds a walk may follow: every kind, or the ones named.
class RelationFilter {
 public:
  /// Every kind.
  RelationFilter() = default;
  /// The kinds named in `names` (as the schema spells them). An unknown name is reported
  /// to `diagnostics` with the nearest known one; then ok() is false.
  RelationFilter(const model::Schema& schema, const std::vector<std::string>& names,
                 diag::Diagnostics& diagnostics);

  [[nodiscard]] bool allows(model::RelKindId kind) const {
    return allowed_.empty() || (kind < allowed_.size() && allowed_[kind]);
  }
  [[nodiscard]] bool every_kind() const { return allowed_.empty(); }
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  std::vector<bool> allowed_;  // by RelKindId; empty: every kind
  bool ok_ = true;
};

/// A part of a graph to show or export: entities and the relations among them. The
/// whole graph is a Subgraph too (everything()), without listing its members, so that
/// exporting 10^7 entities does not first copy their ids.
class Subgraph {
 public:
  /// The whole graph.
  static Subgraph everything(const model::Graph& graph);
  /// The entities `vertices` and the relations `relations` (each given once, in any
  /// order; both ends of every relation among the entities).
  static Subgraph of(const model::Graph& graph, std::vector<model::VertexId> vertices,
                     std::vector<model::RelationId> relations);

  [[nodiscard]] bool is_everything() const { return everything_; }
  [[nodiscard]] std::size_t vertex_count() const;
  [[nodiscard]] std::size_t relation_count() const;

  /// Calls f(VertexId) for each entity, ascending.
  template <typename F>
  void for_each_vertex(F&& f) const {
    if (everything_) {
      for (std::size_t v = 0; v < graph_->entity_count(); ++v) f(static_cast<model::VertexId>(v));
    } else {
      for (const auto v : vertices_) f(v);
    }
  }
  /// Calls f(RelationId) for each relation, ascending.
  template <typename F>
  void for_each_relation(F&& f) const {
    if (everything_) {
      for (std::size_t r = 0; r < graph_->relation_count(); ++r)
        f(static_cast<model::RelationId>(r));
    } else {
      for (const auto r : relations_) f(r);
    }
  }
  [[nodiscard]] const model::Graph& graph() const { return *graph_; }

 private:
  const model::Graph* graph_ = nullptr;
  bool everything_ = false;
  std::vector<model::VertexId> vertices_;     // ascending
  std::vector<model::RelationId> relations_;  // ascending
};

/// The entities within `depth` relations of any of `seeds` (relations followed either
/// way, of the kinds `filter` allows) and every such relation among them. Breadth-first:
/// each entity is visited once, so the walk ends after at most every entity and relation.
/// `max_vertices` (0: no limit) stops the walk once that many entities are reached; then
/// `truncated` is set.
Subgraph neighbourhood(const model::Graph& graph, std::span<const model::VertexId> seeds,
                       unsigned depth, const RelationFilter& filter, std::size_t max_vertices = 0,
                       bool* truncated = nullptr);

}  // namespace twinscan::explore
