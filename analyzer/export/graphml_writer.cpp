// GraphML (http://graphml.graphdrawing.org/): one <graph edgedefault="directed">, typed
// <key>s declared first, then every entity and every relation, streamed.
#include "analyzer/export/export_format.h"
#include "analyzer/export/property_catalog.h"
#include "analyzer/export/typed_columns.h"

namespace twinscan::exports {
namespace {

const char* graphml_type(AttributeType type) {
  switch (type) {
    case AttributeType::kBoolean:
      return "boolean";
    case AttributeType::kLong:
      return "long";
    case AttributeType::kDouble:
      return "double";
    case AttributeType::kString:
      break;
  }
  return "string";
}

void declare(TextSink& out, const char* id, const char* domain, std::string_view name,
             const char* type) {
  out.put("  <key id=\"");
  out.put(id);
  out.put("\" for=\"");
  out.put(domain);
  out.put("\" attr.name=\"");
  put_xml(out, name);
  out.put("\" attr.type=\"");
  out.put(type);
  out.put("\"/>\n");
}

void declare_columns(TextSink& out, const std::vector<TypedColumn>& columns, const char* domain) {
  for (const auto& c : columns) {
    const char* type = graphml_type(c.type);
    if (c.split_location) {
      declare(out, c.id.c_str(), domain, c.name + "_lat", type);
      declare(out, c.id_lon.c_str(), domain, c.name + "_lon", type);
    } else {
      declare(out, c.id.c_str(), domain, c.name, type);
    }
  }
}

void data(TextSink& out, std::string_view key, std::string_view text) {
  out.put("<data key=\"");
  out.put(key);
  out.put("\">");
  put_xml(out, text);
  out.put("</data>");
}

}  // namespace

void write_graphml(const explore::Subgraph& subgraph, Files& files, Progress& progress) {
  const model::Graph& graph = subgraph.graph();
  const model::Schema& schema = graph.schema();
  const Catalog catalog = catalogue(subgraph);
  const auto node_columns = typed_columns(catalog.entities, "n");
  const auto edge_columns = typed_columns(catalog.relations, "e");
  TextSink& out = files.open("");
  out.put(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
      "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
  declare(out, "label", "node", "label", "string");
  declare(out, "kind", "node", "kind", "string");
  if (catalog.any_name) declare(out, "name", "node", "name", "string");
  declare_columns(out, node_columns, "node");
  declare(out, "relation", "edge", "label", "string");
  declare_columns(out, edge_columns, "edge");
  out.put("  <graph id=\"twinscan\" edgedefault=\"directed\">\n");
  std::string scratch;
  subgraph.for_each_vertex([&](model::VertexId v) {
    out.put("    <node id=\"");
    put_xml(out, graph.id(v));
    out.put("\">");
    data(out, "label", graph.name(v));
    data(out, "kind", schema.kind(graph.kind(v)).name);
    if (graph.name_sym(v) != 0) data(out, "name", graph.str(graph.name_sym(v)));
    for_each_attribute(graph, graph.properties(v), catalog.entities, node_columns, scratch,
                       [&](std::string_view id, std::string_view text) { data(out, id, text); });
    out.put("</node>\n");
    progress.step();
  });
  subgraph.for_each_relation([&](model::RelationId r) {
    out.put("    <edge id=\"");
    put_xml(out, graph.relation_id(r));
    out.put("\" source=\"");
    put_xml(out, graph.id(graph.relation_source(r)));
    out.put("\" target=\"");
    put_xml(out, graph.id(graph.relation_target(r)));
    out.put("\">");
    data(out, "relation", schema.relation(graph.relation_kind(r)).name);
    for_each_attribute(graph, graph.relation_properties(r), catalog.relations, edge_columns,
                       scratch,
                       [&](std::string_view id, std::string_view text) { data(out, id, text); });
    out.put("</edge>\n");
    progress.step();
  });
  out.put("  </graph>\n</graphml>\n");
}

}  // namespace twinscan::exports
