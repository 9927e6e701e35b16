#pragma once

#include <string>
#include <string_view>

namespace twinscan::report {

/// Text from the registry or a rule made safe to print on one line of a text report:
/// C0 controls (tab and newline included) and DEL become `\xNN`, C1 controls and the
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
/// become `\uNNNN`, and bytes that are not UTF-8 become `\xNN`. Everything else,
/// including other scripts, is kept. Linear in the length of the text.
std::string escape_for_terminal(std::string_view text);

}  // namespace twinscan::report
