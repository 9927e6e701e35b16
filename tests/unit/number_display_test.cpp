// Numbers as query results and findings' messages show them, checked against printf
// itself over many bit patterns: query results as "%.15g" with ".0" after a whole number
// and "NaN" for any NaN; messages whole numbers as "%.0f", others to three significant
// digits ("%.*f") without trailing zeros.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "analyzer/query/value.h"
#include "analyzer/rules/compiled_rule.h"
#include "tests/unit/query_rows.h"

namespace {

using twinscan::query::Value;

std::string as_printf_shows(double x) {
  if (std::isnan(x)) return "NaN";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", x);
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

// A message's number as printf writes it.
std::string as_printf_writes_in_messages(double value) {
  if (!std::isfinite(value))
    return std::isnan(value) ? "NaN" : value > 0 ? "infinity" : "-infinity";
  char buf[512];
  if (value == std::trunc(value)) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
    return std::string(buf) == "-0" ? "0" : buf;
  }
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  const int decimals = std::clamp(2 - magnitude, 1, 12);
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string out = buf;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out == "-0" ? "0" : out;
}

std::vector<double> numbers_to_show() {
  std::vector<double> values{0.0,
                             -0.0,
                             1.0,
                             -1.0,
                             0.5,
                             0.25,
                             0.125,
                             0.0005,
                             -0.0004,
                             33.0,
                             66.66666666666667,
                             99.95,
                             100.0,
                             0.1,
                             1e15,
                             1e16,
                             123456789012345.0,
                             1234567890123456.0,
                             1e-5,
                             1e-4,
                             1e-13,
                             9.99999999999999e14,
                             5e-324,
                             std::numeric_limits<double>::max(),
                             -std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
  std::mt19937_64 random(5);
  for (int n = 0; n < 20'000; ++n) {
    values.push_back(std::bit_cast<double>(random()));                        // any bits
    values.push_back(static_cast<double>(random() % 20'001) / 100.0);         // shares, percents
    values.push_back(std::round(static_cast<double>(random() % 1'000'000)));  // whole numbers
    values.push_back(static_cast<double>(random() % 2'000) / 7.0 - 100.0);    // any sign
  }
  return values;
}

}  // namespace

TEST_CASE("numbers in messages as printf writes them", "[number-display]") {
  for (const double x : numbers_to_show()) {
    INFO("bits " << std::bit_cast<std::uint64_t>(x));
    CHECK(twinscan::rules::message_number(x) == as_printf_writes_in_messages(x));
  }
}

TEST_CASE("fractions display as printf's %.15g writes them", "[number-display]") {
  const auto g = twinscan::testing::load_registry_text("none.json", R"({"format": "twinscan/1",
    "entities": [], "relations": []})");
  const std::vector<double> values = numbers_to_show();
  for (const double x : values) {
    INFO("bits " << std::bit_cast<std::uint64_t>(x));
    CHECK(twinscan::query::to_display(*g, Value::of_float(x)) == as_printf_shows(x));
  }
}
