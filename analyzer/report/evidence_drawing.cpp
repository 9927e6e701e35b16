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
    dot += "  " + dot_quote(graph.id(v)) +
           " [label=" + dot_quote(std::string(graph.name(v)) + "\n" + kind) + ", fillcolor=\"" +
           fill_of(kind) + "\"" + (is_bound ? ", penwidth=2" : "") + "];\n";
  }
  for (auto r : finding.relations) {
    dot += "  " + dot_quote(graph.id(graph.relation_source(r))) + " -> " +
           dot_quote(graph.id(graph.relation_target(r))) +
           " [label=" + dot_quote(graph.schema().relation(graph.relation_kind(r)).name) + "];\n";
  }
  return dot + "}\n";
}

std::string draw_evidence_svg(const model::Graph& graph, const rules::Finding& finding) {
  static GVC_t* context = gvContext();
  const std::string dot = evidence_dot(graph, finding);
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
