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
  kRange,  ///< A number known only within bounds: days_between() of a partial date.
};

/// A three-valued answer that is not true nor false because a partial date (or a range
/// computed from one) leaves it open: true for some of the days the date may mean and
/// false for others. Comparisons return it besides 1 (true), 0 (false), -1 (null).
inline constexpr int kImprecise = -2;

/// The bounds of a kRange value: lo < hi; `integral` when both are whole numbers that
/// came from integer arithmetic (day counts), so that they print without decimals.
struct RangeData {
  double lo = 0;
  double hi = 0;
  bool integral = true;
};

std::string_view type_name(Type type);

/// A value during query evaluation. Scalars, entities and relations are held inline;
/// strings are views (into the graph's string pool, or into `owner` when computed),
/// lists and paths are shared and immutable.
struct Value {
  Type type = Type::kNull;
  /// kNull only: the value is unknown because a partial date leaves it open (a
  /// comparison true for some days of the date's period and false for others), not
  /// because something is missing. Rules report such matches as "cannot judge".
  bool imprecise = false;
  /// kString read from the graph: the text's symbol in its string pool, so that equal
  /// symbols mean equal texts without comparing them (0: a computed text or a literal).
  model::Sym symbol = 0;
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
  /// A null that stands for an answer a partial date leaves open (see `imprecise`).
  static Value unknown() {
    Value v;
    v.imprecise = true;
    return v;
  }
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
  /// A string of the graph's string pool, with its symbol.
  static Value of_symbol(const model::Graph& graph, model::Sym sym) {
    Value v = of_view(graph.str(sym));
    v.symbol = sym;
    return v;
  }
  /// A computed string, owned by the value.
  static Value of_string(std::string s);
  static Value of_list(ValueList items);
  static Value of_path(PathData path);
  /// A number between lo and hi; a plain integer (or float) when the bounds meet.
  static Value of_range(double lo, double hi, bool integral);

  [[nodiscard]] bool is_null() const { return type == Type::kNull; }
  [[nodiscard]] bool is_number() const { return type == Type::kInt || type == Type::kFloat; }
  [[nodiscard]] double as_double() const {
    return type == Type::kInt ? static_cast<double>(integer) : number;
  }
  [[nodiscard]] const ValueList& list() const {
    static const ValueList kNoItems;  // an empty list owns nothing (see of_list)
    return owner ? *static_cast<const ValueList*>(owner.get()) : kNoItems;
  }
  [[nodiscard]] const PathData& path() const { return *static_cast<const PathData*>(owner.get()); }
  [[nodiscard]] const RangeData& range() const {
    return *static_cast<const RangeData*>(owner.get());
  }
  /// The bounds of a number or a range (both the number for a plain number).
  [[nodiscard]] RangeData bounds() const {
    if (type == Type::kRange) return range();
    return {as_double(), as_double(), type == Type::kInt};
  }
};

/// Converts a stored property value to an evaluation value.
Value from_model(const model::Graph& graph, const model::Value& value);

/// openCypher equality: null when either side is null (or a list holds null where it
/// decides), numbers compare across int and float, other types must match.
/// Returns 1 true, 0 false, -1 null, kImprecise when a partial date or a range leaves it
/// open: dates are equal when they are one and the same day, different when their periods
/// do not overlap, and otherwise unknown ("2019" = "2019-04-17", and even "2019" = "2019").
int equals(const Value& a, const Value& b);

/// The comparison a < b (or a <= b when `or_equal`) for WHERE: 1 true, 0 false, -1 null
/// (a null operand, or values that do not compare), kImprecise when a partial date or a
/// range leaves it open. A date stands for one day of its period and a range for one number
/// between its bounds: the answer is true or false only when it is so for all of them.
int less(const Value& a, const Value& b, bool or_equal);

/// The ordering of ORDER BY within a type: -1/0/1, or 2 when the values are not
/// comparable. Dates order field by field (a partial date before the fuller dates of its
/// period); WHERE comparisons use less() instead.
int compare(const Value& a, const Value& b);

/// A total order over all values, for ORDER BY, DISTINCT and grouping: by type first
/// (nulls last), then by value. Entities compare by id.
int order(const model::Graph& graph, const Value& a, const Value& b);

/// The value as text for tables and CSV: entities and relations by id, lists in brackets.
std::string to_display(const model::Graph& graph, const Value& value);

/// A hashable key for DISTINCT and grouping: equal for values that `order` ties, except
/// that entities, relations and paths are keyed by identity (two relations of one kind
/// between the same entities are two; `order` ties their paths), and an integer that no
/// double holds exactly by itself.
void append_key(const model::Graph& graph, const Value& value, std::string& key);

}  // namespace twinscan::query
