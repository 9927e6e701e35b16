#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace twinscan::diag {

/// Two lines, each ending in '\n': the line of `text` holding byte `begin`, and under
/// it a `^` at that character followed by `~` for each further character up to byte
/// `end` on that line (`^~~~`). Columns count Unicode code points; a tab before the
/// span is kept as a tab so the caret lines up in a terminal.
std::string render_caret(std::string_view text, std::size_t begin, std::size_t end);

/// 1-based line and column of byte `offset` in `text`; the column counts code
/// points. An offset past the end is treated as the end.
std::pair<std::uint32_t, std::uint32_t> line_and_column(std::string_view text,
                                                        std::uint32_t offset);

}  // namespace twinscan::diag
