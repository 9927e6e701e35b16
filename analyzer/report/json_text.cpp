#include "analyzer/report/json_text.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace twinscan::report {
namespace {

// What follows the backslash for each byte that needs escaping, 0 for the others: the
// table of RapidJSON's Writer::WriteString.
constexpr std::array<char, 256> make_escapes() {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = 'u';
  table['\b'] = 'b';
  table['\t'] = 't';
  table['\n'] = 'n';
  table['\f'] = 'f';
  table['\r'] = 'r';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}
constexpr std::array<char, 256> kEscapes = make_escapes();

constexpr std::uint64_t kOnes = ~std::uint64_t{0} / 255;  // 0x0101...01

// Whether any of the 8 bytes of `word` needs escaping: is below 0x20, or is `"` or `\`.
// (x - n·ones) & ~x & 0x80·ones is non-zero exactly when some byte of x is below n ≤ 0x80.
constexpr bool needs_escape(std::uint64_t word) {
  const auto below = [](std::uint64_t x, std::uint64_t n) {
    return (x - kOnes * n) & ~x & (kOnes * 0x80);
  };
  return (below(word, 0x20) | below(word ^ (kOnes * '"'), 1) | below(word ^ (kOnes * '\\'), 1)) !=
         0;
}

// How many bytes at the start of `text` need no escaping, found eight at a time: most
// texts of a report (ids, names, messages) have nothing to escape at all.
std::size_t plain_prefix(std::string_view text) {
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    if (needs_escape(word)) break;
  }
  while (i < text.size() && kEscapes[static_cast<std::uint8_t>(text[i])] == 0) ++i;
  return i;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  const std::size_t plain = plain_prefix(text);
  out.push_back('"');
  out.append(text.data(), plain);
  if (plain == text.size()) [[likely]] {
    out.push_back('"');
    return;
  }
  std::size_t run = plain;  // start of the bytes not yet copied
  for (std::size_t i = plain; i < text.size(); ++i) {
    const char escape = kEscapes[static_cast<std::uint8_t>(text[i])];
    if (escape == 0) [[likely]]
      continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    out.push_back('\\');
    out.push_back(escape);
    if (escape == 'u') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      const auto byte = static_cast<std::uint8_t>(text[i]);
      out.append("00");
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

}  // namespace twinscan::report
