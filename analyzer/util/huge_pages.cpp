#include "analyzer/util/huge_pages.h"

#include <sys/mman.h>

#include <chrono>
#include <cstdint>
#include <new>

#include "analyzer/util/huge_page_choice.h"

namespace twinscan::util {

namespace {

std::uintptr_t address(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p);
}

// advise_huge_pages(), which under the measured choice first faults in the block's first
// whole huge page and times it (`check`): a block is advised when it is about to be filled
// from the front, so that page is touched soon anyway (an allocator's extent may start up
// to a huge page before it, with small allocations that fill it in turn). A block about to
// be replaced (the room a mapping moves into) is not checked: its page would be thrown
// away. One slow fault (a preempted thread) turns the choice as a dear page does: 4 KiB
// pages are the choice that never costs twenty times as much.
void advise(void* begin, std::size_t bytes, bool check) noexcept {
#ifdef MADV_HUGEPAGE
  // Where a fresh 4 KiB page costs little, huge pages cost more than they save.
  if (!huge_pages_pay()) return;
  // The first whole huge page and the end of the last, as addresses.
  const std::uintptr_t start = address(begin);
  const std::uintptr_t first = start + (kHugePage - start % kHugePage) % kHugePage;
  const std::uintptr_t end = (start + bytes) / kHugePage * kHugePage;
  if (end <= first) return;
  char* const pages = static_cast<char*>(begin) + (first - start);
  const std::size_t length = end - first;
  // A refusal (no transparent huge pages in this kernel) leaves 4 KiB pages.
  if (::madvise(pages, length, MADV_HUGEPAGE) != 0) return;
#ifdef MADV_POPULATE_WRITE
  if (check && length >= 2 * kHugePage && huge_pages_measured()) {
    // A failure to fault the page in (an old kernel) is no measure.
    const auto begun = std::chrono::steady_clock::now();
    if (::madvise(pages, kHugePage, MADV_POPULATE_WRITE) != 0) return;
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - begun;
    // Dearer than 4 KiB pages: the rest of the block keeps them. The whole block takes
    // the advice, its first page too (already faulted in, it stays a huge page), so that
    // it stays one mapping with one set of flags: a mapping grown by moving it
    // (grow_huge_mapping) must be one.
    if (!note_huge_page_cost(took.count() / (kHugePage / (1024.0 * 1024.0))))
      ::madvise(pages, length, MADV_NOHUGEPAGE);
  }
#else
  (void)check;
#endif
#else
  (void)begin;
  (void)bytes;
  (void)check;
#endif
}

// map_in_huge_pages(), with the advice checked or not (see advise()).
void* map_aligned(std::size_t bytes, bool check) {
  // A mapping one huge page longer than asked has an aligned stretch of `bytes` within
  // it; the ends on either side are given back.
  const std::size_t length = bytes + kHugePage;
  void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  char* const start = static_cast<char*>(p);
  const std::size_t head = (kHugePage - address(p) % kHugePage) % kHugePage;
  char* const data = start + head;
  if (head > 0) ::munmap(start, head);
  const std::size_t tail = length - head - bytes;
  if (tail > 0) ::munmap(data + bytes, tail);
  advise(data, bytes, check);
  return data;
}

}  // namespace

void* map_in_huge_pages(std::size_t bytes) {
  return map_aligned(bytes, true);
}

void* grow_huge_mapping(void* data, std::size_t old_bytes, std::size_t new_bytes) {
  if (new_bytes <= old_bytes) return data;
  // In place when the addresses after it are free.
  if (::mremap(data, old_bytes, new_bytes, 0) != MAP_FAILED) return data;
  // Else the pages move to a new aligned stretch of addresses, reserved by a mapping that
  // the move replaces, and the mapping grows as it moves: one call, so that it stays one
  // mapping (moving only the old size would leave the new room a mapping of its own, and
  // before Linux 6.17 mremap refuses a range over two mappings). To an unaligned address,
  // the move would split every huge page.
  void* moved = map_aligned(new_bytes, false);
  if (::mremap(data, old_bytes, new_bytes, MREMAP_MAYMOVE | MREMAP_FIXED, moved) == MAP_FAILED) {
    ::munmap(moved, new_bytes);
    throw std::bad_alloc();
  }
  return moved;
}

void advise_huge_pages(void* begin, std::size_t bytes) noexcept {
  advise(begin, bytes, true);
}

}  // namespace twinscan::util
