#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twinscan::query {

/// The distinct keys (append_key()'s byte strings) of the rows a projection groups or
/// keeps distinct, each numbered in the order first seen. The keys lie end to end in one
/// text and a flat table holds their hashes, so that a row whose key is known already
/// costs a hash and one probe of contiguous memory: no node allocated, none chased.
class RowKeys {
 public:
  /// The number of `key` (its place in the order first seen), and whether it is new.
  std::pair<std::size_t, bool> insert(std::string_view key);
  [[nodiscard]] std::size_t size() const { return ends_.size(); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::size_t number = kEmpty;
  };
  static constexpr std::size_t kEmpty = SIZE_MAX;

  [[nodiscard]] std::string_view key(std::size_t number) const {
    const std::size_t begin = number == 0 ? 0 : ends_[number - 1];
    return std::string_view(text_).substr(begin, ends_[number] - begin);
  }
  void grow();

  std::vector<Slot> slots_;
  std::string text_;               // the keys, end to end
  std::vector<std::size_t> ends_;  // where each ends in text_
};

}  // namespace twinscan::query
