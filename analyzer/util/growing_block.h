#pragma once

#include <cstddef>

namespace twinscan::util {

/// Raw memory for an array that grows by appending (Column). Blocks under kMappedFrom
/// come from the allocator; larger ones are private anonymous mappings in huge pages
/// (util/huge_pages.h), grown a huge page at a time at least: the kernel moves their page tables,
/// so growing copies nothing, and pages already written are neither copied nor zeroed again. (A
/// vector that doubles copies its elements at each step into fresh memory, which the kernel zeroes
/// first: building a national registry's graph zeroed 2 GB of pages for an 865 MB peak, two fifths
/// of its builder thread's time.) Pages of a mapping are only backed once written, so room reserved
/// costs address space, not memory.
class GrowingBlock {
 public:
  static constexpr std::size_t kMappedFrom = std::size_t{4} << 20;

  GrowingBlock() = default;
  GrowingBlock(const GrowingBlock&) = delete;
  GrowingBlock& operator=(const GrowingBlock&) = delete;
  GrowingBlock(GrowingBlock&& other) noexcept { swap(other); }
  GrowingBlock& operator=(GrowingBlock&& other) noexcept {
    GrowingBlock(static_cast<GrowingBlock&&>(other)).swap(*this);
    return *this;
  }
  ~GrowingBlock() { release(); }

  [[nodiscard]] void* data() const { return data_; }
  /// Bytes the block holds (at least what was asked for).
  [[nodiscard]] std::size_t bytes() const { return bytes_; }
  [[nodiscard]] bool mapped() const { return mapped_; }

  /// Makes the block hold at least `bytes`, keeping its first `keep` bytes (at most its
  /// size); it may move. Throws std::bad_alloc when the memory cannot be had.
  void grow_to(std::size_t bytes, std::size_t keep);
  /// Gives back the memory of the whole pages past the first `bytes` of a mapped block,
  /// which then read as zeros; the block keeps its size (an allocator's block keeps all).
  void discard_after(std::size_t bytes) noexcept;
  /// Gives the memory back; the block is then empty.
  void release() noexcept;
  void swap(GrowingBlock& other) noexcept;

 private:
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
  bool mapped_ = false;
};

}  // namespace twinscan::util
