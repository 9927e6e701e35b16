#include <exception>
#include <iostream>

#include "analyzer/server/json_body.h"
#include "analyzer/server/router.h"
#include "analyzer/server/routes.h"

namespace twinscan::server {

HttpHandler make_desk_handler(DeskApp& app) {
  return [&app](const HttpRequest& request) {
    std::vector<std::string> segments;
    // Split as sent, then decoded part by part: an entity id may hold an encoded '/'.
    if (!split_encoded_path(request.raw_path.empty() ? request.path : request.raw_path, segments)) {
      return json_error(400,
                        "the address may not hold empty, '.' or '..' parts, backslashes, "
                        "control characters or malformed %-escapes");
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
