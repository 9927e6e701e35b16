#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "analyzer/util/hash.h"
#include "analyzer/util/huge_page_allocator.h"

namespace twinscan::imports {

/// The 64-bit hash by which an importer keeps an id (two ids share one with a chance of
/// about 2^-64 a pair).
inline std::uint64_t id_hash(std::string_view id) {
  return util::hash_bytes(id.data(), id.size(), 0);
}

/// A set of 64-bit hashes of ids or relation keys: open addressing with linear probing,
/// at most half full.
class IdHashSet {
 public:
  void reserve(std::size_t n) {
    std::size_t cap = 1024;
    while (cap < n * 2) cap <<= 1U;
    if (cap > slots_.size()) rehash(cap);
  }
  [[nodiscard]] bool contains(std::uint64_t h) const {
    if (slots_.empty()) return false;
    h = h == 0 ? 1 : h;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == h) return true;
      if (slots_[i] == 0) return false;
    }
  }
  /// False when `h` was there already.
  bool insert(std::uint64_t h) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(std::max<std::size_t>(1024, slots_.size() * 2));
    h = h == 0 ? 1 : h;
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == h) return false;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++size_;
        return true;
      }
    }
  }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  /// Asks for the slot of `h` to be brought into the cache (a lookup follows).
  void prefetch(std::uint64_t h) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[(h == 0 ? 1 : h) & mask_]);
  }

 private:
  void rehash(std::size_t cap) {
    Slots old(cap, 0);
    old.swap(slots_);
    mask_ = cap - 1;
    size_ = 0;
    for (std::uint64_t h : old) {
      if (h != 0) insert(h);
    }
  }
  using Slots = std::vector<std::uint64_t, util::HugePageAllocator<std::uint64_t>>;
  Slots slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace twinscan::imports
