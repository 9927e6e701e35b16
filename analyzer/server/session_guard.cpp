#include "analyzer/server/session_guard.h"

#include <cctype>

namespace twinscan::server {
namespace {

bool is_token(std::string_view s) {
  if (s.size() != 64) return false;
  for (const char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string cookie_value(const HttpRequest& request, std::string_view name) {
  for (const auto& [key, header] : request.headers) {
    if (key.size() != 6 || (key[0] != 'C' && key[0] != 'c')) continue;
    std::string lower;
    for (const char c : key)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "cookie") continue;
    std::string_view rest = header;
    while (!rest.empty()) {
      const std::size_t end = rest.find(';');
      const std::string_view pair = trim(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      const std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        return std::string(pair.substr(eq + 1));
      }
    }
  }
  return {};
}

std::optional<desk::Session> current_session(desk::DeskStore& store, const HttpRequest& request) {
  const std::string token = cookie_value(request, kSessionCookie);
  if (!is_token(token)) return std::nullopt;
  return store.find_session(token);
}

std::string session_cookie(const desk::Session& session, std::int64_t ttl_seconds, bool secure) {
  return std::string(kSessionCookie) + "=" + session.token +
         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(ttl_seconds) +
         (secure ? "; Secure" : "");
}

std::string cleared_session_cookie(bool secure) {
  return std::string(kSessionCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0" +
         (secure ? "; Secure" : "");
}

bool csrf_matches(const desk::Session& session, std::string_view presented) {
  const std::string& expected = session.csrf_token;
  if (expected.empty() || presented.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    difference =
        static_cast<unsigned char>(difference | (static_cast<unsigned char>(expected[i]) ^
                                                 static_cast<unsigned char>(presented[i])));
  }
  return difference == 0;
}

bool changes_state(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace twinscan::server
