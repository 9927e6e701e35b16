#include "analyzer/report/text_escape.h"

#include <cstdint>

namespace twinscan::report {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void append_byte(std::string& out, unsigned char b) {
  out += "\\x";
  out += kHex[b >> 4];
  out += kHex[b & 0xF];
}

void append_code_point(std::string& out, std::uint32_t c) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(c >> shift) & 0xF];
}

bool continuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

}  // namespace

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x20 || b == 0x7F) {
      append_byte(out, b);
      ++i;
      continue;
    }
    if (b < 0x80) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence; anything malformed is escaped byte by byte.
    std::size_t length = 0;
    std::uint32_t c = 0;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
      c = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      c = b & 0x0Fu;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      c = b & 0x07u;
    }
    bool ok = length != 0 && i + length <= n;
    for (std::size_t k = 1; ok && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (!continuation(next)) ok = false;
      c = (c << 6) | (next & 0x3Fu);
    }
    if (ok && ((length == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
               (length == 4 && (c < 0x10000 || c > 0x10FFFF)))) {
      ok = false;
    }
    if (!ok) {
      append_byte(out, b);
      ++i;
      continue;
    }
    const bool c1 = c >= 0x80 && c <= 0x9F;
    const bool bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    if (c1 || bidi) {
      append_code_point(out, c);
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace twinscan::report
