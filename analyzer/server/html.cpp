#include "analyzer/server/html.h"

#include <cstdint>

namespace twinscan::server {
namespace {

/// The length of the valid UTF-8 sequence starting at `s[i]`, or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  std::uint32_t cp = 0;
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
  const bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default: {
        const std::size_t n = utf8_sequence(text, i);
        if (n == 0) {
          out += "\xEF\xBF\xBD";
          ++i;
          continue;
        }
        const auto b = static_cast<unsigned char>(c);
        if (n == 1 && (b < 0x20 || b == 0x7F) && c != '\t' && c != '\n') {
          ++i;
          continue;
        }
        out.append(text.substr(i, n));
        i += n;
        continue;
      }
    }
    ++i;
  }
  return out;
}

std::string encode_uri_component(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4U];
      out += kHex[b & 0x0FU];
    }
  }
  return out;
}

}  // namespace twinscan::server
