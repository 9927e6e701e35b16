#pragma once

#include <string>
#include <string_view>

namespace twinscan::util {

/// `text` made safe to print on a terminal: control characters (C0 including tab and
/// line breaks, DEL, C1) and the bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) are written as `\u{1b}`, and bytes that are not UTF-8 as `\x{ff}`, so
/// that a name read from input can neither start a new output line nor reorder or
/// recolour what follows it. Everything else is copied unchanged.
std::string escape_for_terminal(std::string_view text);

/// True when escape_for_terminal(text) would change `text`.
bool needs_terminal_escape(std::string_view text);

}  // namespace twinscan::util
