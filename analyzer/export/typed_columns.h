#pragma once

#include <span>
#include <string>
#include <vector>

#include "analyzer/export/property_catalog.h"

namespace twinscan::exports {

/// The types the typed graph formats (GraphML, GEXF) give an attribute.
enum class AttributeType { kString, kBoolean, kLong, kDouble };

/// How one property key is written as typed attributes: one attribute, or two doubles
/// NAME_lat and NAME_lon for a location. Lists, dates and keys of mixed types are text
/// (see value_text).
struct TypedColumn {
  const PropertyColumn* column = nullptr;
  /// The attribute's name: the property's, or with "_property" after it for an undeclared
  /// property called like an attribute of the format's own (label, kind, name, relation).
  std::string name;
  bool split_location = false;
  AttributeType type = AttributeType::kString;
  std::string id;      ///< the attribute's id in the file
  std::string id_lon;  ///< a split location's second attribute
};

/// The attributes of `columns`, with ids `prefix` followed by a number.
std::vector<TypedColumn> typed_columns(const PropertyColumns& columns, const std::string& prefix);

/// The value of `column` as its attribute text (the first part of a split location, the
/// latitude, or with `longitude` the second).
void attribute_text(const model::Graph& graph, const model::Value& value, const TypedColumn& column,
                    bool longitude, std::string& out);

/// Calls put(attribute id, text) for each of `props` that has a column in `columns`
/// (twice for a split location), the text in `scratch`: the walk GraphML's <data> and
/// GEXF's <attvalue> share.
template <typename Put>
void for_each_attribute(const model::Graph& graph, std::span<const model::Property> props,
                        const PropertyColumns& columns, const std::vector<TypedColumn>& typed,
                        std::string& scratch, Put&& put) {
  for (const auto& p : props) {
    const int at = columns.find(p.key);
    if (at < 0) continue;
    const TypedColumn& c = typed[static_cast<std::size_t>(at)];
    attribute_text(graph, p.value, c, false, scratch);
    put(c.id, scratch);
    if (c.split_location && p.value.type == model::ValueType::kLocation) {
      attribute_text(graph, p.value, c, true, scratch);
      put(c.id_lon, scratch);
    }
  }
}

}  // namespace twinscan::exports
