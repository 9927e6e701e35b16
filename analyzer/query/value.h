#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/graph.h"

namespace twinscan::query {

struct Value;
using ValueList = std::vector<Value>;

/// A path matched by a named pattern: nodes.size() == relations.size() + 1.
struct PathData {
  std::vector<model::VertexId> nodes;
  std::vector<model::RelationId> relations;
};

enum class Type : std::uint8_t {
  kNull,
  kBool,
  kInt,
  kFloat,
  kString,
  kDate,
  kLocation,
  kList,
  kNode,
  kRelation,
  kPath,
};

std::string_view type_name(Type type);

/// A value during query evaluation. Scalars, entities and relations are held inline;
/// strings are views (into the graph's string pool, or into `owner` when computed),
/// lists and paths are shared and immutable.
struct Value {
  Type type = Type::kNull;
  union {
    bool boolean;
    std::int64_t integer;
    double number;
    model::Date date;
    model::GeoPoint location;
    model::VertexId node;
    model::RelationId relation;
  };
  std::string_view text;              ///< kString.
  std::shared_ptr<const void> owner;  ///< Keeps computed text, lists or paths alive.

  Value() : integer(0) {}
  static Value null() { return {}; }
  static Value of_bool(bool b) {
    Value v;
    v.type = Type::kBool;
    v.boolean = b;
    return v;
  }
  static Value of_int(std::int64_t i) {
    Value v;
    v.type = Type::kInt;
    v.integer = i;
    return v;
  }
  static Value of_float(double d) {
    Value v;
    v.type = Type::kFloat;
    v.number = d;
    return v;
  }
  static Value of_date(model::Date d) {
    Value v;
    v.type = Type::kDate;
    v.date = d;
    return v;
  }
  static Value of_location(model::GeoPoint p) {
    Value v;
    v.type = Type::kLocation;
    v.location = p;
    return v;
  }
  static Value of_node(model::VertexId n) {
    Value v;
    v.type = Type::kNode;
    v.node = n;
    return v;
  }
  static Value of_relation(model::RelationId r) {
    Value v;
    v.type = Type::kRelation;
    v.relation = r;
    return v;
  }
  /// A string that lives at least as long as the graph (or a literal in the plan).
  static Value of_view(std::string_view s) {
    Value v;
    v.type = Type::kString;
    v.text = s;
    return v;
  }
  /// A computed string, owned by the value.
  static Value of_string(std::string s);
  static Value of_list(ValueList items);
  static Value of_path(PathData path);

  [[nodiscard]] bool is_null() const { return type == Type::kNull; }
  [[nodiscard]] bool is_number() const { return type == Type::kInt || type == Type::kFloat; }
  [[nodiscard]] double as_double() const {
    return type == Type::kInt ? static_cast<double>(integer) : number;
  }
  [[nodiscard]] const ValueList& list() const {
    return *static_cast<const ValueList*>(owner.get());
  }
  [[nodiscard]] const PathData& path() const { return *static_cast<const PathData*>(owner.get()); }
};

/// Converts a stored property value to an evaluation value.
Value from_model(const model::Graph& graph, const model::Value& value);

/// openCypher equality: null when either side is null (or a list holds null where it
/// decides), numbers compare across int and float, other types must match.
/// Returns 1 true, 0 false, -1 null.
int equals(const Value& a, const Value& b);

/// openCypher ordering comparison for <, <=, >, >=: -1/0/1, or 2 when the values are
/// not comparable (the comparison is then null).
int compare(const Value& a, const Value& b);

/// A total order over all values, for ORDER BY, DISTINCT and grouping: by type first
/// (nulls last), then by value. Entities compare by id.
int order(const model::Graph& graph, const Value& a, const Value& b);

/// The value as text for tables and CSV: entities and relations by id, lists in brackets.
std::string to_display(const model::Graph& graph, const Value& value);

/// A hashable key for DISTINCT and grouping, equal for values that `order` ties.
void append_key(const model::Graph& graph, const Value& value, std::string& key);

}  // namespace twinscan::query
