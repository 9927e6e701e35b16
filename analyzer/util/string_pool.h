#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/util/column.h"
#include "analyzer/util/prefetch.h"

namespace twinscan::util {

/// An interned string: a dense index into a StringPool. Symbol 0 is the empty string.
using Sym = std::uint32_t;

/// Interns strings so that each distinct text is stored once and compared as an integer.
/// Views returned by str() stay valid for the pool's lifetime. A pool opened from a
/// snapshot reads its first symbols and its hash table from the mapped file, and adds
/// new symbols after them without copying the old.
class StringPool {
 public:
  /// A hash-table slot: the symbol and the upper half of its hash, so that a probe
  /// touches one cache line and compares text only when the hashes agree.
  struct Slot {
    Sym sym;
    std::uint32_t tag;
  };
  static constexpr Sym kEmptySlot = UINT32_MAX;
  /// Symbols stay below 2^31, so that a column of symbols may tag a value that is none
  /// (model::kMadeRelationId); adding past it throws std::length_error.
  static constexpr std::size_t kMaxSymbols = std::size_t{1} << 31;

  StringPool();
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;
  StringPool(StringPool&&) noexcept;
  StringPool& operator=(StringPool&&) noexcept;
  ~StringPool();

  /// Interns `text`, adding it if new.
  Sym intern(std::string_view text) { return intern(text, hash(text)); }
  /// intern() of a text whose hash() is `text_hash` (computed ahead, to prefetch()).
  Sym intern(std::string_view text, std::uint64_t text_hash);
  /// intern() that takes a symbol whose stored hash agrees with `text_hash` (the table
  /// slot's part of it and a 32-bit tag) as `text`'s without comparing the texts, which
  /// saves two cache misses per symbol found. Sets `unchecked` when it did so: the caller
  /// must then compare str() of the symbol with `text` before relying on it (texts can
  /// share a hash), e.g. for many symbols at once with prefetch_text().
  Sym intern_unchecked(std::string_view text, std::uint64_t text_hash, bool& unchecked);
  /// Asks the processor to bring where the text of `sym` lies into its cache (before
  /// prefetch_text() of it).
  void prefetch_entry(Sym sym) const {
    if (sym < base_count_) {
      util::prefetch(base_offsets_ + sym);
    } else {
      util::prefetch(views_.data() + (sym - base_count_));
    }
  }
  /// Asks the processor to bring the text of `sym` into its cache.
  void prefetch_text(Sym sym) const {
    if (sym < base_count_) {
      util::prefetch(base_text_ + base_offsets_[sym]);
    } else {
      util::prefetch(views_[sym - base_count_].data());
    }
  }
  /// The hash the pool files `text` under.
  [[nodiscard]] static std::uint64_t hash(std::string_view text);
  /// Asks the processor to bring the table slot where a text of hash `text_hash` is looked
  /// for into its cache: interning many new texts, hashing and prefetching a few ahead
  /// overlaps their cache misses instead of waiting for each in turn.
  void prefetch(std::uint64_t text_hash) const {
    util::prefetch(table_.data() + (text_hash & (table_.size() - 1)));
  }
  /// The symbol of `text` if it is already interned.
  [[nodiscard]] bool find(std::string_view text, Sym& out) const;
  [[nodiscard]] std::string_view str(Sym sym) const {
    if (sym < base_count_)
      return {base_text_ + base_offsets_[sym], base_offsets_[sym + 1] - base_offsets_[sym]};
    return views_[sym - base_count_];
  }
  [[nodiscard]] std::size_t size() const { return base_count_ + views_.size(); }
  /// Bytes held by the pool: text, index and hash table.
  [[nodiscard]] std::size_t memory_bytes() const;
  /// Reserves room for `count` more symbols, so that interning them does not grow the
  /// hash table step by step. Within that room the index of texts does not move and texts
  /// are never moved: str() of a symbol already interned may then be called on another
  /// thread while this one interns (model::RelationIdTexts does).
  void reserve(std::size_t count);

  /// The pool's state at a moment, to return to with truncate().
  struct Mark {
    Sym size = 0;
    std::size_t table_size = 0;
    std::size_t chunks = 0;
    std::size_t chunk_used = 0;
    std::size_t chunk_size = 0;
    std::size_t text_bytes = 0;
    std::size_t views_capacity = 0;
    std::size_t hashes_capacity = 0;
  };
  [[nodiscard]] Mark mark() const;
  /// Forgets every symbol interned since `mark` was taken: the pool is then as it was
  /// (the same symbols, hash table, text chunks and reserved room), as if they had never
  /// been interned.
  void truncate(const Mark& mark);

  /// The hash table, as it lies (a snapshot stores it so, beside each symbol's text in
  /// order, unless table_borrowed()).
  [[nodiscard]] std::span<const Slot> table() const { return table_; }
  /// Whether the table is still the one borrowed from a snapshot, whose slots were never
  /// checked (see borrow()): a snapshot written from the pool stores placed_table().
  [[nodiscard]] bool table_borrowed() const { return table_borrowed_; }
  /// A table of the same size holding every symbol, placed in order (the layout that
  /// interning them one by one gives).
  [[nodiscard]] Column<Slot> placed_table() const;

  /// A pool over arrays mapped from a snapshot (the symbols' texts end to end, each
  /// symbol's start offset in them and one more for the end, the table); it keeps
  /// pointers into them (and writes new slots into `table`). Returns false unless the
  /// offsets ascend within the text and the table's size is a power of two at least
  /// twice the symbols. The table's slots are not read here: a lookup passes over a slot
  /// naming a symbol the pool does not hold, and ends after one turn of the table, so a
  /// damaged table (caught by the snapshot's checksum, not here) makes lookups miss,
  /// never overrun or loop. `checked_before`: these very arrays passed these checks
  /// already (the same unchanged file, mapped again), so only their sizes are checked.
  static bool borrow(const char* text, std::size_t text_size, const std::uint64_t* offsets,
                     std::size_t count, Slot* table, std::size_t table_size, StringPool& out,
                     bool checked_before = false);

 private:
  void grow_table();
  // intern() (kCompareTexts) or intern_unchecked(), which sets `taken_on_tag`.
  template <bool kCompareTexts>
  Sym intern_as(std::string_view text, std::uint64_t h, bool& taken_on_tag);
  // Adds `text` of hash `h` as a new symbol in empty slot `slot`.
  Sym add(std::string_view text, std::uint64_t h, std::size_t slot);
  // A table of `table_size` slots (a power of two) holding the symbols below `count`,
  // placed in order (the layout that interning them one by one gives).
  [[nodiscard]] Column<Slot> placed(std::size_t table_size, Sym count) const;
  std::string_view store(std::string_view text);
  [[nodiscard]] std::uint64_t hash_of(Sym sym) const;

  // Symbols below base_count_ are borrowed: text and offsets from a mapped snapshot.
  const char* base_text_ = nullptr;
  const std::uint64_t* base_offsets_ = nullptr;
  Sym base_count_ = 0;
  Column<std::string_view> views_;  // symbols from base_count_ on
  Column<std::uint64_t> hashes_;    // their hashes, to rehash without rereading text
  Column<Slot> table_;              // open addressing; kEmptySlot marks a free slot
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t chunk_used_ = 0;
  std::size_t chunk_size_ = 0;
  std::size_t text_bytes_ = 0;
  bool table_borrowed_ = false;  // table_ is a snapshot's, its slots never checked
};

}  // namespace twinscan::util
