#include "analyzer/util/string_pool.h"

#include <cstring>
#include <stdexcept>

#include "analyzer/util/hash.h"

namespace twinscan::util {
namespace {

constexpr std::size_t kMinChunk = std::size_t{64} * 1024;

// Stored in snapshots (each slot's place and tag): a change of hash is a change of format.
std::uint64_t hash_text(std::string_view text) {
  return hash_bytes(text);
}

// A copy of `column` with room for `capacity` elements in all.
template <typename T>
Column<T> with_capacity(const Column<T>& column, std::size_t capacity) {
  Column<T> copy;
  copy.reserve(capacity);
  copy.append(column.begin(), column.end());
  return copy;
}

}  // namespace

StringPool::StringPool() {
  table_.assign(1024, Slot{kEmptySlot, 0});
  intern("");
}

StringPool::StringPool(StringPool&&) noexcept = default;
StringPool& StringPool::operator=(StringPool&&) noexcept = default;
StringPool::~StringPool() = default;

std::string_view StringPool::store(std::string_view text) {
  if (text.empty()) return {};
  if (chunk_used_ + text.size() > chunk_size_) {
    chunk_size_ = std::max(kMinChunk, text.size());
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(chunk_size_));
    chunk_used_ = 0;
  }
  char* dst = chunks_.back().get() + chunk_used_;
  std::memcpy(dst, text.data(), text.size());
  chunk_used_ += text.size();
  text_bytes_ += text.size();
  return {dst, text.size()};
}

// The probes below pass over a slot naming a symbol the pool does not hold, and stop
// after a whole turn of the table: only a damaged table borrowed from a snapshot is ever
// full (see borrow()), and it is then placed afresh. intern() and intern_unchecked() share
// one probe (intern_as), as the interning of every text of a load runs through it; find()
// keeps its own, as it never inserts.

bool StringPool::find(std::string_view text, Sym& out) const {
  const std::uint64_t h = hash_text(text);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = table_.size() - 1;
  std::size_t slot = h & mask;
  for (std::size_t passed = 0; passed <= mask; ++passed, slot = (slot + 1) & mask) {
    const Slot& entry = table_[slot];
    if (entry.sym == kEmptySlot) return false;
    if (entry.tag == tag && entry.sym < size() && str(entry.sym) == text) {
      out = entry.sym;
      return true;
    }
  }
  return false;
}

std::uint64_t StringPool::hash(std::string_view text) {
  return hash_text(text);
}

template <bool kCompareTexts>
Sym StringPool::intern_as(std::string_view text, std::uint64_t h, bool& taken_on_tag) {
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = table_.size() - 1;
  std::size_t slot = h & mask;
  for (std::size_t passed = 0;; slot = (slot + 1) & mask) {
    const Slot& entry = table_[slot];
    if (entry.sym == kEmptySlot) break;
    if (entry.tag == tag && entry.sym < size() && (!kCompareTexts || str(entry.sym) == text)) {
      taken_on_tag = !kCompareTexts;
      return entry.sym;
    }
    if (++passed > mask) {
      grow_table();
      return intern_as<kCompareTexts>(text, h, taken_on_tag);
    }
  }
  taken_on_tag = false;
  return add(text, h, slot);
}

Sym StringPool::intern(std::string_view text, std::uint64_t h) {
  bool taken_on_tag = false;
  return intern_as<true>(text, h, taken_on_tag);
}

Sym StringPool::intern_unchecked(std::string_view text, std::uint64_t h, bool& unchecked) {
  return intern_as<false>(text, h, unchecked);
}

Sym StringPool::add(std::string_view text, std::uint64_t h, std::size_t slot) {
  if (size() >= kMaxSymbols) throw std::length_error("more than 2^31 distinct strings");
  const auto sym = static_cast<Sym>(size());
  views_.push_back(store(text));
  hashes_.push_back(h);
  table_[slot] = Slot{sym, static_cast<std::uint32_t>(h >> 32)};
  if (size() * 2 > table_.size()) grow_table();
  return sym;
}

std::uint64_t StringPool::hash_of(Sym sym) const {
  return sym < base_count_ ? hash_text(str(sym)) : hashes_[sym - base_count_];
}

void StringPool::grow_table() {
  table_ = placed(table_.size() * 2, size());
  table_borrowed_ = false;
}

Column<StringPool::Slot> StringPool::placed_table() const {
  return placed(table_.size(), static_cast<Sym>(size()));
}

Column<StringPool::Slot> StringPool::placed(std::size_t table_size, Sym count) const {
  Column<Slot> table;
  table.reserve(table_size);
  table.assign(table_size, Slot{kEmptySlot, 0});
  const std::size_t mask = table_size - 1;
  for (Sym s = 0; s < count; ++s) {
    const std::uint64_t h = hash_of(s);
    std::size_t slot = h & mask;
    while (table[slot].sym != kEmptySlot) slot = (slot + 1) & mask;
    table[slot] = Slot{s, static_cast<std::uint32_t>(h >> 32)};
  }
  return table;
}

bool StringPool::borrow(const char* text, std::size_t text_size, const std::uint64_t* offsets,
                        std::size_t count, Slot* table, std::size_t table_size, StringPool& out,
                        bool checked_before) {
  if (count == 0 || count >= kEmptySlot || offsets[0] != 0 || offsets[1] != 0 ||
      offsets[count] != text_size || table_size < 2 * count ||
      (table_size & (table_size - 1)) != 0) {
    return false;
  }
  // The walk below touches every offset: a million symbols take milliseconds, which a
  // server mapping its registry again for each screening skips. The table is not walked:
  // every lookup passes over a slot that names no symbol, and ends after one turn of
  // the table (see intern()).
  if (!checked_before) {
    for (std::size_t s = 0; s < count; ++s) {
      if (offsets[s] > offsets[s + 1]) return false;
    }
  }
  StringPool pool;
  pool.views_.clear();
  pool.hashes_.clear();
  pool.base_text_ = text;
  pool.base_offsets_ = offsets;
  pool.base_count_ = static_cast<Sym>(count);
  pool.text_bytes_ = text_size;
  pool.table_ = Column<Slot>::borrow(table, table_size, table_size);
  pool.table_borrowed_ = true;
  out = std::move(pool);
  return true;
}

void StringPool::reserve(std::size_t count) {
  const std::size_t wanted = size() + count;
  views_.reserve(views_.size() + count);
  hashes_.reserve(hashes_.size() + count);
  std::size_t table_size = table_.size();
  while (wanted * 2 > table_size) table_size *= 2;
  if (table_size == table_.size()) return;
  table_ = placed(table_size, static_cast<Sym>(size()));
  table_borrowed_ = false;
}

StringPool::Mark StringPool::mark() const {
  return {static_cast<Sym>(size()),
          table_.size(),
          chunks_.size(),
          chunk_used_,
          chunk_size_,
          text_bytes_,
          views_.capacity(),
          hashes_.capacity()};
}

void StringPool::truncate(const Mark& mark) {
  if (mark.size < base_count_ || mark.size > size()) return;
  const std::size_t keep = mark.size - base_count_;
  if (table_.size() == mark.table_size && !table_borrowed_) {
    // Slots filled after the mark lie on no probe path of an older symbol: clearing
    // them leaves the table as it was. (A table borrowed from a snapshot is not known
    // to hold only symbols below the mark before it: it is placed again.)
    for (Slot& slot : table_) {
      if (slot.sym != kEmptySlot && slot.sym >= mark.size) slot = Slot{kEmptySlot, 0};
    }
  } else {
    // The table grew: place the older symbols again, in order, in one of the old size
    // (the layout that inserting them one by one gave).
    table_ = placed(mark.table_size, mark.size);
    table_borrowed_ = false;
  }
  views_.resize(keep);
  hashes_.resize(keep);
  if (views_.capacity() != mark.views_capacity) views_ = with_capacity(views_, mark.views_capacity);
  if (hashes_.capacity() != mark.hashes_capacity)
    hashes_ = with_capacity(hashes_, mark.hashes_capacity);
  chunks_.resize(mark.chunks);
  chunk_used_ = mark.chunk_used;
  chunk_size_ = mark.chunk_size;
  text_bytes_ = mark.text_bytes;
}

std::size_t StringPool::memory_bytes() const {
  return text_bytes_ + (base_count_ + 1) * sizeof(std::uint64_t) +
         views_.capacity() * sizeof(std::string_view) + hashes_.capacity() * sizeof(std::uint64_t) +
         table_.bytes();
}

}  // namespace twinscan::util
