#include <exception>
#include <iostream>

#include "analyzer/server/json_body.h"
#include "analyzer/server/router.h"
#include "analyzer/server/routes.h"
#include "analyzer/util/utf8_check.h"

namespace twinscan::server {

namespace {

// Form fields and query parameters are stored and shown as text: bytes that are not UTF-8
// would make the audit trail's JSON unreadable. (JSON bodies are checked by their reader.)
bool fields_are_utf8(const HttpRequest& request) {
  for (const auto& [name, value] : request.params) {
    if (!util::is_utf8(name) || !util::is_utf8(value)) return false;
  }
  for (const auto& part : request.parts) {
    if (!util::is_utf8(part.name) || (part.filename.empty() && !util::is_utf8(part.content)))
      return false;
  }
  return true;
}

}  // namespace

HttpHandler make_desk_handler(DeskApp& app) {
  return [&app](const HttpRequest& request) {
    std::vector<std::string> segments;
    // Split as sent, then decoded part by part: an entity id may hold an encoded '/'.
    if (!split_encoded_path(request.raw_path.empty() ? request.path : request.raw_path, segments)) {
      return json_error(400,
                        "the address may not hold empty, '.' or '..' parts, backslashes, "
                        "control characters or malformed %-escapes");
    }
    if (!fields_are_utf8(request)) {
      return json_error(400, "a form field or parameter is not UTF-8 text; send it in UTF-8");
    }
    try {
      if (!segments.empty() && segments.front() == "api") {
        return handle_api(app, request, segments);
      }
      if (!segments.empty() && segments.front() == "assets") return handle_asset(segments);
      return handle_page(app, request, segments);
    } catch (const std::exception& e) {
      // The database failed (desk::DeskError) or the engine did: said in the log, not to
      // the client.
      std::cerr << "twinscan: error: " << request.method << ' ' << request.path << ": " << e.what()
                << '\n';
      return json_error(500, "the desk failed to answer; see its log");
    }
  };
}

}  // namespace twinscan::server
