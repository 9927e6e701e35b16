// The table of a search's binding sets (rules::FoundSets): one set per key whatever the
// number of sets and however their hashes collide, in the order first found, and the
// keys read back as given.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "analyzer/rules/found_sets.h"

namespace {

using twinscan::model::Sym;
using twinscan::rules::FoundSets;

}  // namespace

TEST_CASE("found sets: one set per key, in the order first found, as a map would keep them",
          "[found-sets]") {
  FoundSets sets(3);
  std::map<std::vector<Sym>, std::size_t> expected;  // key -> index first found
  std::vector<std::vector<Sym>> order;
  std::mt19937 random(7);
  std::uniform_int_distribution<Sym> sym(0, 60);  // few values: many keys repeat
  for (int n = 0; n < 100'000; ++n) {
    const std::vector<Sym> key{sym(random), sym(random), sym(random)};
    const auto [index, added] = sets.find_or_add(key, FoundSets::hash_of(key));
    const auto [it, inserted] = expected.try_emplace(key, order.size());
    REQUIRE(added == inserted);
    REQUIRE(index == it->second);
    if (inserted) order.push_back(key);
    sets[index].evidence.matches += 1;
  }
  REQUIRE(sets.size() == expected.size());
  REQUIRE(sets.size() > 50'000);  // the table grew many times
  std::size_t matches = 0;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    const auto key = sets.key(i);
    REQUIRE(std::vector<Sym>(key.begin(), key.end()) == order[i]);
    REQUIRE(sets.hash(i) == FoundSets::hash_of(key));
    REQUIRE(sets.contains(key));
    matches += sets[i].evidence.matches;
  }
  CHECK(matches == 100'000);
  const std::vector<Sym> absent{61, 61, 61};
  CHECK_FALSE(sets.contains(absent));
}

TEST_CASE("found sets: keys whose hashes are equal stay apart", "[found-sets]") {
  // Every key is given one hash: only the comparison of keys keeps them apart, and the
  // probe must pass over every set before the free slot.
  FoundSets sets(2);
  for (Sym a = 0; a < 300; ++a) {
    const std::vector<Sym> key{a, a + 1};
    const auto found = sets.find_or_add(key, 42);
    REQUIRE(found.added);
    REQUIRE(found.index == a);
  }
  for (Sym a = 0; a < 300; ++a) {
    const std::vector<Sym> key{a, a + 1};
    const auto found = sets.find_or_add(key, 42);
    CHECK_FALSE(found.added);
    CHECK(found.index == a);
  }
  CHECK(sets.size() == 300);
}

TEST_CASE("found sets: keys of no ids make one set; clear forgets every set", "[found-sets]") {
  FoundSets none(0);
  const std::vector<Sym> empty;
  CHECK(none.find_or_add(empty, FoundSets::hash_of(empty)).added);
  CHECK_FALSE(none.find_or_add(empty, FoundSets::hash_of(empty)).added);
  CHECK(none.size() == 1);

  FoundSets sets(1);
  const std::vector<Sym> key{5};
  sets.find_or_add(key, FoundSets::hash_of(key));
  sets.clear();
  CHECK(sets.empty());
  CHECK_FALSE(sets.contains(key));
  CHECK(sets.find_or_add(key, FoundSets::hash_of(key)).added);
  CHECK(sets.width() == 1);
}

TEST_CASE("found sets: a key of another width is refused", "[found-sets]") {
  FoundSets sets(2);
  const std::vector<Sym> key{1, 2, 3};
  CHECK_THROWS_AS(sets.find_or_add(key, FoundSets::hash_of(key)), std::logic_error);
  CHECK_FALSE(sets.contains(key));
}

TEST_CASE("found sets: room reserved takes that many sets without moving them", "[found-sets]") {
  FoundSets sets(2);
  const std::vector<Sym> first{1, 2};
  sets.find_or_add(first, FoundSets::hash_of(first));
  sets[0].evidence.matches = 7;
  sets.reserve(5'000);
  const auto* const kept = &sets[0];
  const auto* const kept_key = sets.key(0).data();
  for (Sym n = 1; n < 5'000; ++n) {
    const std::vector<Sym> key{n, n + 10'000};
    const auto [index, added] = sets.find_or_add(key, FoundSets::hash_of(key));
    REQUIRE(added);
    REQUIRE(index == n);
  }
  // Neither the sets nor their keys moved: the arrays never grew.
  CHECK(&sets[0] == kept);
  CHECK(sets.key(0).data() == kept_key);
  CHECK(sets[0].evidence.matches == 7);
  CHECK(sets.size() == 5'000);
  for (Sym n = 1; n < 5'000; ++n) {
    const std::vector<Sym> key{n, n + 10'000};
    REQUIRE(sets.contains(key));
    REQUIRE(sets.find_or_add(key, FoundSets::hash_of(key)).index == n);
  }
  // Less room than held changes nothing.
  sets.reserve(10);
  CHECK(sets.size() == 5'000);
  CHECK(sets.contains(first));
}
