#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analyzer/explore/subgraph.h"
#include "analyzer/model/schema.h"

namespace twinscan::exports {

/// One property key as exported: its name and the type every value of it has (declared by
/// the schema, else read from the values). Keys whose values differ in type (an undeclared
/// key used with several types, or declared differently by two kinds) are `mixed` and
/// exported as text.
struct PropertyColumn {
  model::Sym key = 0;
  std::string name;
  model::PropertyType type;
  bool declared = false;  ///< the type is the schema's
  bool mixed = false;
  bool full_dates = false;     ///< some date value (or list element) is of day precision
  bool partial_dates = false;  ///< some date value is of year or month precision only
};

/// The property keys of a set of entities or relations, in the order first seen.
class PropertyColumns {
 public:
  [[nodiscard]] const std::vector<PropertyColumn>& columns() const { return columns_; }
  [[nodiscard]] std::size_t size() const { return columns_.size(); }
  /// The column of `key`, or -1.
  [[nodiscard]] int find(model::Sym key) const {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i].key == key) return static_cast<int>(i);
    }
    return -1;
  }
  /// Notes one value; `declared()` gives the key's spec (or nullptr) and is asked only
  /// when the key is first seen.
  template <typename Declared>
  void note(const model::Graph& graph, const model::Property& property, Declared&& declared) {
    const int at = find(property.key);
    if (at < 0) {
      add(graph, property, declared());
    } else {
      check(graph, property, columns_[static_cast<std::size_t>(at)]);
    }
  }
  /// Adds the columns of `other` (a key typed differently there becomes mixed).
  void merge(const PropertyColumns& other);

 private:
  void add(const model::Graph& graph, const model::Property& property,
           const model::PropertySpec* declared);
  static void check(const model::Graph& graph, const model::Property& property,
                    PropertyColumn& column);

  std::vector<PropertyColumn> columns_;
};

/// What an export holds, read in one pass before writing: the property keys of its
/// entities and relations, over all kinds and per kind, and how many of each kind.
struct Catalog {
  PropertyColumns entities;
  PropertyColumns relations;
  std::vector<PropertyColumns> entities_by_kind;   ///< by KindId
  std::vector<PropertyColumns> relations_by_kind;  ///< by RelKindId
  std::vector<std::size_t> entity_count_by_kind;
  std::vector<std::size_t> relation_count_by_kind;
  bool any_name = false;  ///< some entity has a "name"
};

Catalog catalogue(const explore::Subgraph& subgraph);

/// A value as text for formats without types: booleans true/false, numbers as shortest
/// round-trip decimals, dates as ISO 8601 at their own precision, a location as
/// "LAT,LON", a list as a JSON array (dates and strings as JSON strings, a location as
/// [LAT, LON]).
std::string value_text(const model::Graph& graph, const model::Value& value);
/// A list as its JSON array text.
std::string list_json(const model::Graph& graph, model::ListRef list);

}  // namespace twinscan::exports
