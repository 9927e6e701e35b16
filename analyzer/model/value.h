#pragma once

#include <cstdint>
#include <string_view>

#include "analyzer/model/date.h"
#include "analyzer/util/string_pool.h"

namespace twinscan::model {

using util::Sym;

/// The types a property may hold. Lists hold scalars of one type.
enum class ValueType : std::uint8_t {
  kNull,
  kBool,
  kInt,
  kNumber,
  kString,
  kDate,
  kLocation,
  kList
};

std::string_view to_string(ValueType type);

/// A point on the globe in degrees. Single precision is about a metre at worst,
/// ample for distances in kilometres, and keeps Value at 16 bytes.
struct GeoPoint {
  float lat = 0;
  float lon = 0;
};

/// A run of list elements in the owning graph's list pool.
struct ListRef {
  std::uint32_t offset = 0;
  std::uint32_t count = 0;
};

/// A typed property value as stored in the registry graph: 16 bytes, trivially
/// copyable. Strings are interned symbols and lists refer to the graph's list pool,
/// so a Value is read together with the Graph that owns it.
struct Value {
  ValueType type = ValueType::kNull;
  union {
    bool boolean;
    std::int64_t integer;
    double number;
    Sym string;
    Date date;
    GeoPoint location;
    ListRef list;
  };

  Value() : integer(0) {}
  static Value of_bool(bool b) {
    Value v;
    v.type = ValueType::kBool;
    v.boolean = b;
    return v;
  }
  static Value of_int(std::int64_t i) {
    Value v;
    v.type = ValueType::kInt;
    v.integer = i;
    return v;
  }
  static Value of_number(double d) {
    Value v;
    v.type = ValueType::kNumber;
    v.number = d;
    return v;
  }
  static Value of_string(Sym s) {
    Value v;
    v.type = ValueType::kString;
    v.string = s;
    return v;
  }
  static Value of_date(Date d) {
    Value v;
    v.type = ValueType::kDate;
    v.date = d;
    return v;
  }
  static Value of_location(GeoPoint p) {
    Value v;
    v.type = ValueType::kLocation;
    v.location = p;
    return v;
  }
  static Value of_list(ListRef l) {
    Value v;
    v.type = ValueType::kList;
    v.list = l;
    return v;
  }

  [[nodiscard]] bool is_null() const { return type == ValueType::kNull; }
};

/// Identifies a set of sources in a graph's source-set table (GraphArrays::source_sets).
using SourceSetId = std::uint32_t;

/// A property of an entity or relation: its interned key, the sources that state this
/// value (in what would otherwise be padding, so provenance costs no byte here) and the
/// value.
struct Property {
  Sym key = 0;
  SourceSetId sources = 0;
  Value value;
};
static_assert(sizeof(Property) == 24);

}  // namespace twinscan::model
