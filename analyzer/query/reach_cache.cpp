#include "analyzer/query/reach_cache.h"

#include <algorithm>
#include <limits>

namespace twinscan::query {

ReachCache::ReachCache(std::size_t vertex_count, std::size_t capacity)
    : starts_(vertex_count),
      // Offsets one past a word are kept in 32 bits.
      words_(std::min<std::size_t>(capacity, std::numeric_limits<std::uint32_t>::max() - 1),
             util::ZeroedFill::kFromTheFront) {}

ReachCache::~ReachCache() = default;

std::size_t ReachCache::capacity_for(std::size_t vertex_count) {
  constexpr std::size_t kWordsPerEntity = 16;
  constexpr std::size_t kLeast = std::size_t{1} << 20;
  return std::clamp(vertex_count * kWordsPerEntity, kLeast, kDefaultCapacity);
}

ReachCache::Table& ReachCache::table(const ReachKey& key) {
  const std::lock_guard lock(tables_mutex_);
  for (auto& [k, t] : tables_) {
    if (k == key) return *t;
  }
  tables_.emplace_back(key,
                       std::make_unique<Table>(*this, static_cast<std::uint32_t>(tables_.size())));
  return *tables_.back().second;
}

ReachCache::Usage ReachCache::usage() {
  const std::lock_guard lock(tables_mutex_);
  Usage out;
  out.keys = tables_.size();
  out.reaches = reaches_.load();
  const std::size_t used = std::min(used_.load(), words_.size());
  out.entities = used - out.reaches * Table::kHeaderWords;
  out.bytes = (used + starts_.size()) * sizeof(std::uint32_t);
  return out;
}

void ReachCache::release() {
  const std::lock_guard lock(tables_mutex_);
  tables_.clear();
  starts_ = {};
  words_ = {};
  used_ = 0;
  reaches_ = 0;
}

std::optional<std::uint32_t> ReachCache::allocate(std::size_t words) {
  std::size_t at = used_.load(std::memory_order_relaxed);
  do {
    if (words > words_.size() - std::min(at, words_.size())) return std::nullopt;
  } while (!used_.compare_exchange_weak(at, at + words, std::memory_order_relaxed));
  reaches_.fetch_add(1, std::memory_order_relaxed);
  return static_cast<std::uint32_t>(at);
}

std::optional<KeptReach> ReachCache::Table::keep(model::VertexId from,
                                                 std::span<const model::VertexId> reached,
                                                 std::uint64_t walked) {
  if (from >= cache_.starts_.size()) return std::nullopt;
  std::uint32_t head = cache_.start(from).load(std::memory_order_acquire);
  if (const std::uint32_t kept = in_chain(head)) return unpack(kept);
  if (reached.size() > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  const auto at = cache_.allocate(kHeaderWords + reached.size());
  if (!at) return std::nullopt;
  std::uint32_t* packed = cache_.words_.begin() + *at;
  packed[kCount] = static_cast<std::uint32_t>(reached.size());
  packed[kWalkedLow] = static_cast<std::uint32_t>(walked);
  packed[kWalkedHigh] = static_cast<std::uint32_t>(walked >> 32);
  packed[kKey] = key_;
  std::copy(reached.begin(), reached.end(), packed + kHeaderWords);
  // Another thread may keep a reach from the same start in between, of this key or
  // another: then the chain is looked through again from its new head. A failed exchange
  // loads that head, with the reaches it links to (acquire).
  while (true) {
    packed[kNext] = head;
    if (cache_.start(from).compare_exchange_weak(head, *at + 1, std::memory_order_acq_rel,
                                                 std::memory_order_acquire)) {
      return unpack(*at + 1);
    }
    // The words of a reach another thread kept first stay unused.
    if (const std::uint32_t kept = in_chain(head)) return unpack(kept);
  }
}

}  // namespace twinscan::query
