// query::RowKeys: each distinct key numbered in the order first seen, found again after
// the table grows, however keys share prefixes, hashes or bytes.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <unordered_map>

#include "analyzer/query/row_keys.h"

using twinscan::query::RowKeys;

TEST_CASE("row keys are numbered in the order first seen and found again") {
  RowKeys keys;
  using namespace std::string_literals;
  // Keys that are prefixes of one another, empty, or hold NUL bytes are all distinct.
  const std::string distinct[] = {"a", "ab", "", "b", "a\0b"s, "a\0"s, "abc"};
  for (std::size_t i = 0; i < std::size(distinct); ++i) {
    const auto [number, added] = keys.insert(distinct[i]);
    CHECK(number == i);
    CHECK(added);
  }
  for (std::size_t i = 0; i < std::size(distinct); ++i) {
    const auto [number, added] = keys.insert(distinct[i]);
    CHECK(number == i);
    CHECK_FALSE(added);
  }
  CHECK(keys.size() == std::size(distinct));
}

TEST_CASE("row keys stay numbered as the table grows many times") {
  RowKeys keys;
  std::unordered_map<std::string, std::size_t> expected;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 50'000; i += 1 + round) {  // later rounds repeat earlier keys
      const std::string key = "k" + std::to_string(i * 7919 % 100'003);
      const auto [it, is_new] = expected.try_emplace(key, expected.size());
      const auto [number, added] = keys.insert(key);
      REQUIRE(added == is_new);
      REQUIRE(number == it->second);
    }
  }
  CHECK(keys.size() == expected.size());
}
