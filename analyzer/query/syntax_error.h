#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "analyzer/query/ast.h"

namespace twinscan::query {

/// An error in the text of a query. The message holds no position: callers turn
/// `span` into `FILE:LINE:COL` and show render_caret() under it.
struct SyntaxError : std::runtime_error {
  SyntaxError(const std::string& message, SourceSpan where)
      : std::runtime_error(message), span(where) {}

  SourceSpan span;
};

/// Two lines, each ending in '\n': the line of `text` holding `span.begin`, and
/// under it a `^` at the span's first character followed by `~` for each further
/// character of the span on that line (`^~~~`). Columns count Unicode code points;
/// a tab before the span is kept as a tab so the caret lines up in a terminal.
std::string render_caret(std::string_view text, SourceSpan span);

/// 1-based line and column of byte `offset` in `text`; the column counts code
/// points. An offset past the end is treated as the end.
std::pair<std::uint32_t, std::uint32_t> line_and_column(std::string_view text,
                                                        std::uint32_t offset);

}  // namespace twinscan::query
