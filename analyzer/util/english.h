#pragma once

#include <string>
#include <string_view>

namespace twinscan::util {

/// The noun with its indefinite article: "an Agreement", "a Firm", "an integer".
inline std::string with_article(std::string_view noun) {
  const bool vowel =
      !noun.empty() && std::string_view("AEIOUaeiou").find(noun[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(noun);
}

}  // namespace twinscan::util
