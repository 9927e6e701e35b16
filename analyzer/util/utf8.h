#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace twinscan::util {

/// Whether `text` holds the three bytes of a surrogate code point (U+D800 to U+DFFF: ED
/// then A0 to BF), which valid UTF-8 never does: what JSON parsers make of a lone
/// escape such as \uDC00, which stands for half a character.
inline bool holds_surrogate(std::string_view text) {
  // Most texts are ASCII, and a surrogate starts with a byte past it: eight bytes at a
  // time, those texts are done with without a call to memchr (the loader asks this of
  // every string it reads, most of them short).
  std::size_t ascii = 0;
  for (; ascii + 8 <= text.size(); ascii += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + ascii, 8);
    if ((word & 0x8080808080808080ULL) != 0) break;
  }
  while (ascii < text.size() && static_cast<unsigned char>(text[ascii]) < 0x80) ++ascii;
  if (ascii == text.size()) return false;
  for (auto at = text.find('\xED', ascii); at != std::string_view::npos;
       at = text.find('\xED', at + 1)) {
    if (at + 1 < text.size() && static_cast<unsigned char>(text[at + 1]) >= 0xA0) return true;
  }
  return false;
}

/// Decodes the UTF-8 sequence at `text[i]` into `cp`; returns its length in bytes, or 0
/// when it is not valid UTF-8 (a stray continuation byte, a truncated sequence, an
/// overlong form, a surrogate, or a code point past U+10FFFF).
inline std::size_t decode_utf8(std::string_view text, std::size_t i, std::uint32_t& cp) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t len;
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

}  // namespace twinscan::util
