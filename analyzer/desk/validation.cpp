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

std::string check_decision(const Decision& d) {
  if (d.fingerprint.empty()) return "a decision needs the finding's fingerprint";
  if (d.by.empty()) return "a decision needs the name of who decides";
  if (d.decision == "suppressed") {
    if (d.justification.empty()) {
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
    if (d.justification.empty()) {
      return "a dismissal needs a reason (in the justification): say why the finding is wrong";
    }
  } else if (d.decision != "confirmed") {
    return "a decision is confirmed, dismissed or suppressed, not '" + d.decision + "'";
  }
  if (!d.expires.empty()) return "only a suppression has an expiry date; leave it out";
  return {};
}

}  // namespace twinscan::desk
