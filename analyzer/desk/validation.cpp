#include "analyzer/desk/validation.h"

#include "analyzer/model/date.h"

namespace twinscan::desk {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '@' || c == '-';
}

}  // namespace

std::string check_user_name(std::string_view name) {
  if (name.empty()) return "a user name cannot be empty";
  if (name.size() > 64) return "a user name has at most 64 characters";
  for (const char c : name) {
    if (!is_name_char(c)) {
      return "a user name holds only letters a-z and A-Z, digits and . _ @ -";
    }
  }
  return {};
}

std::string check_password(std::string_view password) {
  if (password.empty()) return "the password is empty";
  if (password.size() > kMaxPasswordBytes) {
    return "the password is longer than " + std::to_string(kMaxPasswordBytes) + " bytes";
  }
  if (password.size() < kMinPasswordLength) {
    return "the password is shorter than " + std::to_string(kMinPasswordLength) +
           " characters; choose a longer one";
  }
  return {};
}

bool is_full_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return false;
  }
  const auto date = model::parse_date(text);
  return date && date->to_string() == text;
}

namespace {
bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}
std::string plain_text_problem(std::string_view text, std::string_view what);
}  // namespace

std::string check_decision(const Decision& d) {
  if (d.fingerprint.empty()) return "a decision needs the finding's fingerprint";
  if (d.by.empty()) return "a decision needs the name of who decides";
  if (!d.justification.empty()) {
    if (const auto wrong = plain_text_problem(d.justification, "a justification"); !wrong.empty())
      return wrong;
  }
  if (d.decision == "suppressed") {
    if (is_blank(d.justification)) {
      return "a suppression needs a justification: say why the finding may be set aside";
    }
    if (d.expires.empty()) {
      return "a suppression needs an expiry date (YYYY-MM-DD), after which the finding is "
             "reported again";
    }
    if (!is_full_iso_date(d.expires)) {
      return "the expiry must be a date written YYYY-MM-DD, not '" + d.expires + "'";
    }
    return {};
  }
  if (d.decision == "dismissed") {
    if (is_blank(d.justification)) {
      return "a dismissal needs a reason (in the justification): say why the finding is wrong";
    }
  } else if (d.decision != "confirmed") {
    return "a decision is confirmed, dismissed or suppressed, not '" + d.decision + "'";
  }
  if (!d.expires.empty()) return "only a suppression has an expiry date; leave it out";
  return {};
}

namespace {

/// The length of the UTF-8 sequence starting at `s[i]`, or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  char32_t cp = 0;
  if (b < 0x80) return 1;
  if ((b & 0xE0U) == 0xC0U) {
    n = 2;
    cp = b & 0x1FU;
  } else if ((b & 0xF0U) == 0xE0U) {
    n = 3;
    cp = b & 0x0FU;
  } else if ((b & 0xF8U) == 0xF0U) {
    n = 4;
    cp = b & 0x07U;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0U) != 0x80U) return 0;
    cp = (cp << 6U) | (c & 0x3FU);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    return 0;
  }
  return n;
}

}  // namespace

namespace {

// Empty when `text` is at most kMaxNoteBytes of UTF-8 without control characters other
// than tab and line ends; else a sentence about `what` ("a note").
std::string plain_text_problem(std::string_view text, std::string_view what) {
  if (text.size() > kMaxNoteBytes) {
    return std::string(what) + " has at most " + std::to_string(kMaxNoteBytes) +
           " bytes; shorten it";
  }
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence(text, i);
    if (n == 0) return std::string(what) + " must be UTF-8 text";
    const auto b = static_cast<unsigned char>(text[i]);
    if (n == 1 && (b < 0x20 || b == 0x7F) && b != '\t' && b != '\n' && b != '\r') {
      return std::string(what) + " is plain text: it may not hold control characters";
    }
    i += n;
  }
  return {};
}

}  // namespace

std::string check_note(std::string_view text) {
  if (is_blank(text)) return "a note cannot be empty: write what you found or did";
  if (text.size() > kMaxNoteBytes) {
    return "a note has at most " + std::to_string(kMaxNoteBytes) +
           " bytes; shorten it or split it into several notes";
  }
  return plain_text_problem(text, "a note");
}

}  // namespace twinscan::desk
