#include <catch2/catch.hpp>

#include <string>

#include "analyzer/model/date.h"

using twinscan::model::Date;
using twinscan::model::parse_date;

namespace {

Date make(int y, int m = 0, int d = 0) {
  return Date{static_cast<std::int16_t>(y), static_cast<std::uint8_t>(m),
              static_cast<std::uint8_t>(d)};
}

}  // namespace

TEST_CASE("registry date: parse_date reads year, month and day precision", "[registry]") {
  const auto year = parse_date("2019");
  REQUIRE(year);
  CHECK(*year == make(2019));
  CHECK(year->precision() == Date::Precision::kYear);

  const auto month = parse_date("2019-04");
  REQUIRE(month);
  CHECK(*month == make(2019, 4));
  CHECK(month->precision() == Date::Precision::kMonth);

  const auto day = parse_date("2019-04-17");
  REQUIRE(day);
  CHECK(*day == make(2019, 4, 17));
  CHECK(day->precision() == Date::Precision::kDay);
}

TEST_CASE("registry date: parse_date cuts a timestamp to its date", "[registry]") {
  const auto stamp = parse_date("2019-04-17T10:00:00Z");
  REQUIRE(stamp);
  CHECK(*stamp == make(2019, 4, 17));
  CHECK(stamp->precision() == Date::Precision::kDay);
}

TEST_CASE("registry date: parse_date accepts the edges of the calendar", "[registry]") {
  CHECK(parse_date("0001") == make(1));
  CHECK(parse_date("9999-12-31") == make(9999, 12, 31));
  CHECK(parse_date("2019-01-31") == make(2019, 1, 31));
  CHECK(parse_date("2019-04-30") == make(2019, 4, 30));
  CHECK(parse_date("2019-12") == make(2019, 12));
}

TEST_CASE("registry date: parse_date knows leap years", "[registry]") {
  CHECK_FALSE(parse_date("2023-02-29"));
  CHECK(parse_date("2024-02-29") == make(2024, 2, 29));
  CHECK(parse_date("2000-02-29") == make(2000, 2, 29));  // divisible by 400
  CHECK_FALSE(parse_date("1900-02-29"));                 // divisible by 100 only
  CHECK(parse_date("2023-02-28") == make(2023, 2, 28));
}

TEST_CASE("registry date: parse_date refuses impossible and malformed dates", "[registry]") {
  const char* const bad[] = {
      "",             // empty
      "2019-13",      // month 13
      "2019-00",      // month 0
      "2019-13-01",   // month 13 with a day
      "2019-02-30",   // Feb 30
      "2019-04-31",   // April has 30 days
      "2019-04-00",   // day 0
      "2019-04-32",   // day 32
      "0000",         // year 0
      "19",           // too short
      "201",          // too short
      "20190",        // five digits
      "2019-4",       // one-digit month
      "2019-04-7",    // one-digit day
      "2019/04/17",   // wrong separator
      "2019-04-17 ",  // trailing space
      "2019-04-17x",  // trailing garbage
      " 2019",        // leading space
      "abcd",         // garbage
      "yesterday",    // garbage
      "-2019",        // sign
      "2019-",        // dangling separator
      "2019-04-",     // dangling separator
  };
  for (const char* text : bad) {
    INFO("text: '" << text << "'");
    CHECK_FALSE(parse_date(text));
  }
}

TEST_CASE(
    "registry date: dates order by year, month, day; a partial date sorts first in its period",
    "[registry]") {
  CHECK(*parse_date("2018-12-31") < *parse_date("2019"));
  CHECK(*parse_date("2019") < *parse_date("2019-01"));
  CHECK(*parse_date("2019-01") < *parse_date("2019-01-01"));
  CHECK(*parse_date("2019-04-17") < *parse_date("2019-04-18"));
  CHECK(*parse_date("2019-04-30") < *parse_date("2019-05-01"));
  CHECK(*parse_date("2019-12-31") < *parse_date("2020"));
  CHECK(*parse_date("2019-04-17") == *parse_date("2019-04-17T23:59:59Z"));
  CHECK_FALSE(*parse_date("2019-04") == *parse_date("2019-04-01"));
}

TEST_CASE("registry date: days_since_epoch matches known values", "[registry]") {
  CHECK(make(1970, 1, 1).days_since_epoch() == 0);
  CHECK(make(1969, 12, 31).days_since_epoch() == -1);
  CHECK(make(2000, 3, 1).days_since_epoch() == 11017);
  CHECK(make(2019, 4, 17).days_since_epoch() == 18003);
  CHECK(make(2024, 2, 29).days_since_epoch() == 19782);
  CHECK(make(1600, 3, 1).days_since_epoch() == -135080);
  CHECK(make(1, 1, 1).days_since_epoch() == -719162);
  CHECK(make(9999, 12, 31).days_since_epoch() == 2932896);
}

TEST_CASE("registry date: days_since_epoch of a partial date is the first day of its period",
          "[registry]") {
  CHECK(make(2019).days_since_epoch() == 17897);     // 2019-01-01
  CHECK(make(2019, 4).days_since_epoch() == 17987);  // 2019-04-01
  CHECK(make(1970).days_since_epoch() == 0);
}

TEST_CASE("registry date: from_days_since_epoch inverts days_since_epoch", "[registry]") {
  CHECK(Date::from_days_since_epoch(0) == make(1970, 1, 1));
  CHECK(Date::from_days_since_epoch(11017) == make(2000, 3, 1));
  CHECK(Date::from_days_since_epoch(18003) == make(2019, 4, 17));
  CHECK(Date::from_days_since_epoch(-1) == make(1969, 12, 31));
  CHECK(Date::from_days_since_epoch(-719162) == make(1, 1, 1));
  CHECK(Date::from_days_since_epoch(2932896) == make(9999, 12, 31));

  // Every day from 1599 to 2401 (covering the 400-year leap cycle on both sides of the
  // epoch) survives a round trip, and consecutive days are consecutive dates.
  const std::int64_t first = make(1599, 1, 1).days_since_epoch();
  const std::int64_t last = make(2401, 12, 31).days_since_epoch();
  Date previous = Date::from_days_since_epoch(first - 1);
  std::int64_t mismatches = 0;
  std::int64_t out_of_order = 0;
  for (std::int64_t days = first; days <= last; ++days) {
    const Date date = Date::from_days_since_epoch(days);
    if (date.days_since_epoch() != days || !parse_date(date.to_string()) ||
        *parse_date(date.to_string()) != date) {
      ++mismatches;
    }
    if (!(previous < date)) ++out_of_order;
    previous = date;
  }
  CHECK(mismatches == 0);
  CHECK(out_of_order == 0);
  CHECK(Date::from_days_since_epoch(last) == make(2401, 12, 31));
}

TEST_CASE("registry date: to_string writes the date at its own precision", "[registry]") {
  CHECK(make(2019).to_string() == "2019");
  CHECK(make(2019, 4).to_string() == "2019-04");
  CHECK(make(2019, 4, 7).to_string() == "2019-04-07");
  CHECK(make(7, 1, 2).to_string() == "0007-01-02");
  CHECK(make(9999, 12, 31).to_string() == "9999-12-31");
  CHECK(make(0, 0, 5).to_string() == "0000-00-05");
  CHECK(make(-44, 3, 15).to_string() == "-044-03-15");  // outside 0..9999: as printf writes it
  CHECK(make(12000).to_string() == "12000");
  for (const char* text : {"2019", "2019-04", "2019-04-17", "0001", "2024-02-29"}) {
    CHECK(parse_date(text)->to_string() == text);
  }
}
