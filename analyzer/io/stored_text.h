#pragma once

#include <string>
#include <string_view>

#include "analyzer/util/country_name.h"

namespace twinscan::io {

/// The text the registry stores for a string property `key`. Country codes are kept in one
/// form, so that "pl", "PL" and "POL" are one country to every rule and count: a "country"
/// that is a code in another case or of three letters is stored as its alpha-2 code.
/// Returns `text` itself, or a view of `scratch` when it was rewritten.
inline std::string_view stored_text(std::string_view key, std::string_view text,
                                    std::string& scratch) {
  if (key != "country" || util::is_upper_alpha2(text)) return text;
  scratch = util::canonical_country_code(text);
  return scratch;
}

}  // namespace twinscan::io
