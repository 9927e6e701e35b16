#include "analyzer/util/country_name.h"

#include <unicode/locid.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>

#include <map>

namespace twinscan::util {

std::string country_name(std::string_view code) {
  if (code.size() != 2) return {};
  std::string upper;
  for (char c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return {};
    upper += c;
  }
  const icu::Locale locale("", upper.c_str());
  icu::UnicodeString display;
  locale.getDisplayCountry(icu::Locale::getEnglish(), display);
  std::string name;
  display.toUTF8String(name);
  // ICU answers with the code itself when it has no name for it.
  if (name.empty() || name == upper) return {};
  return name;
}

std::string alpha2_of_alpha3(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> by_alpha3 = [] {
    std::map<std::string, std::string, std::less<>> out;
    for (const char* const* c = uloc_getISOCountries(); *c != nullptr; ++c) {
      const std::string alpha3 = uloc_getISO3Country((std::string("und_") + *c).c_str());
      if (!alpha3.empty()) out.emplace(alpha3, *c);
    }
    return out;
  }();
  if (code.size() != 3) return {};
  std::string upper(code);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  const auto it = by_alpha3.find(upper);
  return it == by_alpha3.end() ? std::string() : it->second;
}

std::string canonical_country_code(std::string_view text) {
  if (text.size() == 2) {
    std::string upper;
    for (char c : text) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (c < 'A' || c > 'Z') return std::string(text);
      upper += c;
    }
    return upper;
  }
  if (text.size() == 3) {
    std::string alpha2 = alpha2_of_alpha3(text);
    if (!alpha2.empty()) return alpha2;
  }
  return std::string(text);
}

}  // namespace twinscan::util
