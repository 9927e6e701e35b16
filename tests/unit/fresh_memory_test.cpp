// The large blocks the program maps for itself ask the kernel for transparent huge pages
// where they are filled from the front (a column grown past GrowingBlock's threshold), and
// for none where they are written here and there (a zeroed hash table, which huge pages
// would make resident whole): see util/huge_pages.h and docs/performance.md. The kernel
// lists the advice among a mapping's flags in /proc/self/smaps ("hg").
#include <catch2/catch.hpp>

#include <sys/mman.h>

#include <cstdint>
#include <string>

#include "analyzer/util/column.h"
#include "analyzer/util/huge_pages.h"
#include "analyzer/util/zeroed_array.h"
#include "tests/unit/mapping_flags.h"

using twinscan::testing::vm_flags_of;

TEST_CASE("a column grown past its mapping threshold asks for huge pages", "[memory]") {
  twinscan::util::Column<std::uint64_t> column;
  const std::size_t n = 3 * twinscan::util::GrowingBlock::kMappedFrom / sizeof(std::uint64_t);
  for (std::size_t i = 0; i < n; ++i) column.push_back(i);
  REQUIRE(column.bytes() >= twinscan::util::GrowingBlock::kMappedFrom);
  const std::string flags = vm_flags_of(column.data());
  INFO(flags);
  REQUIRE_FALSE(flags.empty());
  CHECK(flags.find(" hg ") != std::string::npos);
  // On a huge page's boundary, so that every huge page of it can be one.
  CHECK(reinterpret_cast<std::uintptr_t>(column.data()) % twinscan::util::kHugePage == 0);
  // Grown by moving its pages, it still holds what was written.
  CHECK(column[n - 1] == n - 1);
  CHECK(column[n / 2] == n / 2);
  CHECK(column[0] == 0);
}

TEST_CASE("a huge-page mapping grows in place or moves, keeping its bytes and alignment",
          "[memory]") {
  using twinscan::util::kHugePage;
  const std::size_t old_bytes = 2 * kHugePage;
  auto* data = static_cast<std::uint64_t*>(twinscan::util::map_in_huge_pages(old_bytes));
  REQUIRE(reinterpret_cast<std::uintptr_t>(data) % kHugePage == 0);
  const std::size_t n = old_bytes / sizeof(std::uint64_t);
  for (std::size_t i = 0; i < n; ++i) data[i] = i * 7;
  // A mapping put right after it leaves no room to grow in place: the pages must move.
  void* blocker = nullptr;
  {
    void* wanted = reinterpret_cast<char*>(data) + old_bytes;
    blocker = ::mmap(wanted, kHugePage, PROT_READ,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  }
  const bool blocked = blocker != MAP_FAILED;
  const std::size_t new_bytes = 5 * kHugePage;
  auto* grown =
      static_cast<std::uint64_t*>(twinscan::util::grow_huge_mapping(data, old_bytes, new_bytes));
  if (blocked) {
    CHECK(grown != data);
    ::munmap(blocker, kHugePage);
  }
  CHECK(reinterpret_cast<std::uintptr_t>(grown) % kHugePage == 0);
  bool kept = true;
  for (std::size_t i = 0; i < n; ++i) kept = kept && grown[i] == i * 7;
  CHECK(kept);
  // The new room reads as zeros and can be written to its end.
  CHECK(grown[n] == 0);
  grown[new_bytes / sizeof(std::uint64_t) - 1] = 1;
  const std::string flags = vm_flags_of(grown + new_bytes / sizeof(std::uint64_t) - 1);
  INFO(flags);
  CHECK(flags.find(" hg ") != std::string::npos);
  ::munmap(grown, new_bytes);
}

TEST_CASE("a large zeroed table, written here and there, asks for no huge pages", "[memory]") {
  twinscan::util::ZeroedArray<std::uint32_t> table(std::size_t{4} << 20);
  const std::string flags = vm_flags_of(table.begin());
  INFO(flags);
  REQUIRE_FALSE(flags.empty());
  CHECK(flags.find(" hg ") == std::string::npos);
  CHECK(table[0] == 0);
  CHECK(table[table.size() - 1] == 0);
}

TEST_CASE("huge pages are asked for over the whole huge pages of a range only", "[memory]") {
  using twinscan::util::kHugePage;
  const std::size_t length = 4 * kHugePage;
  void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(p != MAP_FAILED);
  char* const bytes = static_cast<char*>(p);
  // A range within one huge page holds no whole one: nothing is asked.
  twinscan::util::advise_huge_pages(bytes + 100, 50);
  CHECK(vm_flags_of(bytes + 100).find(" hg ") == std::string::npos);
  // Over nearly all of it: the whole huge pages inside are advised, the ends are not.
  twinscan::util::advise_huge_pages(bytes + 1, length - 2);
  const auto start = reinterpret_cast<std::uintptr_t>(bytes);
  const std::size_t first =
      (kHugePage - start % kHugePage) % kHugePage + (start % kHugePage == 0 ? kHugePage : 0);
  CHECK(vm_flags_of(bytes + first).find(" hg ") != std::string::npos);
  CHECK(vm_flags_of(bytes).find(" hg ") == std::string::npos);
  ::munmap(p, length);
}
