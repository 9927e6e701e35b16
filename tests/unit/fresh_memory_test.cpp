// The large blocks the program maps for itself ask the kernel for transparent huge pages
// where they are filled from the front (a column grown past GrowingBlock's threshold, a
// large zeroed array used as a bump allocator's room), and for none where they are written
// here and there (a zeroed hash table, which huge pages would make resident whole): see
// util/huge_pages.h and docs/performance.md. The kernel lists the advice among a mapping's flags in
// /proc/self/smaps ("hg").
#include <catch2/catch.hpp>

#include <sys/mman.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/util/column.h"
#include "analyzer/util/huge_page_choice.h"
#include "analyzer/util/huge_pages.h"
#include "analyzer/util/zeroed_array.h"
#include "tests/unit/mapping_flags.h"

using twinscan::testing::vm_flags_of;
using twinscan::util::HugePagePolicy;
using twinscan::util::set_huge_page_policy;

namespace {

// Elements enough to grow a column three times past its mapping threshold.
constexpr std::size_t kPastThreshold =
    3 * twinscan::util::GrowingBlock::kMappedFrom / sizeof(std::uint64_t);

// Pushes 0, 1, ... kPastThreshold - 1 into `column`.
void grow_past_threshold(twinscan::util::Column<std::uint64_t>& column) {
  for (std::size_t i = 0; i < kPastThreshold; ++i) column.push_back(i);
  REQUIRE(column.bytes() >= twinscan::util::GrowingBlock::kMappedFrom);
}

// Grows a column past its mapping threshold and checks that its mapping asks for no huge
// pages (and still holds what was written).
void check_column_asks_for_no_huge_pages() {
  twinscan::util::Column<std::uint64_t> column;
  grow_past_threshold(column);
  const std::string flags = vm_flags_of(column.data());
  INFO(flags);
  REQUIRE_FALSE(flags.empty());
  CHECK(flags.find(" hg ") == std::string::npos);
  CHECK(column[kPastThreshold - 1] == kPastThreshold - 1);
}

}  // namespace

TEST_CASE("a column grown past its mapping threshold asks for huge pages", "[memory]") {
  set_huge_page_policy(HugePagePolicy::kAlways);
  twinscan::util::Column<std::uint64_t> column;
  const std::size_t n = kPastThreshold;
  grow_past_threshold(column);
  const std::string flags = vm_flags_of(column.data());
  INFO(flags);
  REQUIRE_FALSE(flags.empty());
  if (twinscan::testing::kernel_has_huge_pages()) CHECK(flags.find(" hg ") != std::string::npos);
  // On a huge page's boundary, so that every huge page of it can be one.
  CHECK(reinterpret_cast<std::uintptr_t>(column.data()) % twinscan::util::kHugePage == 0);
  // Grown by moving its pages, it still holds what was written.
  CHECK(column[n - 1] == n - 1);
  CHECK(column[n / 2] == n / 2);
  CHECK(column[0] == 0);
}

namespace {

// Maps a page right after [data, data + bytes) when the address is free, so that the
// mapping cannot grow in place; nullptr when it was not placed there.
void* block_after(void* data, std::size_t bytes) {
  void* wanted = static_cast<char*>(data) + bytes;
  void* p =
      ::mmap(wanted, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  // Before Linux 4.17 the flag is only a hint: a page placed elsewhere blocks nothing.
  if (p != wanted) {
    ::munmap(p, 4096);
    return nullptr;
  }
  return p;
}

}  // namespace

TEST_CASE("a huge-page mapping grows in place or moves, keeping its bytes and alignment",
          "[memory]") {
  set_huge_page_policy(HugePagePolicy::kAlways);
  using twinscan::util::kHugePage;
  std::size_t bytes = 2 * kHugePage;
  auto* data = static_cast<std::uint64_t*>(twinscan::util::map_in_huge_pages(bytes));
  REQUIRE(reinterpret_cast<std::uintptr_t>(data) % kHugePage == 0);
  std::size_t written = bytes / sizeof(std::uint64_t);
  for (std::size_t i = 0; i < written; ++i) data[i] = i * 7;
  // Three growths, each after a page mapped right behind the mapping where one can be: it
  // must move every time, and stay one mapping with everything written in it.
  for (int growth = 0; growth < 3; ++growth) {
    INFO("growth " << growth);
    void* blocker = block_after(data, bytes);
    const std::size_t new_bytes = bytes + 3 * kHugePage;
    auto* grown =
        static_cast<std::uint64_t*>(twinscan::util::grow_huge_mapping(data, bytes, new_bytes));
    if (blocker != nullptr) {
      CHECK(grown != data);
      ::munmap(blocker, 4096);
    }
    CHECK(reinterpret_cast<std::uintptr_t>(grown) % kHugePage == 0);
    bool kept = true;
    for (std::size_t i = 0; i < written; ++i) kept = kept && grown[i] == i * 7;
    CHECK(kept);
    // The new room reads as zeros; written to its end, it is still one mapping.
    const std::size_t n = new_bytes / sizeof(std::uint64_t);
    CHECK(grown[written] == 0);
    for (std::size_t i = written; i < n; ++i) grown[i] = i * 7;
    written = n;
    const auto [low, high] = twinscan::testing::mapping_bounds(grown);
    CHECK(low == reinterpret_cast<std::uintptr_t>(grown));
    CHECK(high == reinterpret_cast<std::uintptr_t>(grown) + new_bytes);
    if (twinscan::testing::kernel_has_huge_pages()) {
      const std::string flags = vm_flags_of(grown + n - 1);
      INFO(flags);
      CHECK(flags.find(" hg ") != std::string::npos);
    }
    data = grown;
    bytes = new_bytes;
  }
  ::munmap(data, bytes);
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

TEST_CASE("a large zeroed array filled from the front asks for huge pages; a small one does not",
          "[memory]") {
  set_huge_page_policy(HugePagePolicy::kAlways);
  using twinscan::util::ZeroedArray;
  using twinscan::util::ZeroedFill;
  constexpr std::size_t kLarge = ZeroedArray<std::uint64_t>::kHugeFrom / sizeof(std::uint64_t);
  ZeroedArray<std::uint64_t> large(kLarge, ZeroedFill::kFromTheFront);
  const std::string flags = vm_flags_of(large.begin());
  INFO(flags);
  REQUIRE_FALSE(flags.empty());
  if (twinscan::testing::kernel_has_huge_pages()) CHECK(flags.find(" hg ") != std::string::npos);
  CHECK(reinterpret_cast<std::uintptr_t>(large.begin()) % twinscan::util::kHugePage == 0);
  CHECK(large[0] == 0);
  CHECK(large[kLarge - 1] == 0);
  large[kLarge - 1] = 7;
  // Moved, it is still the one mapping, and is unmapped once (by the new owner).
  ZeroedArray<std::uint64_t> moved(std::move(large));
  CHECK(moved[kLarge - 1] == 7);
  CHECK(large.empty());

  // Below kHugeFrom a mapped array keeps 4 KiB pages, filled from the front or not.
  ZeroedArray<std::uint64_t> small(kLarge / 2, ZeroedFill::kFromTheFront);
  const std::string small_flags = vm_flags_of(small.begin());
  INFO(small_flags);
  REQUIRE_FALSE(small_flags.empty());
  CHECK(small_flags.find(" hg ") == std::string::npos);
}

TEST_CASE("huge pages are asked for over the whole huge pages of a range only", "[memory]") {
  set_huge_page_policy(HugePagePolicy::kAlways);
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
  if (twinscan::testing::kernel_has_huge_pages())
    CHECK(vm_flags_of(bytes + first).find(" hg ") != std::string::npos);
  CHECK(vm_flags_of(bytes).find(" hg ") == std::string::npos);
  ::munmap(p, length);
}

TEST_CASE("where huge pages do not pay, no mapping asks for them", "[memory]") {
  set_huge_page_policy(HugePagePolicy::kNever);
  CHECK_FALSE(twinscan::util::huge_pages_pay());
  check_column_asks_for_no_huge_pages();
  // Asked for them plainly, a range gets none either.
  const std::size_t length = 4 * twinscan::util::kHugePage;
  void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(p != MAP_FAILED);
  twinscan::util::advise_huge_pages(p, length);
  CHECK(vm_flags_of(static_cast<char*>(p) + twinscan::util::kHugePage).find(" hg ") ==
        std::string::npos);
  ::munmap(p, length);
  set_huge_page_policy(HugePagePolicy::kAlways);
  CHECK(twinscan::util::huge_pages_pay());
}

TEST_CASE("the choice of page size is named, measured and kept", "[memory]") {
  using twinscan::util::parse_huge_page_policy;
  CHECK(parse_huge_page_policy("measured") == HugePagePolicy::kMeasured);
  CHECK(parse_huge_page_policy("always") == HugePagePolicy::kAlways);
  CHECK(parse_huge_page_policy("never") == HugePagePolicy::kNever);
  CHECK_FALSE(parse_huge_page_policy("sometimes").has_value());
  CHECK_FALSE(parse_huge_page_policy("").has_value());
  // A fault costs something, and far less than 100 ms a megabyte on any machine that runs
  // this, in either kind of page.
  const twinscan::util::FreshPageCosts costs = twinscan::util::fresh_page_costs();
  CHECK(costs.small > 0.0);
  CHECK(costs.small < 100.0);
  CHECK(costs.huge > 0.0);
  CHECK(costs.huge < 100.0);
  // Measured once: every later answer is the first one.
  set_huge_page_policy(HugePagePolicy::kMeasured);
  const bool first = twinscan::util::huge_pages_pay();
  for (int i = 0; i < 3; ++i) CHECK(twinscan::util::huge_pages_pay() == first);
  set_huge_page_policy(HugePagePolicy::kAlways);
}

TEST_CASE("the probe stops at its first huge page dearer than 4 KiB pages", "[memory]") {
  using twinscan::util::huge_page_cost;
  std::vector<std::size_t> touched;
  const auto costs = [&touched](std::vector<double> of_page) {
    return [&touched, of_page](std::size_t page) {
      touched.push_back(page);
      return of_page.at(page);
    };
  };
  // Every page as cheap as 4 KiB pages or cheaper: their mean, all eight touched.
  CHECK(huge_page_cost(8, 0.5, costs({0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.5, 0.3})) == Approx(0.2));
  CHECK(touched.size() == 8);
  // The third is dearer: it is the measure, and the rest are left untouched.
  touched.clear();
  CHECK(huge_page_cost(8, 0.5, costs({0.1, 0.1, 2.4, 0.1, 0.1, 0.1, 0.1, 0.1})) == 2.4);
  CHECK(touched == std::vector<std::size_t>{0, 1, 2});
  // The first one already: one page touched, and huge pages are not chosen.
  touched.clear();
  const double first = huge_page_cost(8, 0.5, costs({3.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}));
  CHECK(touched.size() == 1);
  CHECK_FALSE(twinscan::util::HugePageChoice(twinscan::util::FreshPageCosts{0.5, first}).pays());
  // No page to touch measures nothing, which never pays.
  CHECK(std::isinf(huge_page_cost(0, 0.5, costs({}))));
}

TEST_CASE("huge pages chosen by measure stand only while they cost less than 4 KiB pages",
          "[memory]") {
  using twinscan::util::FreshPageCosts;
  using twinscan::util::HugePageChoice;
  // Chosen where the probe found huge pages cheaper, not where it found them dearer.
  CHECK(HugePageChoice(FreshPageCosts{0.5, 0.1}).pays());
  CHECK_FALSE(HugePageChoice(FreshPageCosts{0.5, 0.6}).pays());
  // A huge page of a block as cheap as 4 KiB pages keeps the choice; the first that costs
  // more ends it, and a cheap one after that does not bring it back.
  HugePageChoice choice(FreshPageCosts{0.5, 0.1});
  CHECK(choice.note_huge_page(0.2));
  CHECK(choice.note_huge_page(0.5));
  CHECK(choice.pays());
  CHECK_FALSE(choice.note_huge_page(2.3));
  CHECK_FALSE(choice.pays());
  CHECK_FALSE(choice.note_huge_page(0.1));
  CHECK(choice.small_cost() == 0.5);
  // Not chosen, a cheap huge page does not choose them either.
  HugePageChoice refused(FreshPageCosts{0.5, 0.9});
  CHECK_FALSE(refused.note_huge_page(0.1));
}

TEST_CASE("once a huge page of a block costs more than 4 KiB pages, later blocks ask for none",
          "[memory]") {
  set_huge_page_policy(HugePagePolicy::kMeasured);
  CHECK(twinscan::util::huge_pages_measured());
  // A huge page dearer than any 4 KiB page ends the process's choice of huge pages.
  CHECK_FALSE(twinscan::util::note_huge_page_cost(1e9));
  CHECK_FALSE(twinscan::util::huge_pages_pay());
  check_column_asks_for_no_huge_pages();
  set_huge_page_policy(HugePagePolicy::kAlways);
  CHECK_FALSE(twinscan::util::huge_pages_measured());
}

TEST_CASE("a block whose first huge page costs more than 4 KiB pages stays one mapping that grows",
          "[memory]") {
  // Huge pages chosen, and dearer than 4 KiB pages (which cost nothing here) at the first
  // block: the column's first mapping is checked and keeps 4 KiB pages, and growing it,
  // in place or by moving (one mapping only), still works.
  set_huge_page_policy(HugePagePolicy::kMeasured);
  twinscan::util::choose_huge_pages_from({0.0, -1.0});
  REQUIRE(twinscan::util::huge_pages_pay());
  twinscan::util::Column<std::uint64_t> column;
  for (int round = 0; round < 3; ++round) grow_past_threshold(column);
  for (std::size_t i = 0; i < 3 * kPastThreshold; i += 4099) CHECK(column[i] == i % kPastThreshold);
  const std::string flags = vm_flags_of(column.data());
  INFO(flags);
  CHECK(flags.find(" hg ") == std::string::npos);
  // Where the kernel gives huge pages, the first block's page was timed and turned the
  // choice (elsewhere the advice is refused and nothing is timed).
  if (twinscan::testing::kernel_has_huge_pages()) CHECK_FALSE(twinscan::util::huge_pages_pay());
  set_huge_page_policy(HugePagePolicy::kAlways);
}
