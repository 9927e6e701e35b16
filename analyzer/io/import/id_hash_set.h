#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "analyzer/util/hash.h"
#include "analyzer/util/prefetch.h"
#include "analyzer/util/zeroed_array.h"

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
    if (!slots_.empty()) util::prefetch(&slots_[(h == 0 ? 1 : h) & mask_]);
  }

 private:
  void rehash(std::size_t cap) {
    Slots old(cap);
    old.swap(slots_);
    mask_ = cap - 1;
    size_ = 0;
    for (std::uint64_t h : old) {
      if (h != 0) insert(h);
    }
  }
  using Slots = util::ZeroedArray<std::uint64_t>;
  Slots slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

/// IdHashSet's smaller, inexact sibling, for guesses that are checked later: it keeps 32
/// bits of each hash, so it may say that a hash is there that is not (when those bits
/// equal those of one of the n hashes held: about n in 2^32 lookups), never the reverse.
/// Half the memory: the table of the ids a worker has seen stays in its core's cache
/// under the stream of rows (at 2 MB a slot, a lookup waits on memory).
class HashGuessSet {
 public:
  [[nodiscard]] bool contains(std::uint64_t h) const {
    if (slots_.empty()) return false;
    const std::uint32_t t = tag(h);
    for (std::size_t i = home(t);; i = (i + 1) & mask_) {
      if (slots_[i] == t) return true;
      if (slots_[i] == 0) return false;
    }
  }
  void insert(std::uint64_t h) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(std::max<std::size_t>(1024, slots_.size() * 2));
    const std::uint32_t t = tag(h);
    for (std::size_t i = home(t);; i = (i + 1) & mask_) {
      if (slots_[i] == t) return;
      if (slots_[i] == 0) {
        slots_[i] = t;
        ++size_;
        return;
      }
    }
  }
  void prefetch(std::uint64_t h) const {
    if (!slots_.empty()) util::prefetch(&slots_[home(tag(h))]);
  }

 private:
  static std::uint32_t tag(std::uint64_t h) {
    const auto t = static_cast<std::uint32_t>(h >> 32U);
    return t == 0 ? 1 : t;
  }
  // The slot a tag starts from, mixed from all its bits: two tags share a slot by chance,
  // and are still told apart by all 32 bits (were it the tag's low bits, only the others
  // would tell them apart).
  [[nodiscard]] std::size_t home(std::uint32_t t) const {
    return static_cast<std::size_t>((std::uint64_t{t} * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  void rehash(std::size_t cap) {
    std::vector<std::uint32_t> old(cap, 0);
    old.swap(slots_);
    mask_ = cap - 1;
    shift_ = 64U - static_cast<unsigned>(__builtin_ctzll(cap));
    for (std::uint32_t t : old) {
      if (t == 0) continue;
      std::size_t i = home(t);
      while (slots_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = t;
    }
  }
  std::vector<std::uint32_t> slots_;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace twinscan::imports
