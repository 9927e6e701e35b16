#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/model/graph.h"

namespace twinscan::model {

/// The value that source `source` states for property `key` of entity `v` (or relation
/// `r`): the kept value when the source is among its sources, else the value it stated
/// differently (a Disagreement), else nothing (the source does not state it).
std::optional<Value> value_stated_by(const Graph& graph, VertexId v, Sym key, std::uint32_t source);
std::optional<Value> relation_value_stated_by(const Graph& graph, RelationId r, Sym key,
                                              std::uint32_t source);

/// A stored value as a short text for messages ("2012", "active", "[a, b]").
std::string value_text(const Graph& graph, const Value& value);

/// The ids of the sources in `sources` (indexes into Graph::sources()), joined by ", ".
std::string source_ids_text(const Graph& graph, std::span<const std::uint32_t> sources);

/// Each value that sources disagree on for entity `v` (or relation `r`), as
/// "KEY: VALUE (SOURCE, ...) vs VALUE (SOURCE, ...)", the kept value first.
std::vector<std::string> describe_disagreements(const Graph& graph, VertexId v);
std::vector<std::string> describe_relation_disagreements(const Graph& graph, RelationId r);

}  // namespace twinscan::model
