#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/date.h"

namespace twinscan::io::csv {

/// A declared input format of dates, such as "DD/MM/YYYY", "D.M.YYYY", "MM/YYYY" or
/// "YYYY": YYYY is a four-digit year, MM and DD two digits, M and D one or two digits;
/// any other character must appear as written. The date keeps the format's precision
/// (a format without a day gives a month, one without a month a year).
class DateFormat {
 public:
  /// Parses `pattern`; on failure returns nothing and sets `error`.
  static std::optional<DateFormat> parse(std::string_view pattern, std::string& error);
  /// The date `text` names in this format, or nothing when it does not fit.
  [[nodiscard]] std::optional<model::Date> read(std::string_view text) const;
  [[nodiscard]] const std::string& pattern() const { return pattern_; }

 private:
  enum class Part : std::uint8_t { kYear, kMonth2, kMonth, kDay2, kDay, kLiteral };
  struct Token {
    Part part;
    char literal;
  };
  std::string pattern_;
  std::vector<Token> tokens_;
};

/// How numbers are written: the decimal separator and the thousands separator (empty:
/// none). A thousands separator of " " also accepts the no-break spaces U+00A0 and U+202F.
struct NumberFormat {
  std::string decimal = ".";
  std::string thousands;
};

/// The number `text` writes ("1.234,5" with decimal "," and thousands "."), or nothing.
std::optional<double> read_number(std::string_view text, const NumberFormat& format);
/// A whole number, or nothing (also for "1,5" or out of range).
std::optional<std::int64_t> read_integer(std::string_view text, const NumberFormat& format);
/// A percentage ("51 %", "51,5%", or a bare "51") as a share in 0..1, or nothing (also
/// for percentages below 0 or above 100).
std::optional<double> read_percentage(std::string_view text, const NumberFormat& format);
/// The shortest decimal text that reads back as `value` (JSON number syntax).
std::string number_text(double value);

/// Spaces, tabs and no-break spaces trimmed from both ends.
std::string_view trim_spaces(std::string_view text);
/// trim_spaces(), at once for the usual field that has nothing to trim (no space, tab or
/// first or last byte of a no-break space at either end).
inline std::string_view trim(std::string_view text) {
  auto maybe_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\xC2' || c == '\xE2' || c == '\xA0' || c == '\xAF';
  };
  if (text.empty() || (!maybe_space(text.front()) && !maybe_space(text.back()))) return text;
  return trim_spaces(text);
}
/// ASCII case-insensitive equality.
bool equals_folded(std::string_view a, std::string_view b);

}  // namespace twinscan::io::csv
