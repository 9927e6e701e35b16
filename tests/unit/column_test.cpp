// Columns: borrowed storage grows in place while its room lasts, then moves to the heap
// without losing or altering an element.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <vector>

#include "analyzer/util/column.h"
#include "analyzer/util/growing_block.h"

using twinscan::util::Column;

TEST_CASE("a borrowed column grows in place, then moves to the heap", "[column]") {
  std::array<std::uint32_t, 4> memory = {10, 11, 0, 0};
  auto c = Column<std::uint32_t>::borrow(memory.data(), 2, memory.size());
  CHECK(c.borrowed());
  CHECK(c.size() == 2);
  c.push_back(12);
  c.push_back(c[0]);  // an element of the column itself
  CHECK(c.borrowed());
  CHECK(memory == std::array<std::uint32_t, 4>{10, 11, 12, 10});
  c.push_back(c[1]);  // past the room: the elements move to the heap
  CHECK_FALSE(c.borrowed());
  CHECK(std::vector<std::uint32_t>(c.begin(), c.end()) ==
        std::vector<std::uint32_t>{10, 11, 12, 10, 11});
  CHECK(memory == std::array<std::uint32_t, 4>{10, 11, 12, 10});  // left as it was
  c[0] = 99;
  CHECK(memory[0] == 10);
}

TEST_CASE("resize, assign and append keep within the room or leave it", "[column]") {
  std::array<std::uint16_t, 6> memory = {1, 2, 3, 0, 0, 0};
  auto c = Column<std::uint16_t>::borrow(memory.data(), 3, memory.size());
  c.resize(5, 7);
  CHECK(c.borrowed());
  CHECK(memory == std::array<std::uint16_t, 6>{1, 2, 3, 7, 7, 0});
  const std::array<std::uint16_t, 2> more = {8, 9};
  c.append(more.begin(), more.end());
  CHECK_FALSE(c.borrowed());
  CHECK(std::vector<std::uint16_t>(c.begin(), c.end()) ==
        std::vector<std::uint16_t>{1, 2, 3, 7, 7, 8, 9});
  c.assign(2, 4);
  CHECK(std::vector<std::uint16_t>(c.begin(), c.end()) == std::vector<std::uint16_t>{4, 4});
}

TEST_CASE("copies own their elements; moves keep the storage", "[column]") {
  std::array<int, 3> memory = {5, 6, 0};
  auto borrowed = Column<int>::borrow(memory.data(), 2, memory.size());
  Column<int> copy = borrowed;
  CHECK_FALSE(copy.borrowed());
  copy[0] = 1;
  CHECK(memory[0] == 5);
  Column<int> moved = std::move(borrowed);
  CHECK(moved.borrowed());
  CHECK(moved.data() == memory.data());
  Column<int> owned;
  owned = copy;
  CHECK(owned.size() == 2);
  CHECK(owned.back() == 6);
  CHECK(owned.data() != copy.data());
}

// Past GrowingBlock::kMappedFrom a column lives in a mapping of its own that grows by
// remapping: elements written before each growth must come through it unchanged.
TEST_CASE("a large column keeps every element as it grows, is copied and moved", "[column]") {
  constexpr std::size_t kCount = 3'000'000;  // 12 MB: several growths past 4 MiB
  Column<std::uint32_t> c;
  for (std::uint32_t i = 0; i < kCount; ++i) c.push_back(i * 7U);
  REQUIRE(c.size() == kCount);
  CHECK(c.bytes() >= twinscan::util::GrowingBlock::kMappedFrom);
  bool all_kept = true;
  for (std::uint32_t i = 0; i < kCount; ++i) all_kept = all_kept && c[i] == i * 7U;
  CHECK(all_kept);

  Column<std::uint32_t> copy = c;
  copy[kCount - 1] = 1;
  CHECK(c[kCount - 1] == (kCount - 1) * 7U);
  const std::uint32_t* storage = c.data();
  Column<std::uint32_t> moved = std::move(c);
  CHECK(moved.data() == storage);
  CHECK(c.empty());  // NOLINT: a moved-from column is empty
  c.push_back(5);    // and usable
  CHECK(c[0] == 5);

  moved.resize(kCount * 2, 9);
  CHECK(moved[kCount - 1] == (kCount - 1) * 7U);
  CHECK(moved[kCount * 2 - 1] == 9);
  const std::vector<std::uint32_t> tail = {1, 2, 3};
  moved.append(tail.begin(), tail.end());
  CHECK(moved.back() == 3);
  CHECK(moved[kCount] == 9);
  moved.assign(4, 8);  // smaller: the room is kept
  CHECK(moved.size() == 4);
  CHECK(moved.capacity() >= kCount * 2);
  CHECK(moved[3] == 8);
}

TEST_CASE("a borrowed column that outgrows its room by far moves to a mapping", "[column]") {
  std::array<std::uint64_t, 3> memory = {1, 2, 0};
  auto c = Column<std::uint64_t>::borrow(memory.data(), 2, memory.size());
  c.reserve(1'000'000);  // 8 MB
  CHECK_FALSE(c.borrowed());
  CHECK(c.capacity() >= 1'000'000);
  CHECK(std::vector<std::uint64_t>(c.begin(), c.end()) == std::vector<std::uint64_t>{1, 2});
  c.push_back(3);
  CHECK(memory[2] == 0);  // the borrowed memory is left alone
}
