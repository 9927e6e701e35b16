#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/explore/subgraph.h"

namespace twinscan::explore {

/// "ID (Kind, 'Name')", as the text outputs name an entity.
std::string describe_entity(const model::Graph& graph, model::VertexId v);

/// A Graphviz DOT digraph of `subgraph`: one node per entity (id, with its name and kind
/// as the label), one edge per relation (its kind as the label), parallel relations
/// kept. `highlighted` entities are drawn bold.
std::string subgraph_dot(const Subgraph& subgraph, std::string_view title,
                         std::span<const model::VertexId> highlighted = {});

/// A DOT string literal: quoted, with quotes and backslashes escaped and line breaks as
/// \n.
std::string dot_quote(std::string_view text);

}  // namespace twinscan::explore
