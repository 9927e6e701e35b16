// GEXF 1.3 (https://gexf.net/): a static directed graph; attributes declared with their
// types, then every entity and every relation, streamed. Each edge has its own id (the
// relation's) and its relation kind as both `label` and `kind`, the attribute GEXF 1.3
// gives parallel edges.
#include "analyzer/export/export_format.h"
#include "analyzer/export/property_catalog.h"
#include "analyzer/export/typed_columns.h"

namespace twinscan::exports {
namespace {

const char* gexf_type(AttributeType type) {
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

void declare(TextSink& out, std::string_view id, std::string_view title, const char* type) {
  out.put("      <attribute id=\"");
  out.put(id);
  out.put("\" title=\"");
  put_xml(out, title);
  out.put("\" type=\"");
  out.put(type);
  out.put("\"/>\n");
}

void declare_columns(TextSink& out, const std::vector<TypedColumn>& columns) {
  for (const auto& c : columns) {
    if (c.split_location) {
      declare(out, c.id, c.name + "_lat", gexf_type(c.type));
      declare(out, c.id_lon, c.name + "_lon", gexf_type(c.type));
    } else {
      declare(out, c.id, c.name, gexf_type(c.type));
    }
  }
}

void value(TextSink& out, std::string_view id, std::string_view text) {
  out.put("<attvalue for=\"");
  out.put(id);
  out.put("\" value=\"");
  put_xml(out, text);
  out.put("\"/>");
}

}  // namespace

void write_gexf(const explore::Subgraph& subgraph, Files& files, Progress& progress) {
  const model::Graph& graph = subgraph.graph();
  const model::Schema& schema = graph.schema();
  const Catalog catalog = catalogue(subgraph);
  const auto node_columns = typed_columns(catalog.entities, "n");
  const auto edge_columns = typed_columns(catalog.relations, "e");
  TextSink& out = files.open("");
  out.put(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<gexf xmlns=\"http://gexf.net/1.3\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" "
      "version=\"1.3\">\n"
      "  <meta>\n    <creator>Twinscan</creator>\n"
      "    <description>Entities and relations of a Twinscan registry</description>\n"
      "  </meta>\n"
      "  <graph mode=\"static\" defaultedgetype=\"directed\">\n"
      "    <attributes class=\"node\" mode=\"static\">\n");
  declare(out, "kind", "kind", "string");
  if (catalog.any_name) declare(out, "name", "name", "string");
  declare_columns(out, node_columns);
  out.put("    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n");
  declare(out, "relation", "relation", "string");
  declare_columns(out, edge_columns);
  out.put("    </attributes>\n    <nodes>\n");
  std::string scratch;
  subgraph.for_each_vertex([&](model::VertexId v) {
    out.put("      <node id=\"");
    put_xml(out, graph.id(v));
    out.put("\" label=\"");
    put_xml(out, graph.name(v));
    out.put("\"><attvalues>");
    value(out, "kind", schema.kind(graph.kind(v)).name);
    if (graph.name_sym(v) != 0) value(out, "name", graph.str(graph.name_sym(v)));
    for_each_attribute(graph, graph.properties(v), catalog.entities, node_columns, scratch,
                       [&](std::string_view id, std::string_view text) { value(out, id, text); });
    out.put("</attvalues></node>\n");
    progress.step();
  });
  out.put("    </nodes>\n    <edges>\n");
  subgraph.for_each_relation([&](model::RelationId r) {
    const std::string& kind = schema.relation(graph.relation_kind(r)).name;
    out.put("      <edge id=\"");
    put_xml(out, graph.relation_id(r));
    out.put("\" source=\"");
    put_xml(out, graph.id(graph.relation_source(r)));
    out.put("\" target=\"");
    put_xml(out, graph.id(graph.relation_target(r)));
    out.put("\" label=\"");
    put_xml(out, kind);
    out.put("\" kind=\"");
    put_xml(out, kind);
    out.put("\"><attvalues>");
    value(out, "relation", kind);
    for_each_attribute(graph, graph.relation_properties(r), catalog.relations, edge_columns,
                       scratch,
                       [&](std::string_view id, std::string_view text) { value(out, id, text); });
    out.put("</attvalues></edge>\n");
    progress.step();
  });
  out.put("    </edges>\n  </graph>\n</gexf>\n");
}

}  // namespace twinscan::exports
