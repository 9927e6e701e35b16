// A finding's bindings kept in one buffer (rules::FindingBindings): read back as given,
// whatever bytes and lengths their texts have, and ordered and compared as the list of
// string pairs they stand for.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/rules/finding_bindings.h"

namespace {

using twinscan::rules::FindingBindings;
using Pairs = std::vector<std::pair<std::string, std::string>>;

// Texts of any byte, NUL and 0x80 and over included, mostly short, some past the
// lengths one byte holds (127) and two bytes hold (16,383).
std::string random_text(std::mt19937& random) {
  const std::size_t lengths[] = {0, 1, 3, 10, 127, 128, 200, 16'383, 16'384};
  const std::size_t length = lengths[random() % 9];
  std::string out(length, '\0');
  for (char& c : out)
    c = static_cast<char>(random() % 4 == 0 ? random() % 256 : 'a' + random() % 3);
  return out;
}

Pairs random_pairs(std::mt19937& random) {
  Pairs out(random() % 4);
  for (auto& [name, id] : out) {
    name = random() % 2 == 0 ? std::string(1, static_cast<char>('a' + random() % 2))
                             : random_text(random);
    id = random_text(random);
  }
  return out;
}

}  // namespace

TEST_CASE("finding bindings: read back as given, in order", "[finding-bindings]") {
  std::mt19937 random(11);
  for (int n = 0; n < 500; ++n) {
    const Pairs pairs = random_pairs(random);
    FindingBindings bindings;
    for (const auto& [name, id] : pairs) bindings.emplace_back(name, id);
    REQUIRE(bindings.size() == pairs.size());
    REQUIRE(bindings.empty() == pairs.empty());
    REQUIRE(bindings.to_vector() == pairs);
    std::size_t i = 0;
    for (const auto& [name, id] : bindings) {
      REQUIRE(i < pairs.size());
      CHECK(name == pairs[i].first);
      CHECK(id == pairs[i].second);
      CHECK(bindings[i].second == pairs[i].second);
      ++i;
    }
    CHECK(i == pairs.size());
    CHECK(FindingBindings(pairs) == bindings);
    // Copies and moves keep the texts (a short buffer moves within the object).
    FindingBindings copy = bindings;
    FindingBindings moved = std::move(copy);
    CHECK(moved.to_vector() == pairs);
    // A moved-from list is empty, as a moved-from vector is (NOLINT: read on purpose).
    CHECK(copy.empty());  // NOLINT(bugprone-use-after-move)
    CHECK(copy.begin() == copy.end());
    FindingBindings assigned{{"z", "zz"}};
    assigned = std::move(moved);
    CHECK(assigned.to_vector() == pairs);
    CHECK(moved.size() == 0);  // NOLINT(bugprone-use-after-move)
  }
}

TEST_CASE("finding bindings: ordered and compared as their string pairs", "[finding-bindings]") {
  std::mt19937 random(12);
  std::vector<Pairs> lists;
  for (int n = 0; n < 300; ++n) lists.push_back(random_pairs(random));
  // Near ties: one a prefix of another, texts that differ in one byte over 0x7F.
  lists.push_back({{"x", "a"}});
  lists.push_back({{"x", "a"}, {"y", ""}});
  lists.push_back({{"x", std::string("a\0", 2)}});
  lists.push_back({{"x", "a\x80"}});
  lists.push_back({{"x", "a\x7f"}});
  lists.push_back({{"xa", ""}});
  lists.push_back({});
  for (const Pairs& a : lists) {
    for (const Pairs& b : lists) {
      const FindingBindings fa(a), fb(b);
      INFO("a has " << a.size() << " bindings, b " << b.size());
      CHECK((fa < fb) == (a < b));
      CHECK((fa == fb) == (a == b));
    }
  }
}

TEST_CASE("finding bindings: from a list written out", "[finding-bindings]") {
  const FindingBindings bindings{{"m", "mun:a"}, {"c", "city:b"}};
  CHECK(bindings.to_vector() == Pairs{{"m", "mun:a"}, {"c", "city:b"}});
  CHECK(bindings[1].first == "c");
  const FindingBindings none;
  CHECK(none.begin() == none.end());
  CHECK(none.to_vector().empty());
}
