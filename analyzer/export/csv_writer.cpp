// Plain CSV: a folder with nodes.csv (id, kind, label, name, then one column per property
// key) and edges.csv (id, kind, source, target, then one column per property key), by
// RFC 4180 (CRLF line ends, fields quoted when needed). A text cell a spreadsheet would
// read as a formula gets a leading apostrophe; numbers and booleans are written as they are.
#include <initializer_list>
#include <string>
#include <string_view>

#include "analyzer/export/export_format.h"
#include "analyzer/export/property_catalog.h"
#include "analyzer/export/unique_names.h"

namespace twinscan::exports {
namespace {

/// The header cells of `columns`: a location is two columns, NAME_lat and NAME_lon; an
/// undeclared property named like one of the `fixed` columns gets "_property" after it.
void header(TextSink& out, const PropertyColumns& columns,
            std::initializer_list<std::string_view> fixed) {
  std::vector<std::string_view> names;
  for (const auto& c : columns.columns()) names.emplace_back(c.name);
  const auto field_names = property_field_names(names, fixed);
  std::size_t i = 0;
  for (const auto& c : columns.columns()) {
    const std::string& name = field_names[i++];
    out.put(',');
    if (!c.mixed && !c.type.list && c.type.scalar == model::ValueType::kLocation) {
      put_csv_field(out, name + "_lat", true);
      out.put(',');
      put_csv_field(out, name + "_lon", true);
    } else {
      put_csv_field(out, name, true);
    }
  }
  out.put("\r\n");
}

/// One row's property cells, in the order of `columns`.
void cells(TextSink& out, const model::Graph& graph, std::span<const model::Property> props,
           const PropertyColumns& columns, std::vector<const model::Value*>& slots) {
  slots.assign(columns.size(), nullptr);
  for (const auto& p : props) {
    const int at = columns.find(p.key);
    if (at >= 0) slots[static_cast<std::size_t>(at)] = &p.value;
  }
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const PropertyColumn& c = columns.columns()[i];
    const model::Value* v = slots[i];
    out.put(',');
    if (!c.mixed && !c.type.list && c.type.scalar == model::ValueType::kLocation) {
      if (v && v->type == model::ValueType::kLocation) {
        out.put_float(v->location.lat);
        out.put(',');
        out.put_float(v->location.lon);
      } else {
        out.put(',');
      }
      continue;
    }
    if (!v) continue;
    switch (v->type) {
      case model::ValueType::kBool:
        out.put(v->boolean ? "true" : "false");
        break;
      case model::ValueType::kInt:
        out.put_int(v->integer);
        break;
      case model::ValueType::kNumber:
        out.put_double(v->number);
        break;
      default:
        put_csv_field(out, value_text(graph, *v), true);
    }
  }
  out.put("\r\n");
}

}  // namespace

void write_csv(const explore::Subgraph& subgraph, Files& files, Progress& progress) {
  const model::Graph& graph = subgraph.graph();
  const model::Schema& schema = graph.schema();
  const Catalog catalog = catalogue(subgraph);
  std::vector<const model::Value*> slots;
  TextSink& nodes = files.open("nodes.csv");
  nodes.put("id,kind,label,name");
  header(nodes, catalog.entities, {"id", "kind", "label", "name"});
  subgraph.for_each_vertex([&](model::VertexId v) {
    put_csv_field(nodes, graph.id(v), true);
    nodes.put(',');
    put_csv_field(nodes, schema.kind(graph.kind(v)).name, true);
    nodes.put(',');
    put_csv_field(nodes, graph.name(v), true);
    nodes.put(',');
    if (graph.name_sym(v) != 0) put_csv_field(nodes, graph.str(graph.name_sym(v)), true);
    cells(nodes, graph, graph.properties(v), catalog.entities, slots);
    progress.step();
  });
  TextSink& edges = files.open("edges.csv");
  edges.put("id,kind,source,target");
  header(edges, catalog.relations, {"id", "kind", "source", "target"});
  subgraph.for_each_relation([&](model::RelationId r) {
    put_csv_field(edges, graph.relation_id(r), true);
    edges.put(',');
    put_csv_field(edges, schema.relation(graph.relation_kind(r)).name, true);
    edges.put(',');
    put_csv_field(edges, graph.id(graph.relation_source(r)), true);
    edges.put(',');
    put_csv_field(edges, graph.id(graph.relation_target(r)), true);
    cells(edges, graph, graph.relation_properties(r), catalog.relations, slots);
    progress.step();
  });
}

}  // namespace twinscan::exports
