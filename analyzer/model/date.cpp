#include "analyzer/model/date.h"

#include <chrono>
#include <cstdio>

namespace twinscan::model {
namespace {

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

// Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
std::int64_t Date::days_since_epoch() const {
  const int m = month == 0 ? 1 : month;
  const int d = day == 0 ? 1 : day;
  const int y = year - (m <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

std::int64_t Date::last_days_since_epoch() const {
  switch (precision()) {
    case Precision::kYear:
      return Date{year, 12, 31}.days_since_epoch();
    case Precision::kMonth:
      return Date{year, month, static_cast<std::uint8_t>(days_in_month(year, month))}
          .days_since_epoch();
    case Precision::kDay:
      break;
  }
  return days_since_epoch();
}

Date Date::from_days_since_epoch(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return Date{static_cast<std::int16_t>(y), static_cast<std::uint8_t>(m),
              static_cast<std::uint8_t>(d)};
}

std::string Date::to_string() const {
  if (year >= 0 && year <= 9999 && month <= 99 && day <= 99) {
    // The common case, without snprintf (the same text: zero-padded fields).
    char out[10];
    const auto y = static_cast<unsigned>(year);
    out[0] = static_cast<char>('0' + y / 1000);
    out[1] = static_cast<char>('0' + y / 100 % 10);
    out[2] = static_cast<char>('0' + y / 10 % 10);
    out[3] = static_cast<char>('0' + y % 10);
    std::size_t n = 4;
    if (month != 0 || day != 0) {
      out[4] = '-';
      out[5] = static_cast<char>('0' + month / 10);
      out[6] = static_cast<char>('0' + month % 10);
      n = 7;
      if (day != 0) {
        out[7] = '-';
        out[8] = static_cast<char>('0' + day / 10);
        out[9] = static_cast<char>('0' + day % 10);
        n = 10;
      }
    }
    return {out, n};
  }
  char buf[16];
  switch (precision()) {
    case Precision::kYear:
      std::snprintf(buf, sizeof buf, "%04d", year);
      break;
    case Precision::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
      break;
    case Precision::kDay:
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
      break;
  }
  return buf;
}

std::optional<Date> parse_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (!read_digits(text, 0, 4, y) || y < 1) return std::nullopt;
  if (text.size() == 4) return Date{static_cast<std::int16_t>(y), 0, 0};
  if (text[4] != '-' || !read_digits(text, 5, 2, m) || m < 1 || m > 12) return std::nullopt;
  if (text.size() == 7) return Date{static_cast<std::int16_t>(y), static_cast<std::uint8_t>(m), 0};
  if (text[7] != '-' || !read_digits(text, 8, 2, d) || d < 1 || d > days_in_month(y, m)) {
    return std::nullopt;
  }
  if (text.size() != 10 && text[10] != 'T') return std::nullopt;
  return Date{static_cast<std::int16_t>(y), static_cast<std::uint8_t>(m),
              static_cast<std::uint8_t>(d)};
}

Date today_utc() {
  const auto now = std::chrono::system_clock::now();
  const auto days =
      std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24;
  return Date::from_days_since_epoch(days);
}

}  // namespace twinscan::model
