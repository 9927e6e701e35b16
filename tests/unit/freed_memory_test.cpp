// util::return_freed_memory gives freed pages back to the system at once: a scan calls it
// between its rules and its report, so that the rules' freed working memory does not
// count against the report's peak. The unit tests run on glibc's allocator (the binary's
// jemalloc is not linked into them); the sanitizers bring an allocator of their own,
// whose freed memory is held in quarantine by design, so there only the call is made.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "analyzer/util/freed_memory.h"

#if defined(__SANITIZE_ADDRESS__)
#define TWINSCAN_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TWINSCAN_TEST_SANITIZED 1
#endif
#endif

namespace {

// The process's resident memory, in bytes (the second field of /proc/self/statm).
std::size_t resident_bytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  REQUIRE(statm != nullptr);
  unsigned long total = 0;
  unsigned long resident = 0;
  const int read = std::fscanf(statm, "%lu %lu", &total, &resident);
  std::fclose(statm);
  REQUIRE(read == 2);
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

TEST_CASE("memory freed in the middle of the heap goes back to the system", "[memory]") {
  constexpr std::size_t kBlocks = 4096;
  constexpr std::size_t kBlockSize = 16 << 10;  // under every allocator's threshold to map
  std::vector<std::unique_ptr<char[]>> blocks(kBlocks);
  for (auto& block : blocks) {
    block = std::make_unique<char[]>(kBlockSize);
    std::memset(block.get(), 1, kBlockSize);  // resident
  }
  // The last block stays, above the others: nothing freed is at the top of the heap,
  // where an allocator gives memory back by itself.
  for (std::size_t i = 0; i + 1 < kBlocks; ++i) blocks[i].reset();
  const std::size_t before = resident_bytes();
  twinscan::util::return_freed_memory();
  const std::size_t after = resident_bytes();
#ifndef TWINSCAN_TEST_SANITIZED
  // 64 MB were freed; at least half of it leaves.
  CHECK(before - std::min(before, after) >= kBlocks * kBlockSize / 2);
#else
  CHECK((before > 0 && after > 0));
#endif
  blocks.back().reset();
}
