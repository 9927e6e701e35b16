#pragma once

#include <string>
#include <string_view>

namespace twinscan::util {

/// The English name of a country given by its ISO 3166-1 alpha-2 code (either case),
/// from ICU's locale data: "FR" gives "France". Empty when the code is not two letters
/// or ICU knows no name for it.
std::string country_name(std::string_view code);

/// The ISO 3166-1 alpha-2 code of an alpha-3 code (either case), from ICU's list of
/// countries: "GBR" gives "GB". Empty when the code is not one ICU knows.
std::string alpha2_of_alpha3(std::string_view code);

/// Whether `text` is already an alpha-2 code as registries store it: two letters A-Z.
inline bool is_upper_alpha2(std::string_view text) {
  return text.size() == 2 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'A' && text[1] <= 'Z';
}

/// The stored form of a country code: two letters in upper case ("pl" gives "PL"), an
/// alpha-3 code ICU knows as its alpha-2 ("POL" and "pol" give "PL"). Other text comes
/// back as it is, so that a value that is not a code is never lost.
std::string canonical_country_code(std::string_view text);

}  // namespace twinscan::util
