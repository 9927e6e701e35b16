// The page routes: sign-in (no session needed), sign-out, and the dispatch of every other
// page behind the session, the form's CSRF token and the role.
#include "analyzer/server/pages.h"

#include "analyzer/desk/crypto.h"
#include "analyzer/server/html.h"
#include "analyzer/server/page_layout.h"
#include "analyzer/server/router.h"
#include "analyzer/server/routes.h"
#include "analyzer/server/session_guard.h"
#include "analyzer/util/percent_encoding.h"

namespace twinscan::server {
namespace {

struct PageRoute {
  const char* method;
  const char* pattern;
  desk::Role need;
  HttpResponse (*run)(const pages::PageCall&);
};

constexpr PageRoute kPages[] = {
    {"GET", "/findings", desk::Role::kViewer, pages::findings},
    {"GET", "/findings/{}", desk::Role::kViewer, pages::finding},
    {"POST", "/findings/{}/decision", desk::Role::kReviewer, pages::decide},
    {"POST", "/findings/{}/notes", desk::Role::kReviewer, pages::add_note},
    {"POST", "/findings/{}/assignment", desk::Role::kReviewer, pages::assign},
    {"GET", "/screen", desk::Role::kViewer, pages::screen_form},
    {"POST", "/screen", desk::Role::kReviewer, pages::screen},
    {"GET", "/screenings", desk::Role::kViewer, pages::screenings},
    {"GET", "/screenings/{}", desk::Role::kViewer, pages::screening},
    {"GET", "/audit", desk::Role::kViewer, pages::audit},
    {"GET", "/entities/{}", desk::Role::kViewer, pages::entity},
    {"GET", "/follow-up", desk::Role::kViewer, pages::followup},
};

// The sign-in form carries a token that a cookie of the desk's own (SameSite=Strict) holds
// too: a form another site posts has no such cookie, so it cannot sign the browser in
// under the attacker's name (login CSRF). An Origin check would not do: with the desk's
// no-referrer policy, a browser sends "Origin: null" from the desk's own page as well.
constexpr std::string_view kSignInCookie = "twinscan_sign_in";
constexpr std::int64_t kSignInFormSeconds = 3600;

// Where a sign-in goes on to: the desk page the browser asked for before it was signed
// in (a link to a finding sent by mail), when `next` is one. Anything else, another site
// ("//evil.example", "https://…") above all, goes to the findings.
std::string page_after_sign_in(const std::string& next) {
  const bool desk_path = next.size() > 1 && next.size() <= 2048 && next[0] == '/' &&
                         next[1] != '/' && next[1] != '\\' &&
                         next.find_first_of("\\\r\n\t ") == std::string::npos &&
                         next.rfind("/sign-in", 0) != 0 && next.rfind("/sign-out", 0) != 0;
  return desk_path ? next : "/findings";
}

// The page asked for (path and query, as sent), for the sign-in to come back to.
std::string requested_page(const HttpRequest& request) {
  std::string page = request.raw_path;
  std::string query;
  for (const auto& [name, value] : request.params) {
    query += (query.empty() ? "?" : "&") + util::percent_encode(name) + "=" +
             util::percent_encode(value);
  }
  return page + query;
}

HttpResponse sign_in_page(const DeskApp& app, int status, const std::string& message,
                          const std::string& name, const std::string& next = "") {
  const std::string token = desk::random_token(16);
  std::string body;
  if (!message.empty())
    body += "<p class=\"error\" role=\"alert\">" + escape_html(message) + "</p>\n";
  body +=
      "<form class=\"sign-in\" method=\"post\" action=\"/sign-in\">\n"
      "<input type=\"hidden\" name=\"sign_in_token\" value=\"" +
      token + "\">\n";
  if (page_after_sign_in(next) != "/findings")
    body += "<input type=\"hidden\" name=\"next\" value=\"" + escape_html(next) + "\">\n";
  body +=
      "<label>User name <input name=\"user\" id=\"user\" autocomplete=\"username\" required "
      "value=\"" +
      escape_html(name) +
      "\"></label>\n<label>Password <input name=\"password\" id=\"password\" "
      "type=\"password\" autocomplete=\"current-password\" required></label>\n"
      "<button type=\"submit\" id=\"sign-in\">Sign in</button>\n</form>\n";
  HttpResponse r = html_page(status, "Sign in", nullptr, body);
  r.set_header("Set-Cookie", std::string(kSignInCookie) + "=" + token +
                                 "; HttpOnly; SameSite=Strict; Path=/sign-in; Max-Age=" +
                                 std::to_string(kSignInFormSeconds) +
                                 (app.config().secure_cookie ? "; Secure" : ""));
  return r;
}

bool sign_in_form_is_ours(const HttpRequest& request) {
  const std::string cookie = cookie_value(request, kSignInCookie);
  return !cookie.empty() && cookie == request.form("sign_in_token");
}

HttpResponse sign_in(DeskApp& app, const HttpRequest& request) {
  const std::string name = request.form("user");
  const std::string password = request.form("password");
  const std::string next = request.form("next");
  if (!sign_in_form_is_ours(request)) {
    return sign_in_page(app, 403,
                        "This sign-in form did not come from the desk's own page, or it is "
                        "more than an hour old. Sign in again below.",
                        "", next);
  }
  if (name.empty() || password.empty()) {
    return sign_in_page(app, 400, "Enter your user name and password.", name, next);
  }
  desk::DeskStore& store = app.store();
  std::int64_t retry_after = 0;
  const auto user = store.sign_in(name, password, request.remote_address, &retry_after);
  if (!user) {
    if (retry_after > 0) {
      HttpResponse r = sign_in_page(
          app, 429,
          "Too many failed sign-ins for this user. For your safety the desk refuses further "
          "attempts for a while: try again " +
              retry_in_words(retry_after) + ".",
          name, next);
      r.set_header("Retry-After", std::to_string(retry_after));
      return r;
    }
    return sign_in_page(app, 401, "Wrong user name or password.", name, next);
  }
  const auto session = store.create_session(*user, app.config().session_ttl_seconds);
  if (!session) return sign_in_page(app, 401, "Wrong user name or password.", name, next);
  HttpResponse r = redirect(page_after_sign_in(next));
  r.set_header("Set-Cookie", session_cookie(*session, app.config().session_ttl_seconds,
                                            app.config().secure_cookie));
  return r;
}

}  // namespace

HttpResponse handle_page(DeskApp& app, const HttpRequest& request,
                         const std::vector<std::string>& segments) {
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  if (segments.size() == 1 && segments[0] == "sign-in") {
    if (method == "POST") return sign_in(app, request);
    if (method == "GET") return sign_in_page(app, 200, "", "", request.param("next"));
    return error_page(405, nullptr, "The sign-in page is read with GET and sent with POST.");
  }
  const auto session = current_session(app.store(), request);
  if (!session) {
    // A page asked for before signing in (a finding's link) is where the sign-in leads.
    if (method != "GET") return redirect("/sign-in");
    return redirect("/sign-in?next=" + util::percent_encode(requested_page(request)));
  }
  if (changes_state(method) && !csrf_matches(*session, request.form("csrf_token"))) {
    return error_page(403, &*session,
                      "This form is out of date or did not come from the desk: reload the "
                      "page and send it again.");
  }
  if (segments.empty()) return redirect("/findings");
  if (segments.size() == 1 && segments[0] == "sign-out" && method == "POST") {
    app.store().end_session(session->token, session->user.name);
    HttpResponse r = redirect("/sign-in");
    r.set_header("Set-Cookie", cleared_session_cookie(app.config().secure_cookie));
    return r;
  }
  bool path_known = false;
  for (const auto& p : kPages) {
    std::vector<std::string> params;
    if (!match_pattern(p.pattern, segments, params)) continue;
    path_known = true;
    if (p.method != method) continue;
    if (!desk::role_allows(session->user.role, p.need)) {
      return error_page(403, &*session,
                        "Your role (" + std::string(desk::role_name(session->user.role)) +
                            ") may read but not do this; ask an admin for the reviewer role.");
    }
    return p.run(pages::PageCall{app, request, *session, params});
  }
  if (path_known) return error_page(405, &*session, "This page does not answer that method.");
  return error_page(404, &*session, "There is no such page.");
}

}  // namespace twinscan::server
