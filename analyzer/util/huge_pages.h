// Large arrays in transparent huge pages. On a virtual machine whose hypervisor traps the
// first touch of every 4 KiB page, filling fresh memory can be slow: on the 2-core machine
// of docs/performance.md ("Huge pages for the growing columns and large registries"),
// 200 MB of 4 KiB pages once took 600 ms to fill, against 380 ms in huge pages the first
// time and 11 ms once the process had huge pages to reuse. A huge page is one fault where
// 4 KiB pages are 512. At other times 4 KiB pages cost a sixth of that and huge pages
// more: the advice is given only where util::huge_pages_pay() says it pays. The system's
// setting still rules: where transparent huge pages are "never", the advice does nothing.
#pragma once

#include <cstddef>

namespace twinscan::util {

/// The size and alignment of a huge page on x86-64 and most arm64 kernels.
inline constexpr std::size_t kHugePage = std::size_t{2} << 20;

/// `bytes` rounded up to whole huge pages.
[[nodiscard]] constexpr std::size_t whole_huge_pages(std::size_t bytes) {
  return (bytes + kHugePage - 1) & ~(kHugePage - 1);
}

/// Maps `bytes` (whole huge pages) of fresh private anonymous memory, reading as zeros, at
/// an address aligned to a huge page, and asks for huge pages there. Throws std::bad_alloc
/// when the memory cannot be had.
[[nodiscard]] void* map_in_huge_pages(std::size_t bytes);

/// Grows a mapping made by map_in_huge_pages (and only grown by this) from `old_bytes` to
/// `new_bytes` (both whole huge pages), keeping what it holds, its alignment and its being
/// one mapping; it may move. Pages are moved with their page tables, not copied: a huge
/// page stays whole. Throws std::bad_alloc when the memory cannot be had (the old mapping
/// is then left as it was).
[[nodiscard]] void* grow_huge_mapping(void* data, std::size_t old_bytes, std::size_t new_bytes);

/// Asks for huge pages over the whole huge pages within [`begin`, `begin` + `bytes`), in
/// memory this program owns (an allocator's large block). Does nothing when there are none,
/// or when huge pages do not pay (util::huge_pages_pay()).
void advise_huge_pages(void* begin, std::size_t bytes) noexcept;

}  // namespace twinscan::util
