#include "analyzer/io/import/csv_values.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace twinscan::io::csv {
namespace {

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads `min`..`max` digits at text[i].
bool read_digits(std::string_view text, std::size_t& i, std::size_t min, std::size_t max,
                 int& out) {
  std::size_t n = 0;
  out = 0;
  while (i < text.size() && n < max && digit(text[i])) {
    out = out * 10 + (text[i] - '0');
    ++i;
    ++n;
  }
  return n >= min;
}

bool starts_with(std::string_view text, std::size_t i, std::string_view prefix) {
  return text.substr(i, prefix.size()) == prefix;
}

}  // namespace

std::string_view trim_spaces(std::string_view text) {
  auto space_at_front = [&]() -> std::size_t {
    if (text.empty()) return 0;
    if (text[0] == ' ' || text[0] == '\t') return 1;
    if (text.substr(0, 2) == "\xC2\xA0") return 2;
    if (text.substr(0, 3) == "\xE2\x80\xAF") return 3;
    return 0;
  };
  auto space_at_back = [&]() -> std::size_t {
    const std::size_t n = text.size();
    if (n == 0) return 0;
    if (text[n - 1] == ' ' || text[n - 1] == '\t') return 1;
    if (n >= 2 && text.substr(n - 2) == "\xC2\xA0") return 2;
    if (n >= 3 && text.substr(n - 3) == "\xE2\x80\xAF") return 3;
    return 0;
  };
  for (std::size_t k; (k = space_at_front()) != 0;) text.remove_prefix(k);
  for (std::size_t k; (k = space_at_back()) != 0;) text.remove_suffix(k);
  return text;
}

bool equals_folded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<DateFormat> DateFormat::parse(std::string_view pattern, std::string& error) {
  DateFormat f;
  f.pattern_ = pattern;
  bool year = false, month = false, day = false;
  for (std::size_t i = 0; i < pattern.size();) {
    if (starts_with(pattern, i, "YYYY")) {
      if (year) break;
      f.tokens_.push_back({Part::kYear, 0});
      year = true;
      i += 4;
    } else if (pattern[i] == 'M') {
      if (month) break;
      const bool two = starts_with(pattern, i, "MM");
      f.tokens_.push_back({two ? Part::kMonth2 : Part::kMonth, 0});
      month = true;
      i += two ? 2 : 1;
    } else if (pattern[i] == 'D') {
      if (day) break;
      const bool two = starts_with(pattern, i, "DD");
      f.tokens_.push_back({two ? Part::kDay2 : Part::kDay, 0});
      day = true;
      i += two ? 2 : 1;
    } else if (pattern[i] == 'Y') {
      error = "a year is written YYYY (four digits)";
      return std::nullopt;
    } else if ((pattern[i] >= 'A' && pattern[i] <= 'Z') ||
               (pattern[i] >= 'a' && pattern[i] <= 'z')) {
      error = std::string("'") + pattern[i] +
              "' is not a date part; use YYYY, MM or M, DD or D and separators";
      return std::nullopt;
    } else {
      f.tokens_.push_back({Part::kLiteral, pattern[i]});
      ++i;
    }
    if (f.tokens_.size() > 16) break;
  }
  std::size_t parts = 0;
  for (const Token& t : f.tokens_) parts += t.part != Part::kLiteral;
  if (parts != static_cast<std::size_t>(year) + month + day || f.tokens_.size() > 16) {
    error = "a date part appears twice";
    return std::nullopt;
  }
  if (!year) {
    error = "the format has no year (YYYY)";
    return std::nullopt;
  }
  if (day && !month) {
    error = "the format has a day but no month";
    return std::nullopt;
  }
  return f;
}

std::optional<model::Date> DateFormat::read(std::string_view text) const {
  text = trim(text);
  int y = 0, m = 0, d = 0;
  std::size_t i = 0;
  for (const Token& t : tokens_) {
    bool ok = true;
    switch (t.part) {
      case Part::kYear:
        ok = read_digits(text, i, 4, 4, y);
        break;
      case Part::kMonth2:
        ok = read_digits(text, i, 2, 2, m);
        break;
      case Part::kMonth:
        ok = read_digits(text, i, 1, 2, m);
        break;
      case Part::kDay2:
        ok = read_digits(text, i, 2, 2, d);
        break;
      case Part::kDay:
        ok = read_digits(text, i, 1, 2, d);
        break;
      case Part::kLiteral:
        ok = i < text.size() && text[i] == t.literal;
        ++i;
        break;
    }
    if (!ok) return std::nullopt;
  }
  if (i != text.size() || y < 1) return std::nullopt;
  bool has_month = false, has_day = false;
  for (const Token& t : tokens_) {
    has_month |= t.part == Part::kMonth || t.part == Part::kMonth2;
    has_day |= t.part == Part::kDay || t.part == Part::kDay2;
  }
  if (has_month && (m < 1 || m > 12)) return std::nullopt;
  if (has_day && (d < 1 || d > days_in_month(y, m))) return std::nullopt;
  model::Date date;
  date.year = static_cast<std::int16_t>(y);
  date.month = static_cast<std::uint8_t>(has_month ? m : 0);
  date.day = static_cast<std::uint8_t>(has_day ? d : 0);
  return date;
}

namespace {

// The number as plain ASCII ("-1234.5"), or nothing when `text` is not one.
std::optional<std::string> plain_number(std::string_view text, const NumberFormat& format) {
  text = trim(text);
  std::string out;
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    if (text[i] == '-') out += '-';
    ++i;
  } else if (starts_with(text, i, "\xE2\x88\x92")) {  // U+2212 MINUS SIGN
    out += '-';
    i += 3;
  }
  std::size_t digits = 0;
  bool decimal = false;
  bool last_digit = false;
  while (i < text.size()) {
    const char c = text[i];
    if (digit(c)) {
      out += c;
      ++digits;
      ++i;
      last_digit = true;
      continue;
    }
    if (!decimal && starts_with(text, i, format.decimal)) {
      out += '.';
      decimal = true;
      i += format.decimal.size();
      last_digit = false;
      continue;
    }
    if (!decimal && last_digit && !format.thousands.empty()) {
      std::size_t len = 0;
      if (starts_with(text, i, format.thousands)) {
        len = format.thousands.size();
      } else if (format.thousands == " " && starts_with(text, i, "\xC2\xA0")) {
        len = 2;
      } else if (format.thousands == " " && starts_with(text, i, "\xE2\x80\xAF")) {
        len = 3;
      }
      // A group separator stands between digits and is followed by three of them.
      if (len != 0 && i + len + 3 <= text.size() && digit(text[i + len]) &&
          digit(text[i + len + 1]) && digit(text[i + len + 2]) &&
          (i + len + 3 == text.size() || !digit(text[i + len + 3]))) {
        i += len;
        last_digit = false;
        continue;
      }
    }
    return std::nullopt;
  }
  if (digits == 0 || out.back() == '.') return std::nullopt;
  return out;
}

}  // namespace

std::optional<double> read_number(std::string_view text, const NumberFormat& format) {
  const auto plain = plain_number(text, format);
  if (!plain) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(plain->data(), plain->data() + plain->size(), value);
  if (ec != std::errc() || end != plain->data() + plain->size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> read_integer(std::string_view text, const NumberFormat& format) {
  const auto plain = plain_number(text, format);
  if (!plain || plain->find('.') != std::string::npos) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(plain->data(), plain->data() + plain->size(), value);
  if (ec != std::errc() || end != plain->data() + plain->size()) return std::nullopt;
  return value;
}

std::optional<double> read_percentage(std::string_view text, const NumberFormat& format) {
  text = trim(text);
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  const auto value = read_number(text, format);
  if (!value || *value < 0 || *value > 100) return std::nullopt;
  return *value / 100;
}

std::string number_text(double value) {
  if (value == 0) return "0";
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  (void)ec;
  return {buffer, end};
}

}  // namespace twinscan::io::csv
