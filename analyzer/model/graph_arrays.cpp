#include "analyzer/model/graph_arrays.h"

#include <algorithm>

namespace twinscan::model {

Sym GraphArrays::name_or_title_sym(VertexId v) const {
  if (const Sym name = entity_name[v]; name != 0) return name;
  Sym title_key = 0;
  if (!strings.find("title", title_key)) return 0;
  const Value* title = property(v, title_key);
  return title && title->type == ValueType::kString ? title->string : 0;
}

bool GraphArrays::same_value(const Value& a, const Value& b) const {
  if (a.type != b.type) return false;
  switch (a.type) {
    case ValueType::kNull:
      return true;
    case ValueType::kBool:
      return a.boolean == b.boolean;
    case ValueType::kInt:
      return a.integer == b.integer;
    case ValueType::kNumber:
      return a.number == b.number;
    case ValueType::kString:
      return a.string == b.string;
    case ValueType::kDate:
      return a.date == b.date;
    case ValueType::kLocation:
      return a.location.lat == b.location.lat && a.location.lon == b.location.lon;
    case ValueType::kList: {
      const auto x = list(a.list);
      const auto y = list(b.list);
      return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                        [&](const Value& p, const Value& q) { return same_value(p, q); });
    }
  }
  return false;
}

}  // namespace twinscan::model
