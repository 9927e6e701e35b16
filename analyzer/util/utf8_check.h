#pragma once

#include <string_view>

namespace twinscan::util {

/// Whether `text` is valid UTF-8 as a whole, checked many bytes at a time (simdjson's
/// validator); decode_utf8() says which sequence is not.
bool is_utf8(std::string_view text);

}  // namespace twinscan::util
