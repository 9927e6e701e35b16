// Columns: borrowed storage grows in place while its room lasts, then moves to the heap
// without losing or altering an element.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>

#include "analyzer/util/column.h"

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
  owned = std::vector<int>{1, 2, 3};
  CHECK(owned.size() == 3);
  CHECK(owned.back() == 3);
}
