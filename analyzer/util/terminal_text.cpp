#include "analyzer/util/terminal_text.h"

#include "analyzer/util/utf8.h"

#include <cstdint>

namespace twinscan::util {
namespace {

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
    const std::size_t len = decode_utf8(text, i, cp);
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
    const std::size_t len = decode_utf8(text, i, cp);
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
