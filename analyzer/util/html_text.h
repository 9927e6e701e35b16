#pragma once

#include <string>
#include <string_view>

namespace twinscan::util {

/// `text` for HTML text or a double-quoted attribute value: & < > " ' become character
/// references; bytes that are not valid UTF-8 become U+FFFD; control characters other
/// than tab and newline are dropped. Every HTML page Twinscan writes (the report, the
/// national map, the desk) escapes through this one function.
std::string escape_html(std::string_view text);

}  // namespace twinscan::util
