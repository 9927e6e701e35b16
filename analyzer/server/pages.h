#pragma once

#include <string>
#include <vector>

#include "analyzer/server/desk_app.h"
#include "analyzer/server/http_types.h"

/// The pages of the desk, one function each; handle_page (pages.cpp) checks the session,
/// the CSRF token of forms and the role before calling them.
namespace twinscan::server::pages {

struct PageCall {
  DeskApp& app;
  const HttpRequest& request;
  const desk::Session& session;
  const std::vector<std::string>& params;
};

HttpResponse findings(const PageCall& call);
HttpResponse finding(const PageCall& call);
HttpResponse decide(const PageCall& call);
HttpResponse add_note(const PageCall& call);
HttpResponse assign(const PageCall& call);
HttpResponse screen_form(const PageCall& call);
HttpResponse screen(const PageCall& call);
HttpResponse screenings(const PageCall& call);
HttpResponse screening(const PageCall& call);
HttpResponse audit(const PageCall& call);
HttpResponse entity(const PageCall& call);
/// The follow-up page (page_followup.cpp): indicators and their charts, `?by=` a dimension.
HttpResponse followup(const PageCall& call);
/// The same indicators as JSON (`twinscan indicators --format json`), for GET /api/indicators.
HttpResponse followup_json(DeskApp& app, const HttpRequest& request);

/// The entity's name (dir="auto"), linking to its page when `graph` knows `id`.
std::string entity_link(const model::Graph& graph, const std::string& id, const std::string& name);

}  // namespace twinscan::server::pages
