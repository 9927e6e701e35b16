#include "analyzer/export/typed_columns.h"

#include "analyzer/export/text_sink.h"
#include "analyzer/export/unique_names.h"

namespace twinscan::exports {

std::vector<TypedColumn> typed_columns(const PropertyColumns& columns, const std::string& prefix) {
  std::vector<TypedColumn> out;
  std::vector<std::string_view> names;
  for (const auto& column : columns.columns()) names.emplace_back(column.name);
  auto field_names = property_field_names(names, {"label", "kind", "name", "relation"});
  for (const auto& column : columns.columns()) {
    TypedColumn typed;
    typed.column = &column;
    typed.name = std::move(field_names[out.size()]);
    const bool scalar = !column.mixed && !column.type.list;
    typed.split_location = scalar && column.type.scalar == model::ValueType::kLocation;
    if (typed.split_location) {
      typed.type = AttributeType::kDouble;
    } else if (scalar && column.type.scalar == model::ValueType::kBool) {
      typed.type = AttributeType::kBoolean;
    } else if (scalar && column.type.scalar == model::ValueType::kInt) {
      typed.type = AttributeType::kLong;
    } else if (scalar && column.type.scalar == model::ValueType::kNumber) {
      typed.type = AttributeType::kDouble;
    }
    typed.id = prefix + std::to_string(out.size());
    if (typed.split_location) typed.id_lon = typed.id + "lon";
    out.push_back(std::move(typed));
  }
  return out;
}

void attribute_text(const model::Graph& graph, const model::Value& value, const TypedColumn& column,
                    bool longitude, std::string& out) {
  if (column.split_location && value.type == model::ValueType::kLocation) {
    out = float_text(longitude ? value.location.lon : value.location.lat);
    return;
  }
  out = value_text(graph, value);
}

}  // namespace twinscan::exports
