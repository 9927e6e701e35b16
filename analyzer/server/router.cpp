#include "analyzer/server/router.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace twinscan::server {

bool split_path(std::string_view path, std::vector<std::string>& segments) {
  segments.clear();
  if (path.empty() || path.front() != '/') return false;
  for (const char c : path) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  std::string_view rest = path.substr(1);
  if (rest.empty()) return true;
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "." || segment == "..") return false;
    // A trailing slash is allowed ("/findings/"); an empty segment inside is not.
    if (segment.empty() && slash != std::string_view::npos) return false;
    if (!segment.empty()) segments.emplace_back(segment);
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return true;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_refused_char(char c) {
  return c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
}

}  // namespace

bool split_encoded_path(std::string_view raw, std::vector<std::string>& segments) {
  std::vector<std::string> encoded;
  if (!split_path(raw, encoded)) return false;
  segments.clear();
  for (const auto& segment : encoded) {
    std::string decoded;
    for (std::size_t i = 0; i < segment.size(); ++i) {
      if (segment[i] != '%') {
        decoded += segment[i];
        continue;
      }
      if (i + 2 >= segment.size()) return false;
      const int high = hex_value(segment[i + 1]);
      const int low = hex_value(segment[i + 2]);
      if (high < 0 || low < 0) return false;
      decoded += static_cast<char>(high * 16 + low);
      i += 2;
    }
    if (decoded.empty() || decoded == "." || decoded == ".." ||
        std::any_of(decoded.begin(), decoded.end(), is_refused_char)) {
      return false;
    }
    segments.push_back(std::move(decoded));
  }
  return true;
}

bool match_pattern(std::string_view pattern, const std::vector<std::string>& segments,
                   std::vector<std::string>& params) {
  std::vector<std::string> wanted;
  if (!split_path(pattern, wanted) || wanted.size() != segments.size()) return false;
  std::vector<std::string> found;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (wanted[i] == "{}") {
      found.push_back(segments[i]);
    } else if (wanted[i] != segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

bool is_fingerprint(std::string_view text) {
  if (text.size() != 16) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool parse_id(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.size() > 18) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  std::from_chars(text.data(), text.data() + text.size(), out);
  return out > 0;
}

}  // namespace twinscan::server
