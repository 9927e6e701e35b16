#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analyzer/desk/desk_store.h"
#include "analyzer/server/http_types.h"

/// Who is asking: the session cookie, the CSRF token and the role checks every route of
/// the desk goes through.
namespace twinscan::server {

inline constexpr std::string_view kSessionCookie = "twinscan_session";

/// The value of cookie `name` in the request's Cookie header, or "".
std::string cookie_value(const HttpRequest& request, std::string_view name);

/// The session the request's cookie names, if it is one the store knows and not expired.
std::optional<desk::Session> current_session(desk::DeskStore& store, const HttpRequest& request);

/// The Set-Cookie value that starts `session` (HttpOnly, SameSite=Strict, Path=/, its
/// lifetime; Secure when `secure`).
std::string session_cookie(const desk::Session& session, std::int64_t ttl_seconds, bool secure);

/// The Set-Cookie value that ends the session cookie in the browser.
std::string cleared_session_cookie(bool secure);

/// True when `presented` is the session's CSRF token (compared in constant time).
bool csrf_matches(const desk::Session& session, std::string_view presented);

/// True when `method` changes state (anything but GET, HEAD and OPTIONS).
bool changes_state(std::string_view method);

}  // namespace twinscan::server
