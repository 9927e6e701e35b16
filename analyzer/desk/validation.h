#pragma once

#include <string>
#include <string_view>

#include "analyzer/desk/desk_store.h"

/// What the desk accepts from its callers, checked before anything is written.
namespace twinscan::desk {

/// Empty when `name` may name a user (1 to 64 bytes of ASCII letters, digits and `._@-`),
/// else a sentence saying what is wrong.
std::string check_user_name(std::string_view name);

/// Empty when `password` is long enough, else a sentence saying what is wrong.
std::string check_password(std::string_view password);

/// True for a full ISO 8601 calendar date, YYYY-MM-DD, that exists.
bool is_full_iso_date(std::string_view text);

/// Empty when `d` may be recorded (fingerprint, decision, justification and expiry as
/// Decision's comment says), else a sentence saying what is wrong and what to do. Does not
/// look at `by` beyond its being non-empty, nor at `at`.
std::string check_decision(const Decision& d);

/// Empty when `text` may be a note: not blank, at most kMaxNoteBytes bytes, valid UTF-8
/// without control characters other than tab and line ends; else a sentence saying what is
/// wrong.
std::string check_note(std::string_view text);

}  // namespace twinscan::desk
