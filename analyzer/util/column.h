#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <span>
#include <type_traits>

#include "analyzer/util/growing_block.h"

namespace twinscan::util {

/// A growable array of trivially copyable elements that either owns its storage or
/// borrows it: a region of a snapshot mapped privately (copy-on-write), with room left
/// after the elements. Borrowed columns grow in place while the room lasts, so merging a
/// small request into a mapped registry copies nothing; past it, the column moves its
/// elements to storage of its own. The graph's arrays are columns so that one type serves
/// graphs built from documents and graphs opened from snapshots. Owned storage is a
/// GrowingBlock: a large column grows without copying its elements.
template <typename T>
class Column {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  Column() = default;
  Column(const Column& other) { assign_range(other.begin(), other.end()); }
  Column(Column&& other) noexcept { take(other); }
  Column& operator=(const Column& other) {
    if (this != &other) assign_range(other.begin(), other.end());
    return *this;
  }
  Column& operator=(Column&& other) noexcept {
    if (this != &other) {
      block_.release();
      take(other);
    }
    return *this;
  }

  /// A column over `size` elements at `data`, which may grow in place up to `capacity`.
  /// The memory must outlive the column and be writable up to `capacity`.
  static Column borrow(T* data, std::size_t size, std::size_t capacity) {
    Column c;
    c.data_ = data;
    c.size_ = size;
    c.capacity_ = std::max(size, capacity);
    c.borrowed_ = true;
    return c;
  }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  [[nodiscard]] bool borrowed() const { return borrowed_; }
  /// Bytes of the elements and their room, wherever they live.
  [[nodiscard]] std::size_t bytes() const { return capacity_ * sizeof(T); }

  [[nodiscard]] T* data() { return data_; }
  [[nodiscard]] const T* data() const { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  [[nodiscard]] T* begin() { return data_; }
  [[nodiscard]] T* end() { return data_ + size_; }
  [[nodiscard]] const T* begin() const { return data_; }
  [[nodiscard]] const T* end() const { return data_ + size_; }
  T& front() { return data_[0]; }
  const T& front() const { return data_[0]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }
  operator std::span<const T>() const { return {data_, size_}; }  // NOLINT: a view

  void push_back(const T& value) {
    if (size_ == capacity_) {
      const T copy = value;  // `value` may live in this column
      make_room(size_ + 1);
      data_[size_++] = copy;
      return;
    }
    data_[size_++] = value;
  }
  void clear() { size_ = 0; }
  /// Gives back the memory of the room past the elements (in a large column of its own:
  /// see GrowingBlock::discard_after), which a column that shrank no longer needs. The
  /// capacity stays: growing into that room again finds it zeroed.
  void discard_unused() noexcept {
    if (!borrowed_) block_.discard_after(size_ * sizeof(T));
  }
  /// Room for `n` elements in all, exactly (room beyond what is written costs no memory
  /// in a large column: see GrowingBlock).
  void reserve(std::size_t n) {
    if (n > capacity_) move_to(n);
  }
  void resize(std::size_t n, const T& value = T{}) {
    if (n > capacity_) make_room(n);
    if (n > size_) std::fill(data_ + size_, data_ + n, value);
    size_ = n;
  }
  void assign(std::size_t n, const T& value) {
    size_ = 0;
    resize(n, value);
  }
  template <typename It>
  void append(It first, It last) {
    const auto n = static_cast<std::size_t>(std::distance(first, last));
    if (size_ + n > capacity_) make_room(size_ + n);  // `first` may not point into this column
    std::copy(first, last, data_ + size_);
    size_ += n;
  }

 private:
  // Room for at least `n`, growing geometrically so that appending one at a time costs
  // amortised constant time.
  void make_room(std::size_t n) {
    move_to(std::max({n, capacity_ + capacity_ / 2, std::size_t{16}}));
  }
  // Room for `n` (more than the capacity) in storage of the column's own.
  void move_to(std::size_t n) {
    if (borrowed_) {
      GrowingBlock block;
      block.grow_to(n * sizeof(T), 0);
      if (size_ > 0) std::memcpy(block.data(), data_, size_ * sizeof(T));
      block_ = std::move(block);
      borrowed_ = false;
    } else {
      block_.grow_to(n * sizeof(T), size_ * sizeof(T));
    }
    data_ = static_cast<T*>(block_.data());
    capacity_ = block_.bytes() / sizeof(T);
  }
  template <typename It>
  void assign_range(It first, It last) {
    const auto n = static_cast<std::size_t>(std::distance(first, last));
    if (borrowed_ || n > capacity_) {
      // Fresh storage: the old (or the borrowed memory) is left as it is.
      Column fresh;
      fresh.move_to(std::max<std::size_t>(n, 1));
      take(fresh);
    }
    std::copy(first, last, data_);
    size_ = n;
  }
  void take(Column& other) noexcept {
    block_ = std::move(other.block_);
    data_ = other.data_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    borrowed_ = other.borrowed_;
    other.data_ = nullptr;
    other.size_ = 0;
    other.capacity_ = 0;
    other.borrowed_ = false;
  }

  GrowingBlock block_;  // the storage of an owned column
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  bool borrowed_ = false;
};

}  // namespace twinscan::util
