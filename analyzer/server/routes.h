#pragma once

#include <string>
#include <vector>

#include "analyzer/server/desk_app.h"
#include "analyzer/server/http_server.h"
#include "analyzer/server/http_types.h"

/// The desk's three kinds of address: /api/… (JSON), /assets/… (the stylesheet and the
/// script, from the binary) and the pages.
namespace twinscan::server {

/// Answers /api/… (`segments` is the split path).
HttpResponse handle_api(DeskApp& app, const HttpRequest& request,
                        const std::vector<std::string>& segments);

/// Answers /assets/NAME from the embedded set only.
HttpResponse handle_asset(const std::vector<std::string>& segments);

/// Answers the pages (everything else).
HttpResponse handle_page(DeskApp& app, const HttpRequest& request,
                         const std::vector<std::string>& segments);

/// The handler of the whole desk: refuses malformed paths (400), then dispatches.
HttpHandler make_desk_handler(DeskApp& app);

}  // namespace twinscan::server
