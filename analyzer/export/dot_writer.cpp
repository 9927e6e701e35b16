// Graphviz DOT: a `digraph` (not strict, so parallel relations stay), every id, name and
// value a quoted string; each entity's display name (its label), kind and properties and
// each relation's id, kind (its label) and properties as attributes. No attribute is
// called "name": Graphviz's JSON output gives each node's id under that key.
#include "analyzer/export/export_format.h"
#include "analyzer/export/property_catalog.h"
#include "analyzer/export/unique_names.h"

namespace twinscan::exports {
namespace {

void attribute(TextSink& out, std::string_view name, std::string_view value, bool& first) {
  out.put(first ? " [" : ", ");
  first = false;
  put_dot_string(out, name);
  out.put('=');
  put_dot_string(out, value);
}

void properties(TextSink& out, const model::Graph& graph, std::span<const model::Property> props,
                bool& first, std::string& scratch) {
  // An undeclared property called like an attribute written here keeps its own.
  std::vector<std::string_view> keys;
  for (const auto& p : props) keys.push_back(graph.str(p.key));
  const auto names = property_field_names(keys, {"label", "kind", "id", "name"});
  std::size_t i = 0;
  for (const auto& p : props) {
    const std::string& name = names[i++];
    if (p.value.type == model::ValueType::kLocation) {
      attribute(out, name + "_lat", float_text(p.value.location.lat), first);
      attribute(out, name + "_lon", float_text(p.value.location.lon), first);
      continue;
    }
    scratch = value_text(graph, p.value);
    attribute(out, name, scratch, first);
  }
}

}  // namespace

void write_dot(const explore::Subgraph& subgraph, Files& files, Progress& progress) {
  const model::Graph& graph = subgraph.graph();
  const model::Schema& schema = graph.schema();
  TextSink& out = files.open("");
  out.put("digraph \"twinscan\" {\n");
  std::string scratch;
  subgraph.for_each_vertex([&](model::VertexId v) {
    out.put("  ");
    put_dot_string(out, graph.id(v));
    bool first = true;
    attribute(out, "label", graph.name(v), first);
    attribute(out, "kind", schema.kind(graph.kind(v)).name, first);
    properties(out, graph, graph.properties(v), first, scratch);
    out.put("];\n");
    progress.step();
  });
  subgraph.for_each_relation([&](model::RelationId r) {
    out.put("  ");
    put_dot_string(out, graph.id(graph.relation_source(r)));
    out.put(" -> ");
    put_dot_string(out, graph.id(graph.relation_target(r)));
    bool first = true;
    attribute(out, "id", graph.relation_id(r), first);
    attribute(out, "label", schema.relation(graph.relation_kind(r)).name, first);
    properties(out, graph, graph.relation_properties(r), first, scratch);
    out.put("];\n");
    progress.step();
  });
  out.put("}\n");
}

}  // namespace twinscan::exports
