#include "analyzer/query/value.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

namespace twinscan::query {

std::string_view type_name(Type type) {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "boolean";
    case Type::kInt:
      return "integer";
    case Type::kFloat:
      return "float";
    case Type::kString:
      return "string";
    case Type::kDate:
      return "date";
    case Type::kLocation:
      return "location";
    case Type::kList:
      return "list";
    case Type::kNode:
      return "entity";
    case Type::kRelation:
      return "relation";
    case Type::kPath:
      return "path";
    case Type::kRange:
      return "range";
  }
  return "value";
}

Value Value::of_string(std::string s) {
  auto owned = std::make_shared<const std::string>(std::move(s));
  Value v;
  v.type = Type::kString;
  v.text = *owned;
  v.owner = std::move(owned);
  return v;
}

Value Value::of_list(ValueList items) {
  Value v;
  v.type = Type::kList;
  // Empty lists are common (a function that finds nothing, asked of every relation):
  // they allocate nothing.
  if (!items.empty()) v.owner = std::make_shared<const ValueList>(std::move(items));
  return v;
}

Value Value::of_path(PathData path) {
  Value v;
  v.type = Type::kPath;
  v.owner = std::make_shared<const PathData>(std::move(path));
  return v;
}

Value Value::of_range(double lo, double hi, bool integral) {
  if (lo > hi) std::swap(lo, hi);
  if (lo == hi) {
    if (integral && std::fabs(lo) < 9.0e18) return of_int(static_cast<std::int64_t>(lo));
    return of_float(lo);
  }
  Value v;
  v.type = Type::kRange;
  v.owner = std::make_shared<const RangeData>(RangeData{lo, hi, integral});
  return v;
}

Value from_model(const model::Graph& graph, const model::Value& value) {
  using model::ValueType;
  switch (value.type) {
    case ValueType::kNull:
      return Value::null();
    case ValueType::kBool:
      return Value::of_bool(value.boolean);
    case ValueType::kInt:
      return Value::of_int(value.integer);
    case ValueType::kNumber:
      return Value::of_float(value.number);
    case ValueType::kString:
      return Value::of_symbol(graph, value.string);
    case ValueType::kDate:
      return Value::of_date(value.date);
    case ValueType::kLocation:
      return Value::of_location(value.location);
    case ValueType::kList: {
      ValueList items;
      const auto elements = graph.list(value.list);
      items.reserve(elements.size());
      for (const auto& e : elements) items.push_back(from_model(graph, e));
      return Value::of_list(std::move(items));
    }
  }
  return Value::null();
}

namespace {

bool is_numeric(const Value& v) {
  return v.is_number() || v.type == Type::kRange;
}

// The first and last day a date may mean.
std::pair<std::int64_t, std::int64_t> days_of(const model::Date& d) {
  return {d.days_since_epoch(), d.last_days_since_epoch()};
}

// Interval comparison: a < b (or a <= b) for every pair of points, for none, or some.
int interval_less(double a_lo, double a_hi, double b_lo, double b_hi, bool or_equal) {
  if (std::isnan(a_lo) || std::isnan(a_hi) || std::isnan(b_lo) || std::isnan(b_hi)) return -1;
  if (or_equal) {
    if (a_hi <= b_lo) return 1;
    if (a_lo > b_hi) return 0;
  } else {
    if (a_hi < b_lo) return 1;
    if (a_lo >= b_hi) return 0;
  }
  return kImprecise;
}

int interval_equals(double a_lo, double a_hi, double b_lo, double b_hi) {
  if (a_hi < b_lo || b_hi < a_lo) return 0;
  if (a_lo == a_hi && b_lo == b_hi) return 1;
  return kImprecise;
}

}  // namespace

int equals(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return -1;
  if ((a.type == Type::kRange && is_numeric(b)) || (b.type == Type::kRange && is_numeric(a))) {
    const RangeData x = a.bounds(), y = b.bounds();
    if (std::isnan(x.lo) || std::isnan(y.lo)) return 0;
    return interval_equals(x.lo, x.hi, y.lo, y.hi);
  }
  if (a.is_number() && b.is_number()) {
    if (a.type == Type::kInt && b.type == Type::kInt) return a.integer == b.integer;
    return a.as_double() == b.as_double();
  }
  if (a.type != b.type) return 0;
  switch (a.type) {
    case Type::kBool:
      return a.boolean == b.boolean;
    case Type::kString:
      return a.text == b.text;
    case Type::kDate: {
      const auto [a_first, a_last] = days_of(a.date);
      const auto [b_first, b_last] = days_of(b.date);
      return interval_equals(static_cast<double>(a_first), static_cast<double>(a_last),
                             static_cast<double>(b_first), static_cast<double>(b_last));
    }
    case Type::kLocation:
      return a.location.lat == b.location.lat && a.location.lon == b.location.lon;
    case Type::kNode:
      return a.node == b.node;
    case Type::kRelation:
      return a.relation == b.relation;
    case Type::kList: {
      const auto& x = a.list();
      const auto& y = b.list();
      if (x.size() != y.size()) return 0;
      bool saw_null = false, saw_imprecise = false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        const int e = equals(x[i], y[i]);
        if (e == 0) return 0;
        if (e == -1) saw_null = true;
        if (e == kImprecise) saw_imprecise = true;
      }
      return saw_null ? -1 : saw_imprecise ? kImprecise : 1;
    }
    case Type::kPath:
      return a.path().nodes == b.path().nodes && a.path().relations == b.path().relations;
    default:
      return 0;
  }
}

int less(const Value& a, const Value& b, bool or_equal) {
  if (a.is_null() || b.is_null()) return -1;
  if (is_numeric(a) && is_numeric(b)) {
    if (a.type == Type::kRange || b.type == Type::kRange) {
      const RangeData x = a.bounds(), y = b.bounds();
      return interval_less(x.lo, x.hi, y.lo, y.hi, or_equal);
    }
  }
  if (a.type == Type::kDate && b.type == Type::kDate) {
    const auto [a_first, a_last] = days_of(a.date);
    const auto [b_first, b_last] = days_of(b.date);
    return interval_less(static_cast<double>(a_first), static_cast<double>(a_last),
                         static_cast<double>(b_first), static_cast<double>(b_last), or_equal);
  }
  const int c = compare(a, b);
  if (c == 2) return -1;
  return c < 0 || (or_equal && c == 0) ? 1 : 0;
}

int compare(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return 2;
  if (a.is_number() && b.is_number()) {
    if (a.type == Type::kInt && b.type == Type::kInt) {
      return a.integer < b.integer ? -1 : a.integer > b.integer ? 1 : 0;
    }
    const double x = a.as_double(), y = b.as_double();
    if (std::isnan(x) || std::isnan(y)) return 2;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.type != b.type) return 2;
  switch (a.type) {
    case Type::kBool:
      return a.boolean == b.boolean ? 0 : a.boolean ? 1 : -1;
    case Type::kString: {
      const int c = a.text.compare(b.text);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case Type::kDate:
      return a.date < b.date ? -1 : b.date < a.date ? 1 : 0;
    default:
      return 2;
  }
}

namespace {

int type_rank(Type t) {
  switch (t) {
    case Type::kNode:
      return 0;
    case Type::kRelation:
      return 1;
    case Type::kPath:
      return 2;
    case Type::kList:
      return 3;
    case Type::kString:
      return 4;
    case Type::kBool:
      return 5;
    case Type::kInt:
    case Type::kFloat:
    case Type::kRange:
      return 6;
    case Type::kDate:
      return 7;
    case Type::kLocation:
      return 8;
    case Type::kNull:
      return 9;
  }
  return 10;
}

int three_way(auto x, auto y) {
  return x < y ? -1 : y < x ? 1 : 0;
}

// Numbers in order, NaN (0/0) after every other and tied with itself: a comparison that
// tied NaN with everything would not be an order, and sorting by it is undefined.
int three_way_number(double x, double y) {
  if (std::isnan(x) || std::isnan(y)) return three_way(std::isnan(x), std::isnan(y));
  return three_way(x, y);
}

}  // namespace

int order(const model::Graph& graph, const Value& a, const Value& b) {
  const int ra = type_rank(a.type), rb = type_rank(b.type);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.type) {
    case Type::kNull:
      return 0;
    case Type::kNode:
      return three_way(graph.id(a.node), graph.id(b.node));
    case Type::kRelation: {
      std::string made_a, made_b;  // ids made when shown
      return three_way(graph.relation_id(a.relation, made_a),
                       graph.relation_id(b.relation, made_b));
    }
    case Type::kLocation:
      if (a.location.lat != b.location.lat) return three_way(a.location.lat, b.location.lat);
      return three_way(a.location.lon, b.location.lon);
    case Type::kInt:
    case Type::kFloat:
    case Type::kRange: {
      if (a.type == Type::kInt && b.type == Type::kInt) return three_way(a.integer, b.integer);
      const RangeData x = a.bounds(), y = b.bounds();
      if (const int c = three_way_number(x.lo, y.lo); c != 0) return c;
      return three_way_number(x.hi, y.hi);
    }
    case Type::kList: {
      const auto& x = a.list();
      const auto& y = b.list();
      for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (const int c = order(graph, x[i], y[i]); c != 0) return c;
      }
      return three_way(x.size(), y.size());
    }
    case Type::kPath: {
      const auto& x = a.path();
      const auto& y = b.path();
      for (std::size_t i = 0; i < x.nodes.size() && i < y.nodes.size(); ++i) {
        if (const int c = three_way(graph.id(x.nodes[i]), graph.id(y.nodes[i])); c != 0) return c;
      }
      return three_way(x.nodes.size(), y.nodes.size());
    }
    default:
      return compare(a, b);
  }
}

std::string to_display(const model::Graph& graph, const Value& value) {
  switch (value.type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return value.boolean ? "true" : "false";
    case Type::kInt:
      return std::to_string(value.integer);
    case Type::kFloat: {
      if (std::isnan(value.number)) return "NaN";  // as Cypher writes it, whatever its sign
      // As printf's %.15g writes it (std::to_chars is specified so), without printf's
      // locale and format parsing: query results, tables and CSV show many.
      char buf[32];
      const auto written =
          std::to_chars(buf, buf + sizeof buf, value.number, std::chars_format::general, 15);
      std::string s(buf, written.ptr);
      if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
      return s;
    }
    case Type::kString:
      return std::string(value.text);
    case Type::kDate:
      return value.date.to_string();
    case Type::kLocation: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "(%.5f, %.5f)", value.location.lat, value.location.lon);
      return buf;
    }
    case Type::kNode:
      return std::string(graph.id(value.node));
    case Type::kRelation:
      return graph.relation_id(value.relation);
    case Type::kList: {
      std::string out = "[";
      const auto& items = value.list();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ", ";
        out += to_display(graph, items[i]);
      }
      return out + "]";
    }
    case Type::kRange: {
      const RangeData& r = value.range();
      char buf[64];
      if (r.integral) {
        std::snprintf(buf, sizeof buf, "%.0f..%.0f", r.lo, r.hi);
      } else {
        std::snprintf(buf, sizeof buf, "%.15g..%.15g", r.lo, r.hi);
      }
      return buf;
    }
    case Type::kPath: {
      const auto& p = value.path();
      std::string out;
      for (std::size_t i = 0; i < p.nodes.size(); ++i) {
        if (i > 0) {
          const auto r = p.relations[i - 1];
          const bool forward = graph.relation_source(r) == p.nodes[i - 1];
          out += forward ? "-[" : "<-[";
          out += graph.schema().relation(graph.relation_kind(r)).name;
          out += forward ? "]->" : "]-";
        }
        out += '(';
        out += graph.id(p.nodes[i]);
        out += ')';
      }
      return out;
    }
  }
  return "?";
}

namespace {

template <typename T>
void append_bytes(T value, std::string& key) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);
  key.append(bytes, sizeof bytes);
}

void append_number(std::uint32_t number, std::string& key) {
  append_bytes(number, key);
}

// A double's bits, with the values `order` ties made one: -0 is 0, every NaN one NaN.
void append_double(double d, std::string& key) {
  if (d == 0) d = 0;
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  append_bytes(d, key);
}

}  // namespace

void append_key(const model::Graph& graph, const Value& value, std::string& key) {
  // A range shares its rank with numbers for ordering, but never ties with one.
  key += value.type == Type::kRange ? 'R' : static_cast<char>('a' + type_rank(value.type));
  switch (value.type) {
    case Type::kInt:
      // Integers and floats that compare equal share a key: a double's. An integer that
      // no double holds exactly (past 2^53) is keyed as itself, so that two of them
      // that differ by one are not taken for one.
      if (const auto d = static_cast<double>(value.integer);
          d >= -0x1p63 && d < 0x1p63 && static_cast<std::int64_t>(d) == value.integer) {
        append_double(d, key);
      } else {
        key += 'i';
        append_bytes(value.integer, key);
      }
      break;
    case Type::kFloat:
      append_double(value.number, key);
      break;
    case Type::kRange:
      append_double(value.range().lo, key);
      append_double(value.range().hi, key);
      break;
    case Type::kLocation:
      append_double(value.location.lat, key);
      append_double(value.location.lon, key);
      break;
    case Type::kList:
      for (const auto& item : value.list()) append_key(graph, item, key);
      key += '\x1f';
      break;
    // An entity, relation or path is the same exactly when its vertices and relations
    // are: their numbers key it (its display text, the ids, would say the same, at the
    // cost of copying them for every row grouped or kept distinct).
    case Type::kNode:
      append_number(value.node, key);
      break;
    case Type::kRelation:
      append_number(value.relation, key);
      break;
    case Type::kPath: {
      const PathData& path = value.path();
      append_number(static_cast<std::uint32_t>(path.nodes.size()), key);
      for (const model::VertexId v : path.nodes) append_number(v, key);
      for (const model::RelationId r : path.relations) append_number(r, key);
      break;
    }
    default: {
      const std::string text = to_display(graph, value);
      key += std::to_string(text.size());
      key += ':';
      key += text;
    }
  }
}

}  // namespace twinscan::query
