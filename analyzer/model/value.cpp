#include "analyzer/model/value.h"

namespace twinscan::model {

std::string_view to_string(ValueType type) {
  switch (type) {
    case ValueType::kNull:
      return "null";
    case ValueType::kBool:
      return "bool";
    case ValueType::kInt:
      return "int";
    case ValueType::kNumber:
      return "number";
    case ValueType::kString:
      return "string";
    case ValueType::kDate:
      return "date";
    case ValueType::kLocation:
      return "location";
    case ValueType::kList:
      return "list";
  }
  return "?";
}

}  // namespace twinscan::model
