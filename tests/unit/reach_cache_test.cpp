// The reaches a scan keeps (query::ReachCache): what is kept is found again as it was,
// by key and start; the first of two threads to keep a reach wins and both read it;
// past its capacity nothing more is kept; a reach of a million and more entities is kept whole.
#include <catch2/catch.hpp>

#include <latch>
#include <numeric>
#include <thread>
#include <vector>

#include "analyzer/query/reach_cache.h"

namespace {

using namespace twinscan;
using query::KeptReach;
using query::ReachCache;
using query::ReachKey;

std::vector<model::VertexId> as_vector(const KeptReach& r) {
  return {r.reached.begin(), r.reached.end()};
}

const ReachKey kOwners{query::Direction::kOut, {3}, 10};

}  // namespace

TEST_CASE("a kept reach is found again by its key and start, and nowhere else", "[reach]") {
  ReachCache cache(100);
  ReachCache::Table& owners = cache.table(kOwners);
  CHECK(&cache.table(kOwners) == &owners);
  ReachCache::Table& owned = cache.table(ReachKey{query::Direction::kIn, {3}, 10});
  ReachCache::Table& nearer = cache.table(ReachKey{query::Direction::kOut, {3}, 2});
  ReachCache::Table& other_kinds = cache.table(ReachKey{query::Direction::kOut, {3, 4}, 10});
  CHECK(&owned != &owners);
  CHECK(&nearer != &owners);
  CHECK(&other_kinds != &owners);

  CHECK_FALSE(owners.find(7));
  const std::vector<model::VertexId> reached{7, 12, 3, 99};
  const auto kept = owners.keep(7, reached, 0x1'0000'0005ULL);
  REQUIRE(kept);
  CHECK(as_vector(*kept) == reached);
  const auto found = owners.find(7);
  REQUIRE(found);
  CHECK(as_vector(*found) == reached);
  CHECK(found->walked == 0x1'0000'0005ULL);  // both words of the count

  CHECK_FALSE(owners.find(8));
  CHECK_FALSE(owned.find(7));
  CHECK_FALSE(nearer.find(7));
  CHECK_FALSE(owners.find(100));  // past the graph
  CHECK_FALSE(owners.keep(100, reached, 1));

  // A start alone (nothing reached) is kept too: "no owner" is an answer.
  const std::vector<model::VertexId> alone{42};
  REQUIRE(owners.keep(42, alone, 0));
  CHECK(as_vector(*owners.find(42)) == alone);
}

TEST_CASE("a reach kept twice is the first one kept", "[reach]") {
  ReachCache cache(10);
  ReachCache::Table& t = cache.table(kOwners);
  REQUIRE(t.keep(1, std::vector<model::VertexId>{1, 2}, 1));
  const auto again = t.keep(1, std::vector<model::VertexId>{1, 5, 6}, 9);
  REQUIRE(again);
  CHECK(as_vector(*again) == std::vector<model::VertexId>{1, 2});
  CHECK(again->walked == 1);
}

TEST_CASE("past its capacity a cache keeps no more reaches, and those kept stay", "[reach]") {
  // Room for two reaches of 4 entities (5 words each besides).
  ReachCache cache(10, 18);
  ReachCache::Table& t = cache.table(kOwners);
  const std::vector<model::VertexId> four{1, 2, 3, 4};
  REQUIRE(t.keep(1, four, 4));
  REQUIRE(t.keep(2, four, 4));
  CHECK_FALSE(t.keep(3, four, 4));
  CHECK_FALSE(t.find(3));
  CHECK_FALSE(cache.table(ReachKey{query::Direction::kIn, {3}, 10}).keep(3, four, 4));
  REQUIRE(t.find(1));
  CHECK(as_vector(*t.find(1)) == four);
  CHECK(as_vector(*t.find(2)) == four);

  ReachCache none(10, 0);
  CHECK_FALSE(none.table(kOwners).keep(1, four, 4));
}

TEST_CASE("a reach of a million and more entities is kept whole among short ones", "[reach]") {
  ReachCache cache(10);
  ReachCache::Table& t = cache.table(kOwners);
  std::vector<model::VertexId> many(1'500'000);
  std::iota(many.begin(), many.end(), 0);
  const std::vector<model::VertexId> few{2, 3};
  REQUIRE(t.keep(2, few, 1));
  REQUIRE(t.keep(0, many, 7));
  REQUIRE(t.keep(3, few, 1));
  CHECK(as_vector(*t.find(0)) == many);
  CHECK(as_vector(*t.find(2)) == few);
  CHECK(as_vector(*t.find(3)) == few);
}

TEST_CASE("threads keeping the same reaches at once all read the one kept", "[reach]") {
  constexpr model::VertexId kStarts = 20'000;
  ReachCache cache(kStarts);
  // Each thread keeps a reach of its own from every start (the start, then its number)
  // and notes which it read back.
  constexpr int kThreads = 4;
  std::vector<std::vector<model::VertexId>> read(kThreads, std::vector<model::VertexId>(kStarts));
  std::vector<std::thread> threads;
  std::latch all_ready(kThreads);  // so that they keep the same starts at the same time
  for (int n = 0; n < kThreads; ++n) {
    threads.emplace_back([&, n] {
      ReachCache::Table& t = cache.table(kOwners);
      all_ready.arrive_and_wait();
      for (model::VertexId v = 0; v < kStarts; ++v) {
        const std::vector<model::VertexId> mine{v, static_cast<model::VertexId>(n)};
        const auto kept = t.keep(v, mine, static_cast<std::uint64_t>(n));
        if (!kept || kept->reached.size() != 2 || kept->reached[0] != v ||
            kept->walked != kept->reached[1]) {
          read[static_cast<std::size_t>(n)][v] = UINT32_MAX;  // torn or lost
        } else {
          read[static_cast<std::size_t>(n)][v] = kept->reached[1];
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ReachCache::Table& t = cache.table(kOwners);
  for (model::VertexId v = 0; v < kStarts; ++v) {
    const auto kept = t.find(v);
    REQUIRE(kept);
    for (int n = 0; n < kThreads; ++n) {
      INFO("start " << v << ", thread " << n);
      REQUIRE(read[static_cast<std::size_t>(n)][v] == kept->reached[1]);
    }
  }
}

TEST_CASE("threads keeping reaches of different kinds from the same starts lose none", "[reach]") {
  // All keys share one table of starts, each start a chain of reaches: threads adding
  // to one chain at once must each find their own kind's reach in it afterwards.
  constexpr model::VertexId kStarts = 20'000;
  constexpr int kThreads = 4;
  // Collisions come by chance: a few rounds make one all but certain.
  for (int round = 0; round < 5; ++round) {
    ReachCache cache(kStarts);
    std::vector<ReachCache::Table*> tables;
    for (std::uint32_t hops = 1; hops <= kThreads; ++hops)
      tables.push_back(&cache.table(ReachKey{query::Direction::kOut, {3}, hops}));
    std::vector<std::thread> threads;
    std::latch all_ready(kThreads);
    for (int n = 0; n < kThreads; ++n) {
      threads.emplace_back([&, n] {
        ReachCache::Table& t = *tables[static_cast<std::size_t>(n)];
        all_ready.arrive_and_wait();
        for (model::VertexId v = 0; v < kStarts; ++v) {
          const std::vector<model::VertexId> mine{v, static_cast<model::VertexId>(n)};
          t.keep(v, mine, static_cast<std::uint64_t>(n));
        }
      });
    }
    for (auto& t : threads) t.join();
    for (model::VertexId v = 0; v < kStarts; ++v) {
      for (int n = 0; n < kThreads; ++n) {
        INFO("start " << v << ", kind " << n);
        const auto kept = tables[static_cast<std::size_t>(n)]->find(v);
        REQUIRE(kept);
        REQUIRE(kept->reached.size() == 2);
        CHECK(kept->reached[0] == v);
        CHECK(kept->reached[1] == static_cast<model::VertexId>(n));
        CHECK(kept->walked == static_cast<std::uint64_t>(n));
      }
    }
    CHECK(cache.usage().reaches == kStarts * kThreads);
  }
}

TEST_CASE("a scan's cache has room in proportion to its graph, within bounds", "[reach]") {
  CHECK(ReachCache::capacity_for(0) == std::size_t{1} << 20);
  CHECK(ReachCache::capacity_for(1'000'000) == 16'000'000);
  CHECK(ReachCache::capacity_for(100'000'000) == ReachCache::kDefaultCapacity);
}
