#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/server/relation_words.h"

/// One entity of the registry as the entity page and GET /api/entities/ID show it: its
/// facts, its sources and what they disagree on, and its neighbourhood (the entities one
/// relation away and the relations among them).
namespace twinscan::server {

/// At most this many neighbours are drawn and listed; the rest are counted.
inline constexpr std::size_t kMaxNeighbours = 60;

struct EntityProperty {
  std::string key;
  std::string text;                ///< The value as text, a list's elements joined by ", ".
  std::vector<std::string> parts;  ///< A list's elements as text; else the text alone.
};

struct EntitySource {
  std::string id;
  std::string name;
  std::string role;  ///< Empty when the source gives none.
};

/// One relation of the entity, seen from it.
struct EntityNeighbour {
  std::string id;  ///< The entity at the other end.
  std::string name;
  std::string kind;
  std::string relation;   ///< The relation's kind (TWINNED_WITH).
  std::string direction;  ///< "out" (the entity is its source) or "in".
};

struct EntityView {
  std::string id;  ///< The entity's own id (a judged id answers with the kept one).
  std::string kind;
  std::string name;
  std::vector<EntityProperty> properties;
  std::vector<EntitySource> sources;
  std::vector<std::string> disagreements;           ///< model::describe_disagreements' sentences.
  std::vector<EntityNeighbour> neighbours;          ///< The relations to the first kMaxNeighbours.
  std::size_t more_neighbours = 0;                  ///< Neighbours beyond kMaxNeighbours.
  std::vector<RelationInWords> relations_in_words;  ///< Every relation drawn, in words.
  std::string dot;                                  ///< The neighbourhood in Graphviz DOT.
};

/// True for a text that can be an entity id here: 1 to 200 bytes, no control characters.
bool is_entity_id(std::string_view id);

/// The entity `id` of `graph` (or the one it was judged the same as), or nothing.
std::optional<EntityView> view_entity(const model::Graph& graph, std::string_view id);

/// The sources as HTML, each name first (isolated, escaped) and its id and role after it
/// in the grey id style: "Ministry of Foreign Affairs <span class=id>mfa ·
/// national-register</span>, …".
std::string sources_html(const std::vector<EntitySource>& sources);

}  // namespace twinscan::server
