#include "analyzer/util/utf8_check.h"

#include <simdjson.h>

namespace twinscan::util {

bool is_utf8(std::string_view text) {
  return simdjson::validate_utf8(text.data(), text.size());
}

}  // namespace twinscan::util
