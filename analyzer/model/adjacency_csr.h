#pragma once

#include "analyzer/model/graph_arrays.h"

namespace twinscan::model {

/// Builds the forward and reverse adjacency (out_range/out_adj, in_range/in_adj) of
/// arrays whose relations are resolved.
void attach_adjacency(GraphArrays& arrays);

/// Adds to the adjacency the relations from `first_relation` on, and empty runs for
/// vertices added since it was built, leaving the rest untouched: a vertex that gains
/// edges gets its merged, re-sorted run at the end of the adjacency array.
void extend_adjacency(GraphArrays& arrays, RelationId first_relation);

}  // namespace twinscan::model
