#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace twinscan::util {

/// The columns a terminal gives code point `cp`: 2 for East Asian wide and fullwidth
/// characters (Han, kana, Hangul syllables, fullwidth forms) and emoji, 0 for combining
/// marks, joiners and variation selectors, 1 for the rest. The ranges are those of
/// Unicode's East Asian Width property (W and F) that terminals draw wide; the query
/// table's own width (report/table_writer) asks ICU, which the core does not link.
int terminal_columns(std::uint32_t cp);

/// The columns of UTF-8 `text` (an invalid byte counts as one).
std::size_t terminal_width(std::string_view text);

}  // namespace twinscan::util
