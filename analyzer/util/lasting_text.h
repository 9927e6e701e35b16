#pragma once

#include <string>
#include <string_view>

namespace twinscan::util {

/// A view of `text` that stays valid until the process ends: texts are kept once each,
/// in a table shared by all threads. For the few texts made at run time that many
/// objects point at (a rule's "Cannot judge: …" title), not for texts without number.
std::string_view lasting_text(std::string text);

}  // namespace twinscan::util
