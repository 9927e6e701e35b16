#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace twinscan::model {

/// An ISO 8601 calendar date of year, month or day precision ("2019", "2019-04",
/// "2019-04-17"). Missing parts are zero; comparisons order by (year, month, day), so a
/// partial date sorts before every full date within its period.
struct Date {
  enum class Precision : std::uint8_t { kYear, kMonth, kDay };

  std::int16_t year = 0;
  std::uint8_t month = 0;  ///< 1..12, or 0 at year precision.
  std::uint8_t day = 0;    ///< 1..31, or 0 at year or month precision.

  [[nodiscard]] Precision precision() const {
    return day != 0 ? Precision::kDay : month != 0 ? Precision::kMonth : Precision::kYear;
  }
  /// Days since 1970-01-01 of the first day of the period the date names.
  [[nodiscard]] std::int64_t days_since_epoch() const;
  /// Days since 1970-01-01 of the last day of the period the date names (the same as
  /// days_since_epoch() for a date of day precision).
  [[nodiscard]] std::int64_t last_days_since_epoch() const;
  /// The date `days` after 1970-01-01, at day precision.
  static Date from_days_since_epoch(std::int64_t days);
  /// The ISO 8601 text at the date's own precision.
  [[nodiscard]] std::string to_string() const;

  friend auto operator<=>(const Date&, const Date&) = default;
  friend bool operator==(const Date&, const Date&) = default;
};

/// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (years 1..9999); a full timestamp
/// ("2019-04-17T10:00:00Z") is accepted and cut to its date. Returns nothing on bad text.
std::optional<Date> parse_date(std::string_view text);

/// Today's date in UTC.
Date today_utc();

/// Whether two dates can name the same day: one holds the other ("1973" and
/// "1973-11-30", "1973-11" and "1973-11-30"), or they are equal. Two sources giving such
/// dates tell the same fact, one less precisely.
inline bool dates_compatible(const Date& a, const Date& b) {
  return a.year == b.year && (a.month == 0 || b.month == 0 || a.month == b.month) &&
         (a.day == 0 || b.day == 0 || a.day == b.day);
}

}  // namespace twinscan::model
