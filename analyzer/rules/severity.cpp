#include "analyzer/rules/severity.h"

namespace twinscan::rules {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "info";
}

std::string_view to_string(Precision p) {
  switch (p) {
    case Precision::kLow:
      return "low";
    case Precision::kMedium:
      return "medium";
    case Precision::kHigh:
      return "high";
  }
  return "low";
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (int i = 0; i <= 4; ++i) {
    if (to_string(static_cast<Severity>(i)) == text) return static_cast<Severity>(i);
  }
  return std::nullopt;
}

std::optional<Precision> parse_precision(std::string_view text) {
  for (int i = 0; i <= 2; ++i) {
    if (to_string(static_cast<Precision>(i)) == text) return static_cast<Precision>(i);
  }
  return std::nullopt;
}

}  // namespace twinscan::rules
