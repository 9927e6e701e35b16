#pragma once

#include <string>
#include <string_view>

namespace twinscan::util {

/// The English name of an ISO 3166-1 alpha-2 country code ("FR" -> "France"), from ICU's
/// locale data; a code ICU does not know (or text that is not a code) is returned as given.
std::string country_name(std::string_view code);

}  // namespace twinscan::util
