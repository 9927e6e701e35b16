#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#include "analyzer/util/huge_pages.h"

namespace twinscan::util {

/// How a ZeroedArray's slots are first written: here and there (a hash table, an index by
/// entity), or in order from the front (the room a bump allocator hands out).
enum class ZeroedFill { kHereAndThere, kFromTheFront };

/// An array of `n` T whose bytes start as zero, for hash tables whose empty slot is all
/// zero bits. From 2 MiB the memory is mapped from the kernel, which zeroes each page when
/// it is first touched: a table of 48 MB costs nothing before its first use, and its pages
/// are zeroed as the work fills them (on a virtual machine, touching fresh memory is slow:
/// zeroing such a table up front took an import a tenth of its time, on one thread,
/// before anything else could start).
///
/// Filled from the front, a large array (kHugeFrom and more) is mapped in huge pages: one
/// fault per 2 MiB rather than 512, at most one huge page beyond what is written. Written
/// here and there, it keeps 4 KiB pages, so that only the pages written are backed.
template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  static constexpr std::size_t kMappedFrom = std::size_t{2} << 20;
  /// From this size an array filled from the front is mapped in huge pages. Below it, the
  /// huge page that holds the array's end would be a large part of what it uses (a scan
  /// of 10^5 entities keeps a few megabytes of reaches and shares).
  static constexpr std::size_t kHugeFrom = std::size_t{32} << 20;

  ZeroedArray() = default;
  explicit ZeroedArray(std::size_t n, ZeroedFill fill = ZeroedFill::kHereAndThere) : size_(n) {
    if (n == 0) return;
    const std::size_t bytes = n * sizeof(T);
    void* p = nullptr;
    if (bytes >= kHugeFrom && fill == ZeroedFill::kFromTheFront) {
      mapped_ = whole_huge_pages(bytes);
      p = map_in_huge_pages(mapped_);
    } else if (bytes >= kMappedFrom) {
      p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      mapped_ = bytes;
    } else {
      p = std::calloc(n, sizeof(T));
      if (p == nullptr) throw std::bad_alloc();
    }
    data_ = static_cast<T*>(p);
  }
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;
  ZeroedArray(ZeroedArray&& other) noexcept { swap(other); }
  ZeroedArray& operator=(ZeroedArray&& other) noexcept {
    ZeroedArray(std::move(other)).swap(*this);
    return *this;
  }
  ~ZeroedArray() {
    if (data_ == nullptr) return;
    if (mapped_ != 0) {
      ::munmap(data_, mapped_);
    } else {
      std::free(data_);
    }
  }
  void swap(ZeroedArray& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(mapped_, other.mapped_);
  }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t mapped_ = 0;  ///< Bytes mapped from the kernel; 0 when allocated.
};

}  // namespace twinscan::util
