#include "analyzer/server/page_layout.h"

#include "analyzer/server/html.h"

namespace twinscan::server {

HttpResponse html_page(int status, std::string_view title, const desk::Session* session,
                       const std::string& body_html) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      escape_html(title) +
      " · Twinscan desk</title>\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" "
      "href=\"/assets/desk.css\">\n"
      "<script src=\"/assets/desk.js\" defer></script>\n</head>\n<body>\n<header>\n"
      "<span class=\"brand\">Twinscan desk</span>\n";
  if (session != nullptr) {
    // A viewer may read screenings but not run one: no link to a form it cannot send.
    const bool screens = desk::role_allows(session->user.role, desk::Role::kReviewer);
    page += std::string("<nav><a href=\"/findings\">Findings</a> ") +
            (screens ? "<a href=\"/screen\">Screen a request</a> " : "") +
            "<a href=\"/screenings\">Screenings</a> <a href=\"/audit\">Audit trail</a> <a "
            "href=\"/follow-up\">Follow-up</a></nav>\n"
            "<form class=\"signout\" method=\"post\" action=\"/sign-out\">" +
            csrf_field(*session) + "<span class=\"who\">Signed in as <bdi dir=\"auto\">" +
            escape_html(session->user.name) + "</bdi> (" +
            escape_html(desk::role_name(session->user.role)) +
            ")</span> <button type=\"submit\">Sign out</button></form>\n";
  }
  page += "</header>\n<main>\n<h1 dir=\"auto\">" + escape_html(title) + "</h1>\n" + body_html +
          "</main>\n</body>\n</html>\n";
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(page);
  r.set_header("Cache-Control", "no-store");
  return r;
}

std::string csrf_field(const desk::Session& session) {
  return "<input type=\"hidden\" name=\"csrf_token\" value=\"" + escape_html(session.csrf_token) +
         "\">";
}

std::string verdict_word(std::string_view verdict) {
  if (verdict == "escalate") return "Escalate";
  if (verdict == "review") return "Review";
  if (verdict == "clear") return "Clear";
  return capitalised(verdict);
}

std::string verdict_meaning(std::string_view verdict) {
  if (verdict == "escalate") {
    return "At least one finding is high or critical: send the request to the security "
           "review before it goes further.";
  }
  if (verdict == "review") return "There are findings to read before the request goes further.";
  if (verdict == "clear") return "Nothing in the registry speaks against this request.";
  return "";
}

std::string capitalised(std::string_view word) {
  std::string out(word);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

std::string status_word(std::string_view status) {
  if (status == "in-progress") return "In progress";
  return capitalised(status);
}

std::string when_text(const std::string& at) {
  if (at.size() == 20 && at[10] == 'T' && at.back() == 'Z') {
    return at.substr(0, 10) + " " + at.substr(11, 8) + " UTC";
  }
  return at;
}

std::string retry_in_words(std::int64_t seconds) {
  if (seconds < 60)
    return "in " + std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
  const std::int64_t minutes = (seconds + 59) / 60;  // never sooner than true
  return "in " + std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

HttpResponse error_page(int status, const desk::Session* session, std::string_view message) {
  const char* title = status == 403   ? "Not allowed"
                      : status == 404 ? "Not found"
                                      : "Cannot do this";
  return html_page(status, title, session, "<p class=\"error\">" + escape_html(message) + "</p>\n");
}

}  // namespace twinscan::server
