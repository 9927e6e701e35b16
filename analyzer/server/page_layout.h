#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "analyzer/desk/desk_store.h"
#include "analyzer/server/http_types.h"

/// The frame every page of the desk shares, and the words pages use for the engine's codes.
namespace twinscan::server {

/// A whole HTML page: `title` (escaped here), the navigation for `session` (none on the
/// sign-in page) and `body_html`, which must already be escaped.
HttpResponse html_page(int status, std::string_view title, const desk::Session* session,
                       const std::string& body_html);

/// A hidden form field carrying the session's CSRF token.
std::string csrf_field(const desk::Session& session);

/// "Escalate", "Review", "Clear" and a sentence saying what it means.
std::string verdict_word(std::string_view verdict);
std::string verdict_meaning(std::string_view verdict);

/// "High", "Medium", ... for a severity code.
std::string capitalised(std::string_view word);

/// "Open", "In progress", "Confirmed", "Dismissed", "Suppressed" for a status code.
std::string status_word(std::string_view status);

/// A stored time ("2026-11-30T15:17:59Z") as the pages show it: "2026-11-30 15:17:59 UTC";
/// any other text as it is.
std::string when_text(const std::string& at);

/// When to try again after `seconds`, in words: "in 14 minutes", "in 40 seconds".
std::string retry_in_words(std::int64_t seconds);

/// A small error page (text escaped here).
HttpResponse error_page(int status, const desk::Session* session, std::string_view message);

}  // namespace twinscan::server
