#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace twinscan::util {

/// The noun with its indefinite article: "an Agreement", "a Firm", "an integer".
inline std::string with_article(std::string_view noun) {
  const bool vowel =
      !noun.empty() && std::string_view("AEIOUaeiou").find(noun[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(noun);
}

/// A count with its noun, singular for one: "1 entity", "2 entities", "0 relations".
/// `plural` is the noun's plural form.
inline std::string count_of(std::uint64_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + ' ' + std::string(n == 1 ? singular : plural);
}

}  // namespace twinscan::util
