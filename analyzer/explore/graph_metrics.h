#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "analyzer/explore/subgraph.h"
#include "analyzer/model/graph.h"

namespace twinscan::explore {

/// What twinscan metrics measures, and over which graph. The graph: every relation of the
/// kinds `filter` allows is an edge (parallel relations are parallel edges, as in
/// networkx's MultiGraph, or MultiDiGraph when `directed`); its vertices are every entity
/// when every kind is allowed, else the entities with at least one such relation.
struct MetricsOptions {
  bool directed = false;
  RelationFilter filter;
  bool degree = true;
  bool betweenness = true;
  bool pagerank = true;
  bool components = true;
  /// Betweenness from this many source entities drawn with `seed` (scaled by n/k, as
  /// networkx's betweenness_centrality(k=…)); 0: exact, by Boost's Brandes (by the sampling
  /// code from every entity when there is a deadline, so that it can stop); n or more:
  /// every entity once through the sampling code, also exact.
  std::size_t betweenness_samples = 0;
  std::uint64_t seed = 1;
  double damping = 0.85;  ///< PageRank's alpha
  unsigned pagerank_max_iterations = 100;
  double pagerank_tolerance = 1e-6;  ///< stops when the L1 change is below n × this
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

struct Metrics {
  bool timed_out = false;
  /// The graph's vertices (ascending) and edges.
  std::vector<model::VertexId> vertices;
  std::size_t edges = 0;
  /// Per vertex, in the order of `vertices`. Degree counts relations (a relation to itself
  /// twice, as networkx does); in and out follow the relations' direction.
  std::vector<std::uint32_t> degree, in_degree, out_degree;
  /// Brandes betweenness over the simple graph (parallel relations and relations to
  /// oneself do not change shortest paths), normalised by 1/((n-1)(n-2)) as networkx does
  /// by default, endpoints excluded.
  std::vector<double> betweenness;
  std::size_t betweenness_sources = 0;  ///< n when exact
  bool betweenness_sampled = false;
  /// PageRank by networkx's power iteration (uniform teleport, dangling entities'
  /// rank spread evenly, start 1/n, L1 stopping rule); parallel relations weigh as many.
  std::vector<double> pagerank;
  unsigned pagerank_iterations = 0;
  bool pagerank_converged = false;
  /// Connected components (weakly connected when directed), numbered from 0 by size
  /// descending, ties by their first vertex; and strongly connected ones when directed.
  std::vector<std::uint32_t> component;
  std::vector<std::size_t> component_sizes;
  std::vector<std::uint32_t> strong_component;
  std::vector<std::size_t> strong_component_sizes;
};

/// Measures the graph described by `options` with Boost.Graph's algorithms
/// (brandes_betweenness_centrality, breadth_first_search for sampled betweenness,
/// connected_components, strong_components) over compressed-sparse-row graphs built once.
Metrics compute_metrics(const model::Graph& graph, const MetricsOptions& options);

}  // namespace twinscan::explore
