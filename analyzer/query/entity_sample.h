// A sample of a graph's entities of some kinds, the same every time, which the planner
// reads to estimate what a start or a condition costs.
#pragma once

#include <cstddef>
#include <vector>

#include "analyzer/model/graph.h"

namespace twinscan::query {

/// At most `count` entities of `kinds` (0: any kind), spread evenly over them kind by
/// kind in vertex order; all of them when there are no more than `count`.
std::vector<model::VertexId> sample_entities(const model::Graph& graph, model::KindMask kinds,
                                             std::size_t count);

}  // namespace twinscan::query
