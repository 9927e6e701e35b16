#include "analyzer/export/property_catalog.h"

#include <optional>

#include "analyzer/export/text_sink.h"

namespace twinscan::exports {
namespace {

model::PropertyType type_of(const model::Graph& graph, const model::Value& value) {
  if (value.type != model::ValueType::kList) return {value.type, false};
  const auto items = graph.list(value.list);
  return {items.empty() ? model::ValueType::kString : items.front().type, true};
}

void note_dates(const model::Graph& graph, const model::Value& value, PropertyColumn& column) {
  auto one = [&](const model::Value& v) {
    if (v.type != model::ValueType::kDate) return;
    if (v.date.precision() == model::Date::Precision::kDay) {
      column.full_dates = true;
    } else {
      column.partial_dates = true;
    }
  };
  if (value.type == model::ValueType::kList) {
    for (const auto& item : graph.list(value.list)) one(item);
  } else {
    one(value);
  }
}

void append_json_scalar(const model::Graph& graph, const model::Value& v, std::string& out) {
  switch (v.type) {
    case model::ValueType::kNull:
      out += "null";
      break;
    case model::ValueType::kBool:
      out += v.boolean ? "true" : "false";
      break;
    case model::ValueType::kInt:
      out += std::to_string(v.integer);
      break;
    case model::ValueType::kNumber:
      out += double_text(v.number);
      break;
    case model::ValueType::kLocation:
      out += '[';
      out += float_text(v.location.lat);
      out += ", ";
      out += float_text(v.location.lon);
      out += ']';
      break;
    case model::ValueType::kDate:
    case model::ValueType::kString:
    case model::ValueType::kList: {
      std::string text;
      if (v.type == model::ValueType::kDate) {
        text = v.date.to_string();
      } else if (v.type == model::ValueType::kString) {
        text = graph.str(v.string);
      } else {
        text = list_json(graph, v.list);
        out += text;
        return;
      }
      std::string escaped;
      TextSink sink([&](std::string_view s) { escaped.append(s); });
      put_json_string(sink, text);
      sink.flush();
      out += escaped;
      break;
    }
  }
}

// The one type that holds values of both types: whole numbers and fractions are numbers
// (JSON does not tell 2 from 2.0); other types stay apart.
std::optional<model::PropertyType> unify(const model::PropertyType& a,
                                         const model::PropertyType& b) {
  if (a == b) return a;
  const auto number = [](model::ValueType t) {
    return t == model::ValueType::kInt || t == model::ValueType::kNumber;
  };
  if (a.list == b.list && number(a.scalar) && number(b.scalar))
    return model::PropertyType{model::ValueType::kNumber, a.list};
  return std::nullopt;
}

}  // namespace

void PropertyColumns::add(const model::Graph& graph, const model::Property& property,
                          const model::PropertySpec* declared) {
  PropertyColumn column;
  column.key = property.key;
  column.name = std::string(graph.str(property.key));
  column.type = declared ? declared->type : type_of(graph, property.value);
  column.declared = declared != nullptr;
  note_dates(graph, property.value, column);
  columns_.push_back(std::move(column));
}

void PropertyColumns::check(const model::Graph& graph, const model::Property& property,
                            PropertyColumn& column) {
  if (!column.declared && !column.mixed) {
    if (const auto both = unify(type_of(graph, property.value), column.type)) {
      column.type = *both;
    } else {
      column.mixed = true;
    }
  }
  note_dates(graph, property.value, column);
}

Catalog catalogue(const explore::Subgraph& subgraph) {
  const model::Graph& graph = subgraph.graph();
  const model::Schema& schema = graph.schema();
  Catalog out;
  out.entities_by_kind.resize(schema.kinds().size());
  out.relations_by_kind.resize(schema.relations().size());
  out.entity_count_by_kind.assign(schema.kinds().size(), 0);
  out.relation_count_by_kind.assign(schema.relations().size(), 0);
  subgraph.for_each_vertex([&](model::VertexId v) {
    const model::KindId kind = graph.kind(v);
    ++out.entity_count_by_kind[kind];
    if (graph.name_sym(v) != 0) out.any_name = true;
    for (const auto& p : graph.properties(v)) {
      auto spec = [&] { return schema.entity_property(kind, graph.str(p.key)); };
      out.entities_by_kind[kind].note(graph, p, spec);
    }
  });
  subgraph.for_each_relation([&](model::RelationId r) {
    const model::RelKindId kind = graph.relation_kind(r);
    ++out.relation_count_by_kind[kind];
    for (const auto& p : graph.relation_properties(r)) {
      auto spec = [&] { return schema.relation_property(kind, graph.str(p.key)); };
      out.relations_by_kind[kind].note(graph, p, spec);
    }
  });
  for (const auto& kind : out.entities_by_kind) out.entities.merge(kind);
  for (const auto& kind : out.relations_by_kind) out.relations.merge(kind);
  return out;
}

void PropertyColumns::merge(const PropertyColumns& other) {
  for (const auto& column : other.columns_) {
    const int at = find(column.key);
    if (at < 0) {
      columns_.push_back(column);
      continue;
    }
    PropertyColumn& mine = columns_[static_cast<std::size_t>(at)];
    const auto both = unify(mine.type, column.type);
    if (!both || column.mixed) {
      mine.mixed = true;
    } else {
      mine.type = *both;
    }
    mine.full_dates |= column.full_dates;
    mine.partial_dates |= column.partial_dates;
  }
}

std::string list_json(const model::Graph& graph, model::ListRef list) {
  std::string out = "[";
  bool first = true;
  for (const auto& item : graph.list(list)) {
    if (!first) out += ", ";
    first = false;
    append_json_scalar(graph, item, out);
  }
  out += ']';
  return out;
}

std::string value_text(const model::Graph& graph, const model::Value& value) {
  switch (value.type) {
    case model::ValueType::kNull:
      return {};
    case model::ValueType::kBool:
      return value.boolean ? "true" : "false";
    case model::ValueType::kInt:
      return std::to_string(value.integer);
    case model::ValueType::kNumber:
      return double_text(value.number);
    case model::ValueType::kString:
      return std::string(graph.str(value.string));
    case model::ValueType::kDate:
      return value.date.to_string();
    case model::ValueType::kLocation:
      return float_text(value.location.lat) + "," + float_text(value.location.lon);
    case model::ValueType::kList:
      return list_json(graph, value.list);
  }
  return {};
}

}  // namespace twinscan::exports
