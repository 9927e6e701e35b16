#pragma once

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

}  // namespace twinscan::exports
