// The importers' tables of ids: memory that starts zeroed at any size (mapped from the
// kernel from 2 MiB), the exact set of 64-bit hashes, and the smaller set of guesses,
// which may answer yes wrongly but never no wrongly, across growth.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>

#include "analyzer/io/import/id_hash_set.h"
#include "analyzer/util/zeroed_array.h"

using twinscan::imports::HashGuessSet;
using twinscan::imports::id_hash;
using twinscan::imports::IdHashSet;
using twinscan::util::ZeroedArray;

TEST_CASE("Zeroed arrays start all zero below and above the size mapped from the kernel",
          "[import]") {
  for (const std::size_t n : {std::size_t{1}, std::size_t{1000}, std::size_t{3} << 20}) {
    ZeroedArray<std::uint64_t> a(n);
    REQUIRE(a.size() == n);
    bool zero = true;
    for (std::size_t i = 0; i < n; i += 511) zero = zero && a[i] == 0;
    CHECK(zero);
    CHECK(a[n - 1] == 0);
    a[n - 1] = 7;
    ZeroedArray<std::uint64_t> moved(std::move(a));
    CHECK(moved[n - 1] == 7);
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move): moved from is empty
  }
  CHECK(ZeroedArray<int>().empty());
}

TEST_CASE("Hash sets of ids keep every id across growth; the set of guesses never misses one",
          "[import]") {
  IdHashSet exact;
  HashGuessSet guesses;
  for (int i = 0; i < 200000; ++i) {
    const std::uint64_t h = id_hash("city:city-" + std::to_string(i));
    CHECK(exact.insert(h) == true);
    guesses.insert(h);
  }
  // How many of "PREFIX0" … "PREFIX199999" the set says it holds.
  const auto count_in = [](const auto& set, const std::string& prefix) {
    int n = 0;
    for (int i = 0; i < 200000; ++i) n += set.contains(id_hash(prefix + std::to_string(i))) ? 1 : 0;
    return n;
  };
  CHECK(count_in(exact, "city:city-") == 200000);
  CHECK(count_in(guesses, "city:city-") == 200000);
  CHECK_FALSE(exact.insert(id_hash("city:city-5")));
  // Ids never inserted: the exact set says no; the guesses say yes rarely: when 32 bits of
  // the hash equal those of one of the 200,000 ids (about 200,000^2 / 2^32, 9 times).
  const int wrong_exact = count_in(exact, "firm:firm-");
  const int wrong_guesses = count_in(guesses, "firm:firm-");
  CHECK(wrong_exact == 0);
  CHECK(wrong_guesses <= 40);
  // Hash 0 is a hash like any other.
  CHECK_FALSE(exact.contains(0));
  CHECK(exact.insert(0));
  CHECK(exact.contains(0));
  guesses.insert(0);
  CHECK(guesses.contains(0));
}
