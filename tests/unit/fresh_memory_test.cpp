// The large blocks the program maps for itself (a column grown past GrowingBlock's
// threshold, a zeroed table) ask the kernel for no transparent huge pages: on a virtual
// machine that hands freed memory back to its host, a fresh huge page costs far more to
// fault in than 4 KiB pages (docs/performance.md, "No huge pages asked for"). The kernel
// lists the advice among a mapping's flags in /proc/self/smaps ("hg").
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "analyzer/util/column.h"
#include "analyzer/util/zeroed_array.h"

namespace {

// The "VmFlags:" line of the mapping that holds `p`, or "" when no mapping does.
std::string vm_flags_of(const void* p) {
  const auto address = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long long low = 0;
    unsigned long long high = 0;
    // A mapping's first line: "low-high perms offset device inode path".
    if (std::sscanf(line.c_str(), "%llx-%llx ", &low, &high) == 2 &&
        line.find(':') > line.find(' ')) {
      inside = address >= low && address < high;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line + " ";
  }
  return "";
}

}  // namespace

TEST_CASE("a column grown past its mapping threshold asks for no huge pages", "[memory]") {
  twinscan::util::Column<std::uint64_t> column;
  const std::size_t n = 3 * twinscan::util::GrowingBlock::kMappedFrom / sizeof(std::uint64_t);
  for (std::size_t i = 0; i < n; ++i) column.push_back(i);
  REQUIRE(column.bytes() >= twinscan::util::GrowingBlock::kMappedFrom);
  const std::string flags = vm_flags_of(column.data());
  INFO(flags);
  REQUIRE_FALSE(flags.empty());
  CHECK(flags.find(" hg ") == std::string::npos);
  // Grown by mremap, it still holds what was written.
  CHECK(column[n - 1] == n - 1);
  CHECK(column[n / 2] == n / 2);
}

TEST_CASE("a large zeroed table asks for no huge pages", "[memory]") {
  twinscan::util::ZeroedArray<std::uint32_t> table(std::size_t{4} << 20);
  const std::string flags = vm_flags_of(table.begin());
  INFO(flags);
  REQUIRE_FALSE(flags.empty());
  CHECK(flags.find(" hg ") == std::string::npos);
  CHECK(table[0] == 0);
  CHECK(table[table.size() - 1] == 0);
}
