#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace twinscan::util {

/// An interned string: a dense index into a StringPool. Symbol 0 is the empty string.
using Sym = std::uint32_t;

/// Interns strings so that each distinct text is stored once and compared as an integer.
/// Views returned by str() stay valid for the pool's lifetime.
class StringPool {
 public:
  StringPool();
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;
  StringPool(StringPool&&) noexcept;
  StringPool& operator=(StringPool&&) noexcept;
  ~StringPool();

  /// The symbol of `text`, adding it if new.
  Sym intern(std::string_view text);
  /// The symbol of `text` if it is already interned.
  [[nodiscard]] bool find(std::string_view text, Sym& out) const;
  [[nodiscard]] std::string_view str(Sym sym) const { return views_[sym]; }
  [[nodiscard]] std::size_t size() const { return views_.size(); }
  /// Bytes held by the pool: text, index and hash table.
  [[nodiscard]] std::size_t memory_bytes() const;

  /// A copy holding the same symbols (its text packed into one block).
  [[nodiscard]] StringPool clone() const;
  /// The pool's state as flat arrays (for snapshots): the concatenated text and each
  /// symbol's end offset in it.
  void export_arrays(std::string& text, std::vector<std::uint64_t>& ends) const;
  /// Rebuilds a pool from export_arrays() output with the same symbols; returns false
  /// when the arrays are inconsistent (offsets out of order or past the text, a
  /// non-empty first symbol).
  static bool import_arrays(const std::string& text, const std::vector<std::uint64_t>& ends,
                            StringPool& out);

 private:
  void grow_table();
  std::string_view store(std::string_view text);

  /// A hash-table slot: the symbol and the upper half of its hash, so that a probe
  /// touches one cache line and compares text only when the hashes agree.
  struct Slot {
    Sym sym;
    std::uint32_t tag;
  };

  std::vector<std::string_view> views_;
  std::vector<std::uint64_t> hashes_;  // per symbol, to rehash without rereading text
  std::vector<Slot> table_;            // open addressing; kEmptySlot marks a free slot
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t chunk_used_ = 0;
  std::size_t chunk_size_ = 0;
  std::size_t text_bytes_ = 0;
};

}  // namespace twinscan::util
