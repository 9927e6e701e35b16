#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

namespace twinscan::util {

/// A growable array of trivially copyable elements that either owns its storage or
/// borrows it: a region of a snapshot mapped privately (copy-on-write), with room left
/// after the elements. Borrowed columns grow in place while the room lasts, so merging a
/// small request into a mapped registry copies nothing; past it, the column moves its
/// elements to the heap. The graph's arrays are columns so that one type serves graphs
/// built from documents and graphs opened from snapshots.
template <typename T>
class Column {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  Column() = default;
  Column(const Column& other) : heap_(other.begin(), other.end()) { sync(); }
  Column(Column&& other) noexcept { take(std::move(other)); }
  Column& operator=(const Column& other) {
    if (this != &other) assign_range(other.begin(), other.end());
    return *this;
  }
  Column& operator=(Column&& other) noexcept {
    if (this != &other) take(std::move(other));
    return *this;
  }
  /// Takes over a vector's elements without copying them.
  Column& operator=(std::vector<T>&& vector) noexcept {
    heap_ = std::move(vector);
    borrowed_ = false;
    sync();
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
    if (borrowed_ && size_ < capacity_) {
      data_[size_++] = value;
      return;
    }
    const T copy = value;  // `value` may live in this column
    own(size_ + 1);
    heap_.push_back(copy);
    sync();
  }
  void reserve(std::size_t n) {
    if (n <= capacity_) return;
    own(n);
    heap_.reserve(n);
    sync();
  }
  void resize(std::size_t n, const T& value = T{}) {
    if (borrowed_ && n <= capacity_) {
      std::fill(data_ + std::min(n, size_), data_ + n, value);
      size_ = n;
      return;
    }
    own(n);
    heap_.resize(n, value);
    sync();
  }
  void assign(std::size_t n, const T& value) {
    if (borrowed_ && n <= capacity_) {
      std::fill(data_, data_ + n, value);
      size_ = n;
      return;
    }
    heap_.assign(n, value);
    borrowed_ = false;
    sync();
  }
  template <typename It>
  void append(It first, It last) {
    const auto n = static_cast<std::size_t>(std::distance(first, last));
    if (borrowed_ && size_ + n <= capacity_) {
      std::copy(first, last, data_ + size_);
      size_ += n;
      return;
    }
    own(size_ + n);
    heap_.insert(heap_.end(), first, last);
    sync();
  }

 private:
  // Moves borrowed elements to the heap, with room for at least `n`.
  void own(std::size_t n) {
    if (!borrowed_) return;
    std::vector<T> heap;
    heap.reserve(std::max(n, size_ + size_ / 2));
    heap.assign(data_, data_ + size_);
    heap_ = std::move(heap);
    borrowed_ = false;
    sync();
  }
  template <typename It>
  void assign_range(It first, It last) {
    heap_.assign(first, last);
    borrowed_ = false;
    sync();
  }
  void sync() {
    data_ = heap_.data();
    size_ = heap_.size();
    capacity_ = heap_.capacity();
  }
  void take(Column&& other) {
    heap_ = std::move(other.heap_);
    borrowed_ = other.borrowed_;
    if (borrowed_) {
      data_ = other.data_;
      size_ = other.size_;
      capacity_ = other.capacity_;
    } else {
      sync();
    }
    other.heap_.clear();
    other.borrowed_ = false;
    other.sync();
  }

  std::vector<T> heap_;
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  bool borrowed_ = false;
};

}  // namespace twinscan::util
