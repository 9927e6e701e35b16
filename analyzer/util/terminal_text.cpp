#include "analyzer/util/terminal_text.h"

#include <cstdint>

namespace twinscan::util {
namespace {

// Decodes the UTF-8 sequence at text[i]; returns its length, or 0 when it is not valid.
std::size_t decode(std::string_view text, std::size_t i, std::uint32_t& cp) {
  const auto c = static_cast<unsigned char>(text[i]);
  std::size_t len;
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1FU;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0FU;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07U;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3FU);
  }
  const bool overlong =
      (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool is_unsafe(std::uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

void append_hex(std::string& out, const char* prefix, std::uint32_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char digits[8];
  int n = 0;
  do {
    digits[n++] = kDigits[value & 15U];
    value >>= 4;
  } while (value != 0);
  if (n == 1) digits[n++] = '0';
  out += prefix;
  while (n > 0) out += digits[--n];
  out += '}';
}

}  // namespace

bool needs_terminal_escape(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = decode(text, i, cp);
    if (len == 0 || is_unsafe(cp)) return true;
    i += len;
  }
  return false;
}

std::string escape_for_terminal(std::string_view text) {
  if (!needs_terminal_escape(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t len = decode(text, i, cp);
    if (len == 0) {
      append_hex(out, "\\x{", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (is_unsafe(cp)) {
      append_hex(out, "\\u{", cp);
    } else {
      out.append(text, i, len);
    }
    i += len;
  }
  return out;
}

}  // namespace twinscan::util
