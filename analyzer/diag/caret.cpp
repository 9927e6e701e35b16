#include "analyzer/diag/caret.h"

#include <algorithm>

#include "analyzer/util/terminal_columns.h"
#include "analyzer/util/utf8.h"

namespace twinscan::diag {
namespace {

/// True for the second and later bytes of a UTF-8 sequence.
bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::size_t line_begin(std::string_view text, std::size_t offset) {
  const std::size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  return newline == std::string_view::npos ? 0 : newline + 1;
}

/// End of the line starting at `begin`, without its '\n' or "\r\n".
std::size_t line_end(std::string_view text, std::size_t begin) {
  std::size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  if (end > begin && text[end - 1] == '\r') --end;
  return end;
}

std::size_t count_code_points(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation(c); }));
}

}  // namespace

std::string render_caret(std::string_view text, std::size_t span_begin, std::size_t span_end) {
  const std::size_t begin = std::min<std::size_t>(span_begin, text.size());
  const std::size_t first = line_begin(text, begin);
  const std::size_t last = line_end(text, first);
  const std::size_t caret_at = std::min(begin, last);
  const std::size_t caret_end = std::clamp<std::size_t>(span_end, caret_at, last);

  std::string out(text.substr(first, last - first));
  out += '\n';
  // In terminal columns: a Han character or an emoji takes two, a combining mark none.
  for (std::size_t i = first; i < caret_at;) {
    if (text[i] == '\t') {
      out += '\t';
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = util::decode_utf8(text, i, cp);
    out.append(len == 0 ? 1 : static_cast<std::size_t>(util::terminal_columns(cp)), ' ');
    i += len == 0 ? 1 : len;
  }
  out += '^';
  const std::size_t width = util::terminal_width(text.substr(caret_at, caret_end - caret_at));
  if (width > 1) out.append(width - 1, '~');
  out += '\n';
  return out;
}

std::pair<std::uint32_t, std::uint32_t> line_and_column(std::string_view text,
                                                        std::uint32_t offset) {
  const std::size_t end = std::min<std::size_t>(offset, text.size());
  const std::string_view before = text.substr(0, end);
  const auto line = static_cast<std::uint32_t>(std::count(before.begin(), before.end(), '\n') + 1);
  const std::size_t first = line_begin(text, end);
  const auto column =
      static_cast<std::uint32_t>(count_code_points(text.substr(first, end - first)) + 1);
  return {line, column};
}

}  // namespace twinscan::diag
