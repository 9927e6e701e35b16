#pragma once

#include <string>
#include <string_view>

#include "analyzer/util/html_text.h"

/// Escaping for the desk's server-rendered pages: every value a page shows goes
/// through one of these.
namespace twinscan::server {

/// `text` for HTML text or a double-quoted attribute value (util::escape_html).
using util::escape_html;

/// `text` percent-encoded for a query-string value or a path segment (RFC 3986
/// unreserved characters kept).
std::string encode_uri_component(std::string_view text);

}  // namespace twinscan::server
