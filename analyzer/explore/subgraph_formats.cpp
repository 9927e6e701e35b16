#include "analyzer/explore/subgraph_formats.h"

#include <algorithm>

namespace twinscan::explore {

std::string describe_entity(const model::Graph& graph, model::VertexId v) {
  return std::string(graph.id(v)) + " (" + graph.schema().kind(graph.kind(v)).name + ", '" +
         std::string(graph.name(v)) + "')";
}

std::string dot_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out + '"';
}

std::string subgraph_dot(const Subgraph& subgraph, std::string_view title,
                         std::span<const model::VertexId> highlighted) {
  const model::Graph& g = subgraph.graph();
  std::string out = "digraph " + dot_quote(title) + " {\n  node [shape=box];\n";
  subgraph.for_each_vertex([&](model::VertexId v) {
    const bool bold = std::find(highlighted.begin(), highlighted.end(), v) != highlighted.end();
    out += "  " + dot_quote(g.id(v)) +
           " [label=" + dot_quote(std::string(g.name(v)) + "\n" + g.schema().kind(g.kind(v)).name) +
           (bold ? ", style=bold" : "") + "];\n";
  });
  subgraph.for_each_relation([&](model::RelationId r) {
    out += "  " + dot_quote(g.id(g.relation_source(r))) + " -> " +
           dot_quote(g.id(g.relation_target(r))) +
           " [label=" + dot_quote(g.schema().relation(g.relation_kind(r)).name) +
           ", id=" + dot_quote(g.relation_id(r)) + "];\n";
  });
  return out + "}\n";
}

}  // namespace twinscan::explore
