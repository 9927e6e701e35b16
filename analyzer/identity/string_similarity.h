#pragma once

#include <string_view>

namespace twinscan::identity {

/// Jaro–Winkler similarity of two byte strings in 0..1 (1 when equal): tolerant of a
/// typo, a swapped pair of letters and a different ending, and rewarding a shared
/// beginning, as names usually keep theirs.
double jaro_winkler(std::string_view a, std::string_view b);

}  // namespace twinscan::identity
