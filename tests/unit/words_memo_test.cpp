#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "analyzer/query/words_memo.h"

using twinscan::query::Imprecision;
using twinscan::query::kImprecise;
using twinscan::query::RememberedAnswer;
using twinscan::query::Value;
using twinscan::query::WordsKey;
using twinscan::query::WordsMemo;

TEST_CASE("query EXISTS memo: an empty memo remembers nothing", "[query]") {
  const WordsMemo memo;
  RememberedAnswer out;
  CHECK_FALSE(memo.find({0, 0}, out));
  CHECK_FALSE(memo.find({1, ~std::uint64_t{0}}, out));
  CHECK(memo.size() == 0);
}

TEST_CASE("query EXISTS memo: answers come back by key, through growth, as a map gives them",
          "[query]") {
  // Keys as the matcher makes them: an entity with its type in the high half, and a second
  // word that is a symbol, an entity or all ones.
  std::mt19937_64 random(7);
  std::map<std::pair<std::uint64_t, std::uint64_t>, int> expected;
  WordsMemo memo;
  for (int i = 0; i < 50'000; ++i) {
    const WordsKey key{(std::uint64_t{3} << 32) | (random() % 40'000),
                       i % 3 == 0 ? ~std::uint64_t{0} : random() % 50};
    if (expected.count({key.a, key.b})) continue;
    const int answer = static_cast<int>(random() % 2);
    expected[{key.a, key.b}] = answer;
    memo.insert(key, answer, {});
  }
  CHECK(memo.size() == expected.size());
  for (const auto& [key, answer] : expected) {
    RememberedAnswer out;
    REQUIRE(memo.find({key.first, key.second}, out));
    CHECK(out.answer == answer);
    CHECK(out.why.empty());
  }
  // Keys never asked are not found, though they share words with keys that were.
  std::size_t absent = 0;
  for (std::uint64_t b = 50; b < 60; ++b) {
    RememberedAnswer out;
    absent += memo.find({(std::uint64_t{3} << 32) | 1, b}, out) ? 0 : 1;
  }
  CHECK(absent == 10);
}

TEST_CASE("query EXISTS memo: an answer left open keeps what left it open", "[query]") {
  WordsMemo memo;
  Imprecision why;
  why.left = Value::of_int(2019);
  why.right = Value::of_int(2020);
  why.condition = {10, 25};
  memo.insert({5, 6}, kImprecise, {why, why});
  memo.insert({6, 5}, 1, {});
  RememberedAnswer out;
  REQUIRE(memo.find({5, 6}, out));
  CHECK(out.answer == kImprecise);
  REQUIRE(out.why.size() == 2);
  CHECK(out.why[0].condition.begin == 10);
  CHECK(out.why[1].left.integer == 2019);
  REQUIRE(memo.find({6, 5}, out));
  CHECK(out.answer == 1);
  CHECK(out.why.empty());
}
