// Percent-encoding (RFC 3986 §2.1): for URI path segments, query values and paths.
#pragma once

#include <string>
#include <string_view>

namespace twinscan::util {

/// `text` with every byte but the unreserved ones (letters, digits, - . _ ~) and those in
/// `kept` written as %XX.
std::string percent_encode(std::string_view text, std::string_view kept = {});

}  // namespace twinscan::util
