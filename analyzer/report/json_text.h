#pragma once

#include <string>
#include <string_view>

namespace twinscan::report {

/// Appends `text` to `out` as a JSON string, quotes included, with the very bytes
/// RapidJSON's writers give (UTF-8 in, UTF-8 out): `"` and `\` escaped, control
/// characters as `\b \t \n \f \r` or `\u00XX` (upper-case hex), everything else,
/// multibyte characters included, as it is. Runs without anything to escape are
/// copied whole, which is what makes it faster than the writers' character loop.
void append_json_string(std::string& out, std::string_view text);

}  // namespace twinscan::report
