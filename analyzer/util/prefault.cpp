#include "analyzer/util/prefault.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <system_error>

namespace twinscan::util {

BackHalfPrefault::BackHalfPrefault(void* begin, std::size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  if (begin == nullptr || bytes < kLeastBytes) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto start = reinterpret_cast<std::uintptr_t>(begin);
  // Whole pages of the back half only: the pages around it may hold other data.
  // Offsets from `begin` of the first whole page of the back half and of the end of the
  // last.
  const std::uintptr_t first = (start + bytes / 2 + page - 1) / page * page - start;
  const std::uintptr_t end = (start + bytes) / page * page - start;
  if (end <= first) return;
  char* const pages = static_cast<char*>(begin) + first;
  const std::size_t length = end - first;
  try {
    thread_ = std::thread([pages, length] {
      // A failure (an old kernel, memory short) only leaves the faults to the writer.
      ::madvise(pages, length, MADV_POPULATE_WRITE);
    });
  } catch (const std::system_error&) {
    // No thread to be had (a system limit): the writer faults the pages in itself.
  }
#else
  (void)begin;
  (void)bytes;
#endif
}

BackHalfPrefault::~BackHalfPrefault() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace twinscan::util
