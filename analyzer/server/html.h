#pragma once

#include <string>
#include <string_view>

/// Escaping for the desk's server-rendered pages: every value a page shows goes
/// through one of these.
namespace twinscan::server {

/// `text` for HTML text or a double-quoted attribute value: & < > " ' are replaced by
/// character references; bytes that are not valid UTF-8 become U+FFFD, control characters
/// other than tab and newline are dropped.
std::string escape_html(std::string_view text);

/// `text` percent-encoded for a query-string value or a path segment (RFC 3986
/// unreserved characters kept).
std::string encode_uri_component(std::string_view text);

}  // namespace twinscan::server
