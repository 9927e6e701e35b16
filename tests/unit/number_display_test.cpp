// Fractions as messages and query results show them: printf's "%.15g", with ".0" after
// a whole number, "NaN" for any NaN. Checked against printf itself over many bit patterns.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "analyzer/query/value.h"
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

}  // namespace

TEST_CASE("fractions display as printf's %.15g writes them", "[number-display]") {
  const auto g = twinscan::testing::load_registry_text("none.json", R"({"format": "twinscan/1",
    "entities": [], "relations": []})");
  std::vector<double> values{0.0,
                             -0.0,
                             1.0,
                             -1.0,
                             0.5,
                             0.25,
                             33.0,
                             66.66666666666667,
                             100.0,
                             0.1,
                             1e15,
                             1e16,
                             123456789012345.0,
                             1234567890123456.0,
                             1e-5,
                             1e-4,
                             9.99999999999999e14,
                             5e-324,
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
  std::mt19937_64 random(5);
  for (int n = 0; n < 20'000; ++n) {
    values.push_back(std::bit_cast<double>(random()));                        // any bits
    values.push_back(static_cast<double>(random() % 20'001) / 100.0);         // shares, percents
    values.push_back(std::round(static_cast<double>(random() % 1'000'000)));  // whole numbers
  }
  for (const double x : values) {
    INFO("bits " << std::bit_cast<std::uint64_t>(x));
    CHECK(twinscan::query::to_display(*g, Value::of_float(x)) == as_printf_shows(x));
  }
}
