// The JSON API of the desk (docs/desk.md, "The API"). Every route but POST /api/session
// needs a session (401), the route's role (403) and, when it changes state, the session's
// CSRF token in X-CSRF-Token (403).
#include <map>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/server/entity_view.h"
#include "analyzer/server/finding_list.h"
#include "analyzer/server/json_body.h"
#include "analyzer/server/page_layout.h"
#include "analyzer/server/pages.h"
#include "analyzer/server/router.h"
#include "analyzer/server/routes.h"
#include "analyzer/server/session_guard.h"

namespace twinscan::server {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

struct ApiCall {
  DeskApp& app;
  const HttpRequest& request;
  const desk::Session& session;
  const std::vector<std::string>& params;
};

struct ApiRoute {
  const char* method;
  const char* pattern;
  desk::Role need;
  HttpResponse (*run)(const ApiCall&);
};

void put(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string finished(const rapidjson::StringBuffer& buffer) {
  return {buffer.GetString(), buffer.GetSize()};
}

/// Refuses a body that is not JSON by its Content-Type (415) or by its text (400).
std::optional<HttpResponse> read_json(const HttpRequest& request, rapidjson::Document& doc) {
  if (request.media_type() != "application/json") {
    return json_error(415, "send the body as JSON with Content-Type: application/json");
  }
  std::string error;
  if (!parse_json_body(request.body, doc, error)) return json_error(400, error);
  if (!doc.IsObject()) return json_error(400, "the body must be a JSON object");
  return std::nullopt;
}

void write_decision(Writer& w, const desk::Decision& d) {
  w.StartObject();
  put(w, "decision", d.decision);
  put(w, "justification", d.justification);
  put(w, "expires", d.expires);
  put(w, "by", d.by);
  put(w, "at", d.at);
  w.EndObject();
}

/// `assignee`: "" when nobody is assigned (null in the JSON).
void write_finding(Writer& w, const FindingRecord& f, const std::string& status,
                   const std::string& assignee, const std::string* first_seen = nullptr) {
  w.StartObject();
  put(w, "rule", f.rule);
  put(w, "category", f.category);
  put(w, "severity", f.severity);
  put(w, "precision", f.precision);
  put(w, "title", f.title);
  put(w, "message", f.message);
  put(w, "fingerprint", f.fingerprint);
  w.Key("bindings");
  w.StartObject();
  for (const auto& [name, id] : f.bindings) put(w, name.c_str(), id);
  w.EndObject();
  w.Key("entities");
  w.StartArray();
  for (const auto& e : f.entities) w.String(e.first.c_str());
  w.EndArray();
  w.Key("relations");
  w.StartArray();
  for (const auto& r : f.relations) w.String(r.first.c_str());
  w.EndArray();
  put(w, "status", status);
  w.Key("assignee");
  if (assignee.empty()) {
    w.Null();
  } else {
    w.String(assignee.c_str(), static_cast<rapidjson::SizeType>(assignee.size()));
  }
  if (first_seen != nullptr) put(w, "first_seen", *first_seen);
  w.Key("screening");
  if (f.screening == 0) {
    w.Null();
  } else {
    w.Int64(f.screening);
  }
  w.EndObject();
}

HttpResponse sign_in(DeskApp& app, const HttpRequest& request) {
  rapidjson::Document doc;
  if (auto refused = read_json(request, doc)) return *refused;
  std::string name;
  std::string password;
  std::string error;
  if (!string_member(doc, "user", name, error) ||
      !string_member(doc, "password", password, error)) {
    return json_error(400, error);
  }
  if (name.empty() || password.empty()) {
    return json_error(400, "send {\"user\": NAME, \"password\": PASSWORD}");
  }
  desk::DeskStore& store = app.store();
  std::int64_t retry_after = 0;
  const auto user = store.sign_in(name, password, request.remote_address, &retry_after);
  if (!user) {
    if (retry_after > 0) {
      HttpResponse r = json_error(
          429, "too many failed sign-ins for this user; try again " + retry_in_words(retry_after));
      r.set_header("Retry-After", std::to_string(retry_after));
      return r;
    }
    return json_error(401, "wrong user name or password");
  }
  const auto session = store.create_session(*user, app.config().session_ttl_seconds);
  if (!session) return json_error(401, "wrong user name or password");
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  put(w, "csrf_token", session->csrf_token);
  put(w, "user", session->user.name);
  put(w, "role", std::string(desk::role_name(session->user.role)));
  w.Key("expires_unix");
  w.Int64(session->expires_unix);
  w.EndObject();
  HttpResponse r = json_response(200, finished(buffer));
  r.set_header("Set-Cookie", session_cookie(*session, app.config().session_ttl_seconds,
                                            app.config().secure_cookie));
  return r;
}

HttpResponse who_am_i(const ApiCall& call) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  put(w, "user", call.session.user.name);
  put(w, "role", std::string(desk::role_name(call.session.user.role)));
  w.EndObject();
  return json_response(200, finished(buffer));
}

HttpResponse sign_out(const ApiCall& call) {
  call.app.store().end_session(call.session.token, call.session.user.name);
  HttpResponse r = json_response(200, "{\"signed_out\": true}");
  r.set_header("Set-Cookie", cleared_session_cookie(call.app.config().secure_cookie));
  return r;
}

HttpResponse list_findings(const ApiCall& call) {
  const std::string today = call.app.as_of();
  FindingFilter filter = FindingFilter::of(call.request);
  if (const std::string wrong = filter.problem(); !wrong.empty()) return json_error(400, wrong);
  if (filter.assignee == "me") filter.assignee = call.session.user.name;
  const FindingList list =
      filter_findings(call.app.findings().all_findings(), call.app.decided_statuses(),
                      call.app.store().first_seen(), call.app.store().current_assignees(), filter);
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("findings");
  w.StartArray();
  for (const auto& listed : list.shown) {
    write_finding(w, listed.record, listed.status, listed.assignee, &listed.first_seen);
  }
  w.EndArray();
  w.Key("counts");
  w.StartObject();
  w.Key("total");
  w.Int(static_cast<int>(list.shown.size()));
  for (const auto& [key, counts] :
       {std::pair{"by_severity", &list.by_severity}, std::pair{"by_status", &list.by_status}}) {
    w.Key(key);
    w.StartObject();
    for (const auto& [name, n] : *counts) {
      w.Key(name.c_str());
      w.Int(n);
    }
    w.EndObject();
  }
  w.EndObject();
  put(w, "as_of", today);
  w.EndObject();
  return json_response(200, finished(buffer));
}

std::optional<HttpResponse> check_fingerprint(const std::string& fingerprint) {
  if (is_fingerprint(fingerprint)) return std::nullopt;
  return json_error(400, "a finding's fingerprint is 16 hexadecimal digits (0-9, a-f)");
}

HttpResponse show_finding(const ApiCall& call) {
  const std::string& fp = call.params[0];
  if (auto bad = check_fingerprint(fp)) return *bad;
  const auto f = call.app.findings().find_undrawn(fp);
  if (!f)
    return json_error(404, "no finding of the registry or of a screening has this fingerprint");
  desk::DeskStore& store = call.app.store();
  const auto history = store.decisions(fp);
  const auto notes = store.notes(fp);
  const auto assignments = store.assignments(fp);
  const std::string assignee = assignments.empty() ? std::string() : assignments.back().assignee;
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("finding");
  write_finding(w, *f, call.app.status_now(fp), assignee);
  if (const rules::Rule* rule = call.app.rule(f->rule)) {
    w.Key("rule");
    w.StartObject();
    put(w, "id", rule->id);
    put(w, "title", rule->title);
    put(w, "rationale", rule->rationale);
    put(w, "remediation", rule->remediation);
    w.Key("references");
    w.StartArray();
    for (const auto& ref : rule->references) w.String(ref.c_str());
    w.EndArray();
    w.EndObject();
  }
  w.Key("decisions");
  w.StartArray();
  for (const auto& d : history) write_decision(w, d);
  w.EndArray();
  w.Key("notes");
  w.StartArray();
  for (const auto& n : notes) {
    w.StartObject();
    w.Key("id");
    w.Int64(n.id);
    put(w, "text", n.text);
    put(w, "by", n.by);
    put(w, "at", n.at);
    w.EndObject();
  }
  w.EndArray();
  w.Key("assignments");
  w.StartArray();
  for (const auto& a : assignments) {
    w.StartObject();
    w.Key("assignee");
    if (a.assignee.empty()) {
      w.Null();
    } else {
      w.String(a.assignee.c_str(), static_cast<rapidjson::SizeType>(a.assignee.size()));
    }
    put(w, "by", a.by);
    put(w, "at", a.at);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return json_response(200, finished(buffer));
}

HttpResponse decide(const ApiCall& call) {
  const std::string& fp = call.params[0];
  if (auto bad = check_fingerprint(fp)) return *bad;
  rapidjson::Document doc;
  if (auto refused = read_json(call.request, doc)) return *refused;
  desk::Decision d;
  d.fingerprint = fp;
  std::string error;
  if (!string_member(doc, "decision", d.decision, error) ||
      !string_member(doc, "justification", d.justification, error) ||
      !string_member(doc, "expires", d.expires, error)) {
    return json_error(400, error);
  }
  if (d.decision != "confirmed" && d.decision != "dismissed" && d.decision != "suppressed") {
    return json_error(400, "\"decision\" is one of confirmed, dismissed, suppressed");
  }
  // The page's form sends its expiry field with every decision; a caller of the API that
  // sends one with a confirmation or dismissal is told, not silently ignored.
  if (d.decision != "suppressed" && !d.expires.empty()) {
    return json_error(400, "only a suppression has an expiry date; leave \"expires\" out");
  }
  const DecisionResult result = call.app.decide(d, call.session.user);
  if (result.status != 200) return json_error(result.status, result.error);
  return show_finding(call);
}

HttpResponse add_note(const ApiCall& call) {
  const std::string& fp = call.params[0];
  if (auto bad = check_fingerprint(fp)) return *bad;
  rapidjson::Document doc;
  if (auto refused = read_json(call.request, doc)) return *refused;
  std::string text;
  std::string error;
  if (!string_member(doc, "text", text, error)) return json_error(400, error);
  if (member(doc, "text") == nullptr) return json_error(400, "send {\"text\": NOTE}");
  const DecisionResult result = call.app.add_note(fp, text, call.session.user);
  if (result.status != 200) return json_error(result.status, result.error);
  return show_finding(call);
}

HttpResponse assign(const ApiCall& call) {
  const std::string& fp = call.params[0];
  if (auto bad = check_fingerprint(fp)) return *bad;
  rapidjson::Document doc;
  if (auto refused = read_json(call.request, doc)) return *refused;
  std::string user;
  std::string error;
  if (!string_member(doc, "user", user, error)) {
    return json_error(400, "\"user\" is a user name, or null to unassign");
  }
  if (member(doc, "user") == nullptr) {
    return json_error(400, "send {\"user\": NAME}, or {\"user\": null} to unassign");
  }
  const DecisionResult result = call.app.assign(fp, user, call.session.user);
  if (result.status != 200) return json_error(result.status, result.error);
  return show_finding(call);
}

HttpResponse screen(const ApiCall& call) {
  if (call.request.media_type() != "application/json") {
    return json_error(415,
                      "send the request document as JSON with Content-Type: "
                      "application/json");
  }
  rapidjson::Document doc;
  std::string error;
  if (!parse_json_body(call.request.body, doc, error, true)) return json_error(400, error);
  std::string name = call.request.param("name");
  if (name.empty()) name = "request.json";
  const ScreeningResult result = call.app.screen(call.request.body, name, call.session.user);
  if (result.status != 200) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    put(w, "error", result.error);
    w.Key("problems");
    w.StartArray();
    for (const auto& p : result.problems) w.String(p.c_str());
    w.EndArray();
    w.EndObject();
    return json_response(result.status, finished(buffer));
  }
  return json_response(200, result.json);
}

void write_screening(Writer& w, const desk::Screening& s) {
  w.Key("id");
  w.Int64(s.id);
  put(w, "at", s.at);
  put(w, "by", s.by);
  put(w, "request_name", s.request_name);
  put(w, "request_sha256", s.request_sha256);
  put(w, "registry_version", s.registry_version);
  put(w, "rules_version", s.rules_version);
  put(w, "verdict", s.verdict);
}

HttpResponse list_screenings(const ApiCall& call) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("screenings");
  w.StartArray();
  for (const auto& s : call.app.store().screenings(0)) {
    w.StartObject();
    write_screening(w, s);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return json_response(200, finished(buffer));
}

HttpResponse show_screening(const ApiCall& call) {
  std::int64_t id = 0;
  if (!parse_id(call.params[0], id))
    return json_error(400, "a screening's id is a positive number");
  const auto s = call.app.store().find_screening(id);
  if (!s) return json_error(404, "no screening has this id");
  rapidjson::Document result;
  std::string error;
  parse_json_body(s->result_json, result, error);
  // The words kept for the pages are the desk's own: the result is the command line's.
  if (result.IsObject()) result.RemoveMember(kEvidenceWords);
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  write_screening(w, *s);
  w.Key("result");
  result.Accept(w);
  w.EndObject();
  return json_response(200, finished(buffer));
}

HttpResponse list_audit(const ApiCall& call) {
  std::int64_t limit = 500;
  if (const std::string text = call.request.param("limit");
      !text.empty() && !parse_id(text, limit)) {
    return json_error(400, "limit is a positive number");
  }
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("entries");
  w.StartArray();
  for (const auto& e : call.app.store().audit_entries(call.request.param("q"), limit)) {
    w.StartObject();
    w.Key("seq");
    w.Int64(e.seq);
    put(w, "at", e.at);
    put(w, "actor", e.actor);
    put(w, "action", e.action);
    put(w, "subject", e.subject);
    w.Key("detail");
    rapidjson::Document detail;
    std::string ignored;
    if (parse_json_body(e.detail_json, detail, ignored)) {
      detail.Accept(w);
    } else {
      w.String(e.detail_json.c_str());
    }
    put(w, "prev_hash", e.prev_hash);
    put(w, "hash", e.hash);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return json_response(200, finished(buffer));
}

HttpResponse show_entity(const ApiCall& call) {
  const std::string& id = call.params[0];
  if (!is_entity_id(id)) {
    return json_error(400, "an entity id is 1 to 200 characters without control characters");
  }
  const auto e = view_entity(call.app.registry().graph(), id);
  if (!e) return json_error(404, "the registry has no entity with this id");
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  put(w, "id", e->id);
  put(w, "kind", e->kind);
  put(w, "name", e->name);
  w.Key("properties");
  w.StartObject();
  for (const auto& p : e->properties) put(w, p.key.c_str(), p.text);
  w.EndObject();
  w.Key("sources");
  w.StartArray();
  for (const auto& s : e->sources) {
    w.StartObject();
    put(w, "id", s.id);
    put(w, "name", s.name);
    put(w, "role", s.role);
    w.EndObject();
  }
  w.EndArray();
  w.Key("disagreements");
  w.StartArray();
  for (const auto& d : e->disagreements) w.String(d.c_str());
  w.EndArray();
  w.Key("neighbours");
  w.StartArray();
  for (const auto& n : e->neighbours) {
    w.StartObject();
    put(w, "id", n.id);
    put(w, "name", n.name);
    put(w, "kind", n.kind);
    put(w, "relation", n.relation);
    put(w, "direction", n.direction);
    w.EndObject();
  }
  w.EndArray();
  w.Key("more_neighbours");
  w.Uint64(e->more_neighbours);
  w.Key("findings");
  w.StartArray();
  for (const auto& f : call.app.findings().registry_findings_involving(e->id)) {
    w.String(f.fingerprint.c_str());
  }
  w.EndArray();
  w.EndObject();
  return json_response(200, finished(buffer));
}

HttpResponse indicators(const ApiCall& c) {
  return pages::followup_json(c.app, c.request);
}

constexpr ApiRoute kRoutes[] = {
    {"GET", "/api/session", desk::Role::kViewer, who_am_i},
    {"DELETE", "/api/session", desk::Role::kViewer, sign_out},
    {"GET", "/api/findings", desk::Role::kViewer, list_findings},
    {"GET", "/api/findings/{}", desk::Role::kViewer, show_finding},
    {"POST", "/api/findings/{}/decision", desk::Role::kReviewer, decide},
    {"POST", "/api/findings/{}/notes", desk::Role::kReviewer, add_note},
    {"POST", "/api/findings/{}/assignment", desk::Role::kReviewer, assign},
    {"POST", "/api/screen", desk::Role::kReviewer, screen},
    {"GET", "/api/screenings", desk::Role::kViewer, list_screenings},
    {"GET", "/api/screenings/{}", desk::Role::kViewer, show_screening},
    {"GET", "/api/audit", desk::Role::kViewer, list_audit},
    {"GET", "/api/entities/{}", desk::Role::kViewer, show_entity},
    {"GET", "/api/indicators", desk::Role::kViewer, indicators},
};

}  // namespace

HttpResponse handle_api(DeskApp& app, const HttpRequest& request,
                        const std::vector<std::string>& segments) {
  const bool session_route = segments.size() == 2 && segments[1] == "session";
  if (session_route && request.method == "POST") return sign_in(app, request);
  const auto session = current_session(app.store(), request);
  if (!session) return json_error(401, "sign in first (POST /api/session)");

  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  const ApiRoute* route = nullptr;
  std::vector<std::string> params;
  std::string allowed = session_route ? "POST" : "";
  for (const auto& r : kRoutes) {
    std::vector<std::string> found;
    if (!match_pattern(r.pattern, segments, found)) continue;
    if (r.method == method) {
      route = &r;
      params = std::move(found);
      break;
    }
    allowed += allowed.empty() ? r.method : std::string(", ") + r.method;
  }
  if (route == nullptr) {
    if (allowed.empty()) return json_error(404, "no such API route");
    HttpResponse r = json_error(405, "this route answers " + allowed);
    r.set_header("Allow", allowed);
    return r;
  }
  if (!desk::role_allows(session->user.role, route->need)) {
    return json_error(403, "your role (" + std::string(desk::role_name(session->user.role)) +
                               ") may not do this; it needs " +
                               std::string(desk::role_name(route->need)));
  }
  if (changes_state(request.method) && !csrf_matches(*session, request.header("X-CSRF-Token"))) {
    return json_error(403,
                      "send the session's CSRF token (from POST /api/session) as the "
                      "X-CSRF-Token header");
  }
  return route->run(ApiCall{app, request, *session, params});
}

}  // namespace twinscan::server
