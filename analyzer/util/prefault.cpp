#include "analyzer/util/prefault.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace twinscan::util {

BackHalfPrefault::BackHalfPrefault(void* begin, std::size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  if (begin == nullptr || bytes < kLeastBytes) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto start = reinterpret_cast<std::uintptr_t>(begin);
  // Whole pages of the back half only: the pages around it may hold other data.
  const std::uintptr_t from = (start + bytes / 2 + page - 1) / page * page;
  const std::uintptr_t to = (start + bytes) / page * page;
  if (to <= from) return;
  thread_ = std::thread([from, to] {
    // A failure (an old kernel, memory short) only leaves the faults to the writer.
    ::madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE);
  });
#else
  (void)begin;
  (void)bytes;
#endif
}

BackHalfPrefault::~BackHalfPrefault() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace twinscan::util
