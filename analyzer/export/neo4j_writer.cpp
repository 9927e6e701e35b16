// A folder for `neo4j-admin database import full`: one nodes file per entity kind, one
// relationships file per relation kind, each with a typed header (`id:ID`, `:LABEL`,
// `share:double`, `clauses:string[]`, `signed_on:date`, `:START_ID`, `:END_ID`, `:TYPE`),
// and README.md with the import command. Array elements are separated by U+001F.
#include <initializer_list>
#include <string>
#include <vector>

#include "analyzer/export/export_format.h"
#include "analyzer/export/property_catalog.h"
#include "analyzer/export/unique_names.h"

namespace twinscan::exports {
namespace {

constexpr char kArrayDelimiter = '\x1F';

/// A header name or a file name's part: ASCII letters and digits, `_`, and every
/// character beyond ASCII (Neo4j's names are Unicode) are kept; any other ASCII character
/// becomes `_`, so that the `:` of a type and the `,` between fields stay unambiguous.
std::string field_name(std::string_view name) {
  std::string out(name);
  for (auto& c : out) {
    const auto u = static_cast<unsigned char>(c);
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || u >= 0x80;
    if (!ok) c = '_';
  }
  if (out.empty()) out = "_";
  return out;
}

const char* neo4j_type(model::ValueType type) {
  switch (type) {
    case model::ValueType::kBool:
      return "boolean";
    case model::ValueType::kInt:
      return "long";
    case model::ValueType::kNumber:
      return "double";
    default:
      return "string";
  }
}

/// What one property key becomes: one field, or for a date a `:date` field for dates of
/// day precision and a `_partial:string` field for the others.
struct Field {
  const PropertyColumn* column;
  bool date = false;     ///< a :date field (day-precision values)
  bool partial = false;  ///< a NAME_partial:string field (year or month precision)
};

std::vector<Field> fields_of(const PropertyColumns& columns) {
  std::vector<Field> out;
  for (const auto& c : columns.columns()) {
    const bool date = !c.mixed && !c.type.list && c.type.scalar == model::ValueType::kDate;
    out.push_back({&c, date && c.full_dates, date && c.partial_dates});
  }
  return out;
}

/// The typed fields after the fixed ones (`taken`: the fixed fields' names).
void header(TextSink& out, const std::vector<Field>& fields,
            std::initializer_list<std::string_view> taken) {
  // A property whose name is a field name as it is keeps it; one whose name had to change
  // yields (a property named a_b is a_b, one named a-b becomes a_b_2), so that Cypher
  // written with a property's own name finds that property.
  UniqueNames names(taken, false);
  std::vector<std::string> main_name(fields.size());
  std::vector<std::string> partial_name(fields.size());
  // Three passes: names kept as they are, then names that had to change, then the
  // derived NAME_partial fields (a property of its own named since_partial keeps it).
  for (const int pass : {0, 1, 2}) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const Field& f = fields[i];
      const std::string base = field_name(f.column->name);
      if (pass == 2) {
        if (f.partial) partial_name[i] = names.claim(base + "_partial");
        continue;
      }
      if ((base == f.column->name) != (pass == 0)) continue;
      if (f.date || !f.partial) main_name[i] = names.claim(base);
    }
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Field& f = fields[i];
    const PropertyColumn& c = *f.column;
    if (f.date || f.partial) {
      if (f.date) out.put("," + main_name[i] + ":date");
      if (f.partial) out.put("," + partial_name[i] + ":string");
      continue;
    }
    const std::string& name = main_name[i];
    out.put(',');
    out.put(name);
    if (c.mixed) {
      out.put(":string");
    } else if (c.type.scalar == model::ValueType::kLocation && !c.type.list) {
      out.put(":point{crs:WGS-84}");
    } else {
      out.put(':');
      out.put(c.type.scalar == model::ValueType::kDate ||
                      c.type.scalar == model::ValueType::kLocation
                  ? "string"
                  : neo4j_type(c.type.scalar));
      if (c.type.list) out.put("[]");
    }
  }
  out.put('\n');
}

void scalar(TextSink& out, const model::Graph& graph, const model::Value& v, std::string& scratch) {
  switch (v.type) {
    case model::ValueType::kBool:
      scratch = v.boolean ? "true" : "false";
      break;
    case model::ValueType::kInt:
      scratch = std::to_string(v.integer);
      break;
    case model::ValueType::kNumber:
      scratch = double_text(v.number);
      break;
    default:
      scratch = value_text(graph, v);
      break;
  }
  for (auto& c : scratch) {
    if (c == kArrayDelimiter) c = ' ';
  }
  out.put(scratch);
}

void cells(TextSink& out, const model::Graph& graph, std::span<const model::Property> props,
           const PropertyColumns& columns, const std::vector<Field>& fields,
           std::vector<const model::Value*>& slots, std::string& cell, std::string& scratch) {
  slots.assign(columns.size(), nullptr);
  for (const auto& p : props) {
    const int at = columns.find(p.key);
    if (at >= 0) slots[static_cast<std::size_t>(at)] = &p.value;
  }
  TextSink text([&](std::string_view s) { cell.append(s); });
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Field& f = fields[i];
    const model::Value* v = slots[i];
    if (f.date || f.partial) {
      const bool day = v && v->type == model::ValueType::kDate &&
                       v->date.precision() == model::Date::Precision::kDay;
      if (f.date) {
        out.put(',');
        if (day) out.put(v->date.to_string());
      }
      if (f.partial) {
        out.put(',');
        if (v && !day) put_csv_field(out, value_text(graph, *v), false);
      }
      continue;
    }
    out.put(',');
    if (!v) continue;
    cell.clear();
    if (f.column->mixed) {
      text.put(value_text(graph, *v));
    } else if (v->type == model::ValueType::kLocation) {
      text.put("{latitude:");
      text.put_float(v->location.lat);
      text.put(", longitude:");
      text.put_float(v->location.lon);
      text.put('}');
    } else if (v->type == model::ValueType::kList) {
      bool first = true;
      for (const auto& item : graph.list(v->list)) {
        if (!first) text.put(kArrayDelimiter);
        first = false;
        scalar(text, graph, item, scratch);
      }
    } else {
      scalar(text, graph, *v, scratch);
    }
    text.flush();
    put_csv_field(out, cell, false);
  }
  out.put('\n');
}

/// A name in Cypher: in backticks (doubled inside) when it is not plain letters, digits
/// and `_`.
std::string cypher_name(std::string_view name) {
  if (field_name(name) == name && !(name[0] >= '0' && name[0] <= '9')) {
    bool ascii = true;
    for (const char c : name) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) return std::string(name);
  }
  std::string out = "`";
  for (const char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

}  // namespace

void write_neo4j(const explore::Subgraph& subgraph, Files& files, Progress& progress) {
  const model::Graph& graph = subgraph.graph();
  const model::Schema& schema = graph.schema();
  const Catalog catalog = catalogue(subgraph);
  std::vector<const model::Value*> slots;
  std::string cell;
  std::string scratch;

  std::vector<TextSink*> node_files(schema.kinds().size(), nullptr);
  std::vector<std::vector<Field>> node_fields(schema.kinds().size());
  std::vector<bool> kind_named(schema.kinds().size(), false);
  std::vector<std::string> node_names;
  UniqueNames file_names({"README"}, true);
  subgraph.for_each_vertex([&](model::VertexId v) {
    if (graph.name_sym(v) != 0) kind_named[graph.kind(v)] = true;
  });
  for (model::KindId k = 0; k < schema.kinds().size(); ++k) {
    if (catalog.entity_count_by_kind[k] == 0) continue;
    const std::string name = file_names.claim("nodes-" + field_name(schema.kind(k).name)) + ".csv";
    node_names.push_back(name);
    node_files[k] = &files.open(name);
    node_fields[k] = fields_of(catalog.entities_by_kind[k]);
    node_files[k]->put(kind_named[k] ? "id:ID,:LABEL,name:string" : "id:ID,:LABEL");
    header(*node_files[k], node_fields[k], {"id", "name"});
  }
  subgraph.for_each_vertex([&](model::VertexId v) {
    const model::KindId k = graph.kind(v);
    TextSink& out = *node_files[k];
    put_csv_field(out, graph.id(v), false);
    out.put(',');
    put_csv_field(out, schema.kind(k).name, false);  // the label is the kind, as it is
    if (kind_named[k]) {
      out.put(',');
      if (graph.name_sym(v) != 0) put_csv_field(out, graph.str(graph.name_sym(v)), false);
    }
    cells(out, graph, graph.properties(v), catalog.entities_by_kind[k], node_fields[k], slots, cell,
          scratch);
    progress.step();
  });

  std::vector<TextSink*> relation_files(schema.relations().size(), nullptr);
  std::vector<std::vector<Field>> relation_fields(schema.relations().size());
  std::vector<std::string> relation_names;
  for (model::RelKindId k = 0; k < schema.relations().size(); ++k) {
    if (catalog.relation_count_by_kind[k] == 0) continue;
    const std::string name =
        file_names.claim("relationships-" + field_name(schema.relation(k).name)) + ".csv";
    relation_names.push_back(name);
    relation_files[k] = &files.open(name);
    relation_fields[k] = fields_of(catalog.relations_by_kind[k]);
    relation_files[k]->put(":START_ID,:END_ID,:TYPE,id:string");
    header(*relation_files[k], relation_fields[k], {"id"});
  }
  subgraph.for_each_relation([&](model::RelationId r) {
    const model::RelKindId k = graph.relation_kind(r);
    TextSink& out = *relation_files[k];
    put_csv_field(out, graph.id(graph.relation_source(r)), false);
    out.put(',');
    put_csv_field(out, graph.id(graph.relation_target(r)), false);
    out.put(',');
    put_csv_field(out, schema.relation(k).name, false);
    out.put(',');
    put_csv_field(out, graph.relation_id(r), false);
    cells(out, graph, graph.relation_properties(r), catalog.relations_by_kind[k],
          relation_fields[k], slots, cell, scratch);
    progress.step();
  });

  TextSink& readme = files.open("README.md");
  readme.put("# A Twinscan registry for Neo4j\n\n");
  readme.put("Written by `twinscan export --format neo4j`: ");
  readme.put_int(static_cast<std::int64_t>(subgraph.vertex_count()));
  readme.put(" entities in one file per kind (`nodes-KIND.csv`, the kind as label), ");
  readme.put_int(static_cast<std::int64_t>(subgraph.relation_count()));
  readme.put(
      " relations in one file per relation kind (`relationships-KIND.csv`, the kind as "
      "type).\nEach file starts with its typed header. Array elements are separated by "
      "U+001F; dates of day precision are `:date` fields, and dates known only to the year "
      "or month are kept as text in a `NAME_partial:string` field.\n\n"
      "Import into a new database (Neo4j 5; stop the database first). Run from this "
      "folder:\n\n```sh\nneo4j-admin database import full \\\n");
  for (const auto& name : node_names) readme.put("  --nodes=" + name + " \\\n");
  for (const auto& name : relation_names) readme.put("  --relationships=" + name + " \\\n");
  readme.put(
      "  --array-delimiter=U+001F --multiline-fields=true --overwrite-destination=true "
      "neo4j\n```\n\nThen start the database and index the ids (in cypher-shell):\n\n"
      "```cypher\n");
  for (model::KindId k = 0; k < schema.kinds().size(); ++k) {
    if (catalog.entity_count_by_kind[k] == 0) continue;
    const std::string& kind = schema.kind(k).name;
    readme.put("CREATE INDEX " + cypher_name(kind + "_id") +
               " IF NOT EXISTS FOR (n:" + cypher_name(kind) + ") ON (n.id);\n");
  }
  readme.put("```\n");
}

}  // namespace twinscan::exports
