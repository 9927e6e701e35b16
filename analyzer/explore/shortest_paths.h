#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "analyzer/explore/subgraph.h"
#include "analyzer/model/graph.h"

namespace twinscan::explore {

/// One shortest path: its entities, and for each hop the relations that join the two
/// entities of the hop (parallel relations of the kinds and direction allowed), so a hop
/// is one step however many relations make it.
struct Path {
  std::vector<model::VertexId> vertices;             ///< from … to
  std::vector<std::vector<model::RelationId>> hops;  ///< hops[i] joins vertices[i], [i+1]
};

struct PathOptions {
  /// Follow relations from their source to their target only (else either way).
  bool directed = false;
  /// The longest path looked for, in hops (0: no limit but the graph's size).
  unsigned max_hops = 0;
  /// How many shortest paths to give at most (1: one of them). Paths are entity
  /// sequences; they are listed in order of their entities' ids.
  std::size_t max_paths = 1;
  RelationFilter filter;
  /// The search stops here (none: no deadline).
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

struct PathResult {
  enum class Status { kFound, kNone, kTimedOut };
  Status status = Status::kNone;
  unsigned length = 0;      ///< hops of the shortest paths, when found
  std::vector<Path> paths;  ///< at most max_paths, ascending by entity ids
  bool capped = false;      ///< more shortest paths exist than max_paths
  std::size_t visited = 0;  ///< entities reached by the search
};

/// The shortest paths from `from` to `to` by a bidirectional breadth-first search: each
/// round expands a whole level of the side whose frontier has fewer relations, until the
/// sides meet, one side runs out, or the hop limit is reached. Each entity is reached
/// at most once from each side, so the search ends after at most every relation twice.
PathResult shortest_paths(const model::Graph& graph, model::VertexId from, model::VertexId to,
                          const PathOptions& options);

}  // namespace twinscan::explore
