#include "analyzer/util/string_pool.h"

#include <cstring>
#include <limits>

namespace twinscan::util {
namespace {

constexpr Sym kEmptySlot = std::numeric_limits<Sym>::max();
constexpr std::size_t kMinChunk = 64 * 1024;

// FNV-1a over 8-byte words then a final mix: fast on short ids and names.
std::uint64_t hash_text(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ text.size();
  const char* p = text.data();
  std::size_t n = text.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x100000001b3ULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    h = (h ^ static_cast<unsigned char>(*p)) * 0x100000001b3ULL;
    ++p;
    --n;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
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
    chunks_.push_back(std::make_unique<char[]>(chunk_size_));
    chunk_used_ = 0;
  }
  char* dst = chunks_.back().get() + chunk_used_;
  std::memcpy(dst, text.data(), text.size());
  chunk_used_ += text.size();
  text_bytes_ += text.size();
  return {dst, text.size()};
}

bool StringPool::find(std::string_view text, Sym& out) const {
  const std::uint64_t h = hash_text(text);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = table_.size() - 1;
  for (std::size_t slot = h & mask;; slot = (slot + 1) & mask) {
    const Slot& entry = table_[slot];
    if (entry.sym == kEmptySlot) return false;
    if (entry.tag == tag && views_[entry.sym] == text) {
      out = entry.sym;
      return true;
    }
  }
}

Sym StringPool::intern(std::string_view text) {
  const std::uint64_t h = hash_text(text);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  std::size_t mask = table_.size() - 1;
  std::size_t slot = h & mask;
  for (;; slot = (slot + 1) & mask) {
    const Slot& entry = table_[slot];
    if (entry.sym == kEmptySlot) break;
    if (entry.tag == tag && views_[entry.sym] == text) return entry.sym;
  }
  const Sym sym = static_cast<Sym>(views_.size());
  views_.push_back(store(text));
  hashes_.push_back(h);
  table_[slot] = Slot{sym, tag};
  if (views_.size() * 2 > table_.size()) grow_table();
  return sym;
}

void StringPool::grow_table() {
  std::vector<Slot> bigger(table_.size() * 2, Slot{kEmptySlot, 0});
  const std::size_t mask = bigger.size() - 1;
  for (Sym s = 0; s < views_.size(); ++s) {
    std::size_t slot = hashes_[s] & mask;
    while (bigger[slot].sym != kEmptySlot) slot = (slot + 1) & mask;
    bigger[slot] = Slot{s, static_cast<std::uint32_t>(hashes_[s] >> 32)};
  }
  table_.swap(bigger);
}

void StringPool::export_arrays(std::string& text, std::vector<std::uint64_t>& ends) const {
  text.clear();
  ends.clear();
  for (const auto& v : views_) {
    text += v;
    ends.push_back(text.size());
  }
}

bool StringPool::import_arrays(const std::string& text, const std::vector<std::uint64_t>& ends,
                               StringPool& out) {
  if (ends.empty() || ends[0] != 0 || ends.size() >= kEmptySlot) return false;
  StringPool pool;
  pool.views_.clear();
  pool.hashes_.clear();
  auto block = std::make_unique<char[]>(std::max<std::size_t>(text.size(), 1));
  std::memcpy(block.get(), text.data(), text.size());
  std::uint64_t begin = 0;
  for (std::uint64_t end : ends) {
    if (end < begin || end > text.size()) return false;
    pool.views_.emplace_back(block.get() + begin, end - begin);
    begin = end;
  }
  pool.text_bytes_ = text.size();
  pool.chunks_.push_back(std::move(block));
  pool.chunk_size_ = pool.chunk_used_ = text.size();  // full: new strings get a new chunk
  pool.hashes_.reserve(pool.views_.size());
  for (const auto& v : pool.views_) pool.hashes_.push_back(hash_text(v));
  std::size_t size = 1024;
  while (size < pool.views_.size() * 2 + 2) size *= 2;
  pool.table_.assign(size, Slot{kEmptySlot, 0});
  const std::size_t mask = size - 1;
  for (Sym s = 0; s < pool.views_.size(); ++s) {
    std::size_t slot = pool.hashes_[s] & mask;
    while (pool.table_[slot].sym != kEmptySlot) slot = (slot + 1) & mask;
    pool.table_[slot] = Slot{s, static_cast<std::uint32_t>(pool.hashes_[s] >> 32)};
  }
  out = std::move(pool);
  return true;
}

StringPool StringPool::clone() const {
  std::string text;
  std::vector<std::uint64_t> ends;
  export_arrays(text, ends);
  StringPool copy;
  import_arrays(text, ends, copy);
  return copy;
}

std::size_t StringPool::memory_bytes() const {
  return text_bytes_ + views_.capacity() * sizeof(std::string_view) +
         hashes_.capacity() * sizeof(std::uint64_t) + table_.capacity() * sizeof(Slot);
}

}  // namespace twinscan::util
