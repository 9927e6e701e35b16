#include "analyzer/util/country_name.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

namespace twinscan::util {

std::string country_name(std::string_view code) {
  // Two ASCII letters, in either case: anything else is not a code ICU should guess at.
  if (code.size() != 2) return std::string(code);
  std::string upper(code);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return std::string(code);
  }
  const icu::Locale locale("", upper.c_str());
  icu::UnicodeString display;
  locale.getDisplayCountry(icu::Locale::getEnglish(), display);
  std::string out;
  display.toUTF8String(out);
  // ICU echoes a code it has no name for.
  if (out.empty() || out == upper) return std::string(code);
  return out;
}

}  // namespace twinscan::util
