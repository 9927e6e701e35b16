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

}  // namespace twinscan::util
