// The table in which a run keeps the shares effective_share() found: it gives back what
// was put in, keeps each key's first answer, and forgets all when cleared.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "analyzer/query/share_table.h"

namespace twinscan {

using query::ShareAnswer;
using query::ShareTable;

TEST_CASE("a table of shares gives back each key's first answer", "[share-table]") {
  ShareTable table;
  CHECK_FALSE(table.find(0));
  std::map<std::uint64_t, ShareAnswer> expected;
  std::mt19937_64 random(7);
  for (int i = 0; i < 200'000; ++i) {
    // Pairs of small vertex ids, as the function's keys are, and keys at the extremes
    // (0 is the one whose mix is 0).
    const std::uint64_t key = i < 3 ? std::uint64_t{0} - static_cast<std::uint64_t>(i)
                                    : (random() % 50'000) << 32 | (random() % 50'000);
    const ShareAnswer answer{static_cast<double>(i) / 200'000, 1.0, i % 3 == 0};
    table.insert(key, answer);
    expected.try_emplace(key, answer);
  }
  CHECK(table.size() == expected.size());
  for (const auto& [key, answer] : expected) {
    const auto found = table.find(key);
    REQUIRE(found);
    CHECK(found->lower == answer.lower);
    CHECK(found->upper == answer.upper);
    CHECK(found->bounds == answer.bounds);
  }
  CHECK_FALSE(table.find(std::uint64_t{123'456} << 32 | 654'321));
  table.clear();
  CHECK(table.size() == 0);
  CHECK_FALSE(table.find(expected.begin()->first));
  table.insert(5, {0.5, 0.5, false});
  CHECK(table.find(5));
}

}  // namespace twinscan
