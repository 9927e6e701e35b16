#pragma once

#include <optional>
#include <string_view>

namespace twinscan::rules {

/// How bad a finding is if true.
enum class Severity : int { kInfo = 0, kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };

/// How likely a finding of the rule is to be true.
enum class Precision : int { kLow = 0, kMedium = 1, kHigh = 2 };

std::string_view to_string(Severity s);
std::string_view to_string(Precision p);
std::optional<Severity> parse_severity(std::string_view text);
std::optional<Precision> parse_precision(std::string_view text);

/// The categories of the contract, in report order.
inline constexpr std::string_view kCategories[] = {"sensitive-infrastructure",
                                                   "state-control",
                                                   "secrecy",
                                                   "notification",
                                                   "linkage",
                                                   "intermediary",
                                                   "data-quality"};

}  // namespace twinscan::rules
