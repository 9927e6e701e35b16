#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// Matching a request path against the desk's route patterns.
namespace twinscan::server {

/// The path's segments ("/api/findings/x" → api, findings, x); false when the path is not
/// absolute or holds an empty, "." or ".." segment, a backslash or a control character
/// (such paths are refused before any route is looked at).
bool split_path(std::string_view path, std::vector<std::string>& segments);

/// The segments of a path as sent (`raw`, percent-encoded), each percent-decoded after
/// splitting, so that "/api/entities/a%2Fb" gives api, entities, "a/b". False when the
/// path is not absolute, holds an empty, "." or ".." segment (as sent or once decoded), a
/// backslash or a control character (as sent or once decoded), or a malformed escape
/// ('%' not followed by two hexadecimal digits).
bool split_encoded_path(std::string_view raw, std::vector<std::string>& segments);

/// True when `segments` fit `pattern` ("/api/findings/{}/decision": "{}" takes any one
/// segment, appended to `params`).
bool match_pattern(std::string_view pattern, const std::vector<std::string>& segments,
                   std::vector<std::string>& params);

/// True for a finding's fingerprint: 16 lowercase hexadecimal digits.
bool is_fingerprint(std::string_view text);

/// True for a positive decimal id that fits 63 bits.
bool parse_id(std::string_view text, std::int64_t& out);

}  // namespace twinscan::server
