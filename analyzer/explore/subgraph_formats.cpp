#include "analyzer/explore/subgraph_formats.h"

#include <algorithm>

#include "analyzer/util/terminal_text.h"

namespace twinscan::explore {

std::string describe_entity(const model::Graph& graph, model::VertexId v) {
  // For a terminal: the id and name come from sources, their control characters escaped.
  return util::escape_for_terminal(graph.id(v)) + " (" + graph.schema().kind(graph.kind(v)).name +
         ", '" + util::escape_for_terminal(graph.name(v)) + "')";
}

std::string dot_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == '\x7f') {
      out += "\xEF\xBF\xBD";  // U+FFFD, as export writes DOT: no control character passes
    } else {
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
