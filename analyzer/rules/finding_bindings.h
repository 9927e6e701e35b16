// A finding's named variables and the ids they bound, kept in one buffer.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twinscan::rules {

/// The bindings of a finding: (variable name, id) pairs, in the order they were added,
/// read as pairs of views. A scan keeps hundreds of thousands of findings until it
/// reports them, and a vector of string pairs took a block of 64 bytes per binding
/// besides its texts; here each binding is its two lengths (a byte each when under 128)
/// and its two texts, end to end in one string, so that a finding's bindings are one
/// small block. Texts may hold any byte, NUL included.
class FindingBindings {
 public:
  using value_type = std::pair<std::string_view, std::string_view>;

  class const_iterator {
   public:
    // An input iterator: it yields pairs of views by value (into the bindings' buffer,
    // which outlives it), not references.
    using iterator_category = std::input_iterator_tag;
    using value_type = FindingBindings::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = value_type;

    const_iterator() = default;
    value_type operator*() const { return current_; }
    const_iterator& operator++() {
      at_ = next_;
      read();
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.at_ == b.at_;
    }

   private:
    friend class FindingBindings;
    const_iterator(const char* at, const char* end) : at_(at), end_(end) { read(); }
    void read() {
      if (at_ == end_) return;
      const char* p = at_;
      const std::size_t name_size = read_size(p);
      const std::size_t id_size = read_size(p);
      current_ = {std::string_view(p, name_size), std::string_view(p + name_size, id_size)};
      next_ = p + name_size + id_size;
    }
    const char* at_ = nullptr;
    const char* end_ = nullptr;
    const char* next_ = nullptr;
    value_type current_;
  };

  FindingBindings() = default;
  FindingBindings(const FindingBindings&) = default;
  FindingBindings& operator=(const FindingBindings&) = default;
  /// A moved-from list is empty, as a moved-from vector is.
  FindingBindings(FindingBindings&& other) noexcept
      : text_(std::move(other.text_)), count_(std::exchange(other.count_, 0)) {
    other.text_.clear();
  }
  FindingBindings& operator=(FindingBindings&& other) noexcept {
    if (this == &other) return *this;
    text_ = std::move(other.text_);
    count_ = std::exchange(other.count_, 0);
    other.text_.clear();
    return *this;
  }
  FindingBindings(std::initializer_list<value_type> bindings) {
    for (const auto& [name, id] : bindings) emplace_back(name, id);
  }
  // NOLINTNEXTLINE(google-explicit-constructor): a list of pairs is what these are.
  FindingBindings(const std::vector<std::pair<std::string, std::string>>& bindings) {
    for (const auto& [name, id] : bindings) emplace_back(name, id);
  }

  /// Adds a binding after the others.
  void emplace_back(std::string_view name, std::string_view id) {
    write_size(name.size());
    write_size(id.size());
    text_.append(name);
    text_.append(id);
    ++count_;
  }
  /// Room for bindings whose texts take `bytes` in all, lengths included.
  void reserve(std::size_t bytes) { text_.reserve(bytes); }

  [[nodiscard]] std::size_t size() const { return count_; }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] const_iterator begin() const { return {text_.data(), text_.data() + text_.size()}; }
  [[nodiscard]] const_iterator end() const {
    const char* end = text_.data() + text_.size();
    return {end, end};
  }
  /// The `i`th binding (walks the ones before it: findings bind a few variables).
  [[nodiscard]] value_type operator[](std::size_t i) const { return *std::next(begin(), i); }
  /// The buffer, to ask for it ahead of reading it.
  [[nodiscard]] const char* data() const { return text_.data(); }
  /// As a list of string pairs.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> to_vector() const {
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(count_);
    for (const auto& [name, id] : *this) out.emplace_back(name, id);
    return out;
  }

  /// Pair by pair, names then ids compared as std::string compares them: the order of
  /// a vector of the same string pairs.
  friend bool operator<(const FindingBindings& a, const FindingBindings& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
  friend bool operator==(const FindingBindings& a, const FindingBindings& b) {
    return a.count_ == b.count_ && a.text_ == b.text_;
  }

 private:
  // Lengths in 7-bit groups, low first, the high bit set on all but the last.
  void write_size(std::size_t n) {
    while (n >= 0x80) {
      text_.push_back(static_cast<char>((n & 0x7F) | 0x80));
      n >>= 7;
    }
    text_.push_back(static_cast<char>(n));
  }
  static std::size_t read_size(const char*& p) {
    std::size_t n = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(*p++);
      n |= static_cast<std::size_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return n;
    }
  }

  std::string text_;
  std::uint32_t count_ = 0;
};

}  // namespace twinscan::rules
