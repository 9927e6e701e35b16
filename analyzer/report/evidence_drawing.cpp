#include "analyzer/report/evidence_drawing.h"

#include <algorithm>

#include <graphviz/gvc.h>

namespace twinscan::report {
namespace {

std::string dot_quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Graphviz lays out label text in time that grows faster than its length (a 5 MB name
// took most of a minute), and a drawing cannot show more than a line of it anyway:
// labels and node names longer than this many characters are cut, with an ellipsis.
constexpr std::size_t kMaxLabelChars = 80;

// `text` cut after kMaxLabelChars - 1 code points, with "…", when it is longer.
std::string shorten(std::string_view text) {
  std::size_t chars = 0;
  std::size_t cut = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == kMaxLabelChars - 1) cut = i;
    if (++chars > kMaxLabelChars) return std::string(text.substr(0, cut)) + "…";
  }
  return std::string(text);
}

// The DOT name of an entity: its id, or when that is long, the shortened id made unique
// by the entity's number.
std::string node_name(const model::Graph& graph, model::VertexId v) {
  const auto id = graph.id(v);
  std::string name = shorten(id);
  if (name.size() != id.size()) name += " #" + std::to_string(v);
  return dot_quote(name);
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

std::string evidence_dot(const model::Graph& graph, const rules::Finding& finding) {
  std::string dot =
      "digraph evidence {\n  rankdir=LR;\n  bgcolor=\"transparent\";\n"
      "  node [shape=box, style=\"rounded,filled\", fontname=\"DejaVu Sans\", "
      "fontsize=11, color=\"#6b7280\"];\n"
      "  edge [fontname=\"DejaVu Sans\", fontsize=9, color=\"#374151\"];\n";
  std::vector<model::VertexId> bound;
  for (const auto& [name, id] : finding.bindings) {
    if (auto v = graph.find(id)) bound.push_back(*v);
  }
  for (auto v : finding.entities) {
    const auto& kind = graph.schema().kind(graph.kind(v)).name;
    const bool is_bound = std::find(bound.begin(), bound.end(), v) != bound.end();
    dot += "  " + node_name(graph, v) +
           " [label=" + dot_quote(shorten(graph.name(v)) + "\n" + kind) + ", fillcolor=\"" +
           fill_of(kind) + "\"" + (is_bound ? ", penwidth=2" : "") + "];\n";
  }
  for (auto r : finding.relations) {
    dot += "  " + node_name(graph, graph.relation_source(r)) + " -> " +
           node_name(graph, graph.relation_target(r)) +
           " [label=" + dot_quote(graph.schema().relation(graph.relation_kind(r)).name) + "];\n";
  }
  return dot + "}\n";
}

std::string draw_evidence_svg(const model::Graph& graph, const rules::Finding& finding) {
  return dot_to_svg(evidence_dot(graph, finding));
}

std::string dot_to_svg(const std::string& dot) {
  static GVC_t* context = gvContext();
  Agraph_t* g = agmemread(dot.c_str());
  if (g == nullptr) return {};
  std::string svg;
  if (gvLayout(context, g, "dot") == 0) {
    char* data = nullptr;
    unsigned int length = 0;
    if (gvRenderData(context, g, "svg", &data, &length) == 0 && data != nullptr) {
      svg.assign(data, length);
      // Inline SVG needs no XML prologue or DOCTYPE.
      if (const auto start = svg.find("<svg"); start != std::string::npos) svg.erase(0, start);
    }
    gvFreeRenderData(data);
    gvFreeLayout(context, g);
  }
  agclose(g);
  return svg;
}

}  // namespace twinscan::report
