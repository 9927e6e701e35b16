#include "analyzer/util/country_name.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

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

}  // namespace twinscan::util
