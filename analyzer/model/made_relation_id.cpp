#include "analyzer/model/made_relation_id.h"

#include <charconv>

namespace twinscan::model {

void append_made_relation_id(std::string_view from, std::string_view kind, std::string_view to,
                             std::uint32_t number, std::string& out) {
  out += from;
  out += '-';
  out += kind;
  out += "->";
  out += to;
  if (number >= 2) {
    char digits[16];
    const auto written = std::to_chars(digits, digits + sizeof digits, number);
    out += '#';
    out.append(digits, written.ptr);
  }
}

bool id_fits_made_relation_ids(std::string_view entity_id) {
  // One pass: every entity id of a registry is asked, and most are a dozen bytes that
  // hold neither an arrow nor a '#'.
  std::size_t hash = std::string_view::npos;
  for (std::size_t i = 0; i < entity_id.size(); ++i) {
    const char c = entity_id[i];
    if (c == '>' && i > 0 && entity_id[i - 1] == '-') return false;
    if (c == '#') hash = i;
  }
  if (hash == std::string_view::npos || hash + 1 == entity_id.size()) return true;
  for (std::size_t i = hash + 1; i < entity_id.size(); ++i) {
    if (entity_id[i] < '0' || entity_id[i] > '9') return true;
  }
  return false;
}

bool kind_fits_made_relation_ids(std::string_view kind_name) {
  return kind_name.find('-') == std::string_view::npos &&
         kind_name.find('>') == std::string_view::npos;
}

bool given_id_fits_made_relation_ids(std::string_view relation_id) {
  return relation_id.find("->") == std::string_view::npos;
}

std::optional<RelationId> find_made_relation(const GraphArrays& g, const Schema& schema,
                                             std::string_view text, std::size_t relations,
                                             std::size_t vertices) {
  // An end by the id it is kept under: an id judged the same as another finds the
  // entity, but no made id is made from it.
  auto end_of = [&](std::string_view id) -> std::optional<VertexId> {
    Sym sym = 0;
    if (!g.strings.find(id, sym) || sym >= g.vertex_of_sym.size()) return std::nullopt;
    const VertexId v = g.vertex_of_sym[sym];
    if (v == kNoVertex || v >= g.entity_id.size() || g.entity_id[v] != sym) return std::nullopt;
    return v;
  };
  std::optional<RelationId> found;
  for_each_made_relation_id_reading(text, [&](const MadeRelationIdReading& reading) {
    const std::optional<RelKindId> kind = schema.find_relation(reading.kind);
    if (!kind) return false;
    const std::optional<VertexId> from = end_of(reading.from);
    const std::optional<VertexId> to = end_of(reading.to);
    if (!from || !to || *from >= vertices || *from >= g.out_range.size()) return false;
    const EdgeRange range = g.out_range[*from];
    for (std::uint32_t i = range.begin; i < range.begin + range.count; ++i) {
      const Adjacency& edge = g.out_adj[i];
      if (edge.kind != *kind || edge.other != *to || edge.relation >= relations) continue;
      const Sym id = g.relation_id[edge.relation];
      if (is_made_relation_id(id) && made_relation_number(id) == reading.number) {
        found = edge.relation;
        return true;
      }
    }
    return false;
  });
  return found;
}

}  // namespace twinscan::model
