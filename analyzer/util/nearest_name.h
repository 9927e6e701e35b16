#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twinscan::util {

/// Levenshtein distance between two strings, compared case-insensitively (ASCII).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `name`, if it is close enough to be a likely typo:
/// within a third of the name's length (at least 1, at most 3 edits).
std::optional<std::string> nearest_name(std::string_view name,
                                        const std::vector<std::string>& candidates);

/// "; did you mean 'X'?" for the nearest candidate, or "" when none is close.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace twinscan::util
