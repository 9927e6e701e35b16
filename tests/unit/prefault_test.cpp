// Faulting in a buffer's back half on a second thread (util::BackHalfPrefault): the pages
// of the back half are in memory once it is done, the front half is left to the writer,
// what the buffer held reads the same, and a small buffer starts no thread.
#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <vector>

#include "analyzer/util/prefault.h"

namespace {

// A fresh anonymous mapping of `bytes`, without huge pages (so that residency is counted
// page by page), unmapped when it goes.
struct FreshMapping {
  explicit FreshMapping(std::size_t n) : bytes(n) {
    data = static_cast<unsigned char*>(
        ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    REQUIRE(data != MAP_FAILED);
    ::madvise(data, bytes, MADV_NOHUGEPAGE);
  }
  FreshMapping(const FreshMapping&) = delete;
  FreshMapping& operator=(const FreshMapping&) = delete;
  ~FreshMapping() { ::munmap(data, bytes); }

  // How many pages of [from, to) are in memory.
  std::size_t resident(std::size_t from, std::size_t to) const {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> in((bytes + page - 1) / page);
    REQUIRE(::mincore(data, bytes, in.data()) == 0);
    std::size_t n = 0;
    for (std::size_t p = from / page; p < (to + page - 1) / page; ++p) n += in[p] & 1U;
    return n;
  }

  unsigned char* data = nullptr;
  std::size_t bytes = 0;
};

}  // namespace

TEST_CASE("the back half of a large buffer is faulted in, its contents untouched", "[prefault]") {
  const std::size_t bytes = std::size_t{32} << 20;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  FreshMapping buffer(bytes);
  // Some bytes written before, in both halves.
  std::memset(buffer.data, 0x5a, page);
  std::memset(buffer.data + bytes - 3 * page, 0xa5, page);
  const std::size_t back_pages = bytes / 2 / page;
  REQUIRE(buffer.resident(bytes / 2, bytes) == 1);  // only the page written
  { const twinscan::util::BackHalfPrefault prefault(buffer.data, bytes); }
  CHECK(buffer.resident(bytes / 2, bytes) == back_pages);
  CHECK(buffer.resident(page, bytes / 2) == 0);  // the front is the writer's
  for (std::size_t i = 0; i < page; ++i) {
    REQUIRE(buffer.data[i] == 0x5a);
    REQUIRE(buffer.data[bytes - 3 * page + i] == 0xa5);
  }
  // The pages faulted in read as zeros.
  for (std::size_t i = bytes / 2; i < bytes - 3 * page; i += page) REQUIRE(buffer.data[i] == 0);
}

TEST_CASE("a buffer under the least size, or none, is left alone", "[prefault]") {
  const std::size_t bytes = twinscan::util::BackHalfPrefault::kLeastBytes - 4096;
  FreshMapping buffer(bytes);
  { const twinscan::util::BackHalfPrefault prefault(buffer.data, bytes); }
  CHECK(buffer.resident(0, bytes) == 0);
  { const twinscan::util::BackHalfPrefault none(nullptr, std::size_t{64} << 20); }
}
