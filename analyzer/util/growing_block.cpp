#include "analyzer/util/growing_block.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "analyzer/util/huge_pages.h"

namespace twinscan::util {

void GrowingBlock::grow_to(std::size_t bytes, std::size_t keep) {
  if (bytes <= bytes_) return;
  keep = std::min(keep, bytes_);
  if (bytes < kMappedFrom) {
    // Within the allocator: realloc may extend the block where it lies.
    void* p = std::realloc(data_, bytes);
    if (p == nullptr) throw std::bad_alloc();
    data_ = p;
    bytes_ = bytes;
    return;
  }
  const std::size_t size = whole_huge_pages(bytes);
  if (mapped_) {
    data_ = grow_huge_mapping(data_, bytes_, size);
    bytes_ = size;
    return;
  }
  void* p = map_in_huge_pages(size);
  if (keep > 0) std::memcpy(p, data_, keep);
  std::free(data_);
  data_ = p;
  bytes_ = size;
  mapped_ = true;
}

void GrowingBlock::discard_after(std::size_t bytes) noexcept {
  if (!mapped_ || bytes >= bytes_) return;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t from = (bytes + page - 1) / page * page;
  // A mapping is a whole number of pages: its end is one.
  if (from < bytes_) ::madvise(static_cast<char*>(data_) + from, bytes_ - from, MADV_DONTNEED);
}

void GrowingBlock::release() noexcept {
  if (data_ != nullptr) {
    if (mapped_) {
      ::munmap(data_, bytes_);
    } else {
      std::free(data_);
    }
  }
  data_ = nullptr;
  bytes_ = 0;
  mapped_ = false;
}

void GrowingBlock::swap(GrowingBlock& other) noexcept {
  std::swap(data_, other.data_);
  std::swap(bytes_, other.bytes_);
  std::swap(mapped_, other.mapped_);
}

}  // namespace twinscan::util
