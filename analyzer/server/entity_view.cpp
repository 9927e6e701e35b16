#include "analyzer/server/entity_view.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "analyzer/model/provenance.h"
#include "analyzer/server/html.h"

namespace twinscan::server {
namespace {

/// A value as a page shows it: text as it is, list elements joined by ", ", dates as
/// YYYY-MM-DD.
std::string shown_value(const model::Graph& graph, const model::Value& value) {
  if (value.type == model::ValueType::kString) return std::string(graph.str(value.string));
  if (value.type == model::ValueType::kList) {
    std::string out;
    for (const auto& e : graph.list(value.list)) {
      if (!out.empty()) out += ", ";
      out += shown_value(graph, e);
    }
    return out;
  }
  return model::value_text(graph, value);
}

// Graphviz lays out long labels slowly and cannot show them anyway: a name is cut at 80
// bytes, on a character boundary, with an ellipsis.
std::string shorten(std::string_view text) {
  constexpr std::size_t kMaxLabelBytes = 80;
  if (text.size() <= kMaxLabelBytes) return std::string(text);
  std::size_t end = kMaxLabelBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
  return std::string(text.substr(0, end)) + "…";
}

std::string dot_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

const char* fill_of(std::string_view kind) {
  if (kind == "Municipality") return "#dbeafe";
  if (kind == "ForeignCity" || kind == "ForeignGovernment") return "#fee2e2";
  if (kind == "Firm") return "#fef3c7";
  if (kind == "Project") return "#dcfce7";
  if (kind == "Agreement") return "#ede9fe";
  if (kind == "Person") return "#fce7f3";
  if (kind == "SensitiveSite") return "#fecaca";
  if (kind == "CentralAuthority") return "#e0f2fe";
  return "#f3f4f6";
}

}  // namespace

bool is_entity_id(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  return std::none_of(id.begin(), id.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b < 0x20 || b == 0x7F;
  });
}

std::optional<EntityView> view_entity(const model::Graph& graph, std::string_view id) {
  if (!is_entity_id(id)) return std::nullopt;
  const auto found = graph.find(id);
  if (!found) return std::nullopt;
  const model::VertexId v = *found;
  const auto kind_name = [&graph](model::VertexId u) {
    return graph.schema().kind(graph.kind(u)).name;
  };

  EntityView out;
  out.id = std::string(graph.id(v));
  out.kind = kind_name(v);
  out.name = std::string(graph.name(v));
  for (const auto& p : graph.properties(v)) {
    EntityProperty shown{std::string(graph.str(p.key)), shown_value(graph, p.value), {}};
    if (p.value.type == model::ValueType::kList) {
      for (const auto& e : graph.list(p.value.list)) shown.parts.push_back(shown_value(graph, e));
    } else {
      shown.parts.push_back(shown.text);
    }
    out.properties.push_back(std::move(shown));
  }
  for (const auto s : graph.entity_sources(v)) {
    const auto& info = graph.sources()[s];
    out.sources.push_back({info.id, info.name, info.role});
  }
  out.disagreements = model::describe_disagreements(graph, v);

  // The neighbours, in the order the adjacency lists them (outgoing first), the first
  // kMaxNeighbours kept.
  std::vector<model::VertexId> drawn{v};
  std::unordered_map<model::VertexId, bool> kept{{v, true}};
  const auto visit = [&](std::span<const model::Adjacency> edges, const char* direction) {
    for (const auto& e : edges) {
      if (e.other != v) {
        auto [it, is_new] = kept.emplace(e.other, false);
        if (is_new) {
          if (drawn.size() <= kMaxNeighbours) {
            it->second = true;
            drawn.push_back(e.other);
          } else {
            ++out.more_neighbours;
          }
        }
        if (!it->second) continue;
      }
      out.neighbours.push_back(
          {std::string(graph.id(e.other)), std::string(graph.name(e.other)), kind_name(e.other),
           graph.schema().relation(graph.relation_kind(e.relation)).name, direction});
    }
  };
  visit(graph.out_edges(v), "out");
  visit(graph.in_edges(v), "in");

  std::unordered_map<model::VertexId, std::size_t> node_of;
  std::string dot =
      "digraph neighbourhood {\n  rankdir=LR;\n  bgcolor=\"transparent\";\n"
      "  node [shape=box, style=\"rounded,filled\", fontname=\"DejaVu Sans\", "
      "fontsize=11, color=\"#6b7280\"];\n"
      "  edge [fontname=\"DejaVu Sans\", fontsize=9, color=\"#374151\"];\n";
  for (const auto u : drawn) {
    const std::string kind = kind_name(u);
    node_of.emplace(u, node_of.size());
    dot += "  n" + std::to_string(node_of[u]) +
           " [label=" + dot_quote(shorten(graph.name(u)) + "\n" + kind) + ", fillcolor=\"" +
           fill_of(kind) + "\"" + (u == v ? ", penwidth=2" : "") + "];\n";
  }
  // Every relation among the drawn entities: each lies in exactly one out-edge list.
  for (const auto u : drawn) {
    for (const auto& e : graph.out_edges(u)) {
      const auto to = node_of.find(e.other);
      if (to == node_of.end()) continue;
      // Each relation labelled in words, as the list under the drawing says it; the kind
      // is the edge's tooltip.
      RelationInWords words = relation_in_words(graph, e.relation);
      dot += "  n" + std::to_string(node_of[u]) + " -> n" + std::to_string(to->second) +
             " [label=" + dot_quote(relation_verb(words)) + ", tooltip=" + dot_quote(words.kind) +
             "];\n";
      out.relations_in_words.push_back(std::move(words));
    }
  }
  out.dot = dot + "}\n";
  return out;
}

std::string sources_html(const std::vector<EntitySource>& sources) {
  std::string out;
  for (const auto& s : sources) {
    if (!out.empty()) out += ", ";
    out += "<bdi dir=\"auto\" class=\"name\">" + escape_html(s.name.empty() ? s.id : s.name) +
           "</bdi> <span class=\"id\">" + escape_html(s.id);
    if (!s.role.empty()) out += " · " + escape_html(s.role);
    out += "</span>";
  }
  return out;
}

}  // namespace twinscan::server
