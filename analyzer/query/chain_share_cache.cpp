#include "analyzer/query/chain_share_cache.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace twinscan::query {

ChainShareCache::ChainShareCache(const model::Graph& graph, model::Date as_of, std::size_t capacity)
    : as_of_(as_of),
      walk_(ShareWalk::of(graph, as_of)),
      starts_(walk_ ? graph.entity_count() : 0),
      // Offsets one past a word are kept in 32 bits.
      words_(walk_ ? std::min<std::size_t>(capacity, std::numeric_limits<std::uint32_t>::max() - 1)
                   : 0,
             util::ZeroedFill::kFromTheFront) {}

std::size_t ChainShareCache::capacity_for(std::size_t vertex_count) {
  constexpr std::size_t kWordsPerEntity = 8;
  constexpr std::size_t kLeast = std::size_t{1} << 20;
  return std::clamp(vertex_count * kWordsPerEntity, kLeast, kDefaultCapacity);
}

double ChainShareCache::Shares::of(model::VertexId owner) const {
  // Binary search over the owners, two words apart.
  std::uint32_t lo = 0;
  std::uint32_t hi = count_;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const std::uint64_t at = entries_[2 * std::size_t{mid}];
    if (at == owner) return std::bit_cast<double>(entries_[2 * std::size_t{mid} + 1]);
    if (at < owner) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return 0;
}

ChainShareCache::Shares ChainShareCache::unpack(std::uint32_t start) const {
  const std::uint64_t* packed = words_.begin() + (start - 1);
  const auto count = static_cast<std::uint32_t>(packed[0]);
  Shares out;
  out.walked_ = packed[0] >> 32U;
  out.listed_ = count != kUnlisted;
  out.count_ = out.listed_ ? count : 0;
  out.entries_ = packed + 1;
  return out;
}

std::optional<ChainShareCache::Shares> ChainShareCache::of(model::VertexId firm) {
  if (firm >= starts_.size()) return std::nullopt;
  if (const std::uint32_t kept = start(firm).load(std::memory_order_acquire)) return unpack(kept);
  if (full_.load(std::memory_order_relaxed)) return std::nullopt;
  // Reused by the thread's next walk.
  thread_local std::vector<OwnerShare> found;
  std::uint64_t walked = 0;
  std::call_once(links_packed_, [this] { links_ = OwnerLinks(*walk_); });
  const bool listed = chain_shares(links_, firm, found, walked);
  return keep(firm, found, listed, walked);
}

std::optional<ChainShareCache::Shares> ChainShareCache::keep(model::VertexId firm,
                                                             std::span<const OwnerShare> shares,
                                                             bool listed, std::uint64_t walked) {
  const std::size_t words = 1 + 2 * shares.size();
  std::size_t at = used_.load(std::memory_order_relaxed);
  do {
    if (words > words_.size() - std::min(at, words_.size())) {
      full_.store(true, std::memory_order_relaxed);
      return std::nullopt;
    }
  } while (!used_.compare_exchange_weak(at, at + words, std::memory_order_relaxed));
  std::uint64_t* packed = words_.begin() + at;
  // The count and the holdings looked at (at most kListedLinks) share the header word.
  packed[0] = (listed ? static_cast<std::uint64_t>(shares.size()) : kUnlisted) | (walked << 32U);
  for (std::size_t i = 0; i < shares.size(); ++i) {
    packed[1 + 2 * i] = shares[i].owner;
    packed[2 + 2 * i] = std::bit_cast<std::uint64_t>(shares[i].share);
  }
  // A thread that walked the same firm may have kept its shares first: the same ones,
  // and this thread's words stay unused.
  std::uint32_t kept = 0;
  if (start(firm).compare_exchange_strong(kept, static_cast<std::uint32_t>(at + 1),
                                          std::memory_order_acq_rel, std::memory_order_acquire)) {
    firms_.fetch_add(1, std::memory_order_relaxed);
    shares_.fetch_add(shares.size(), std::memory_order_relaxed);
    walked_.fetch_add(walked, std::memory_order_relaxed);
    return unpack(static_cast<std::uint32_t>(at + 1));
  }
  return unpack(kept);
}

ChainShareCache::PairShare ChainShareCache::pair_share(model::VertexId firm, model::VertexId owner,
                                                       const std::function<PairShare()>& find,
                                                       bool& found_here) {
  std::shared_ptr<PairSlot> slot;
  {
    const std::lock_guard lock(pairs_mutex_);
    auto [it, added] = pairs_.try_emplace((std::uint64_t{firm} << 32) | owner);
    if (added && (pairs_closed_ || pairs_.size() > kMaxPairs)) {
      pairs_.erase(it);
    } else {
      if (added) it->second = std::make_shared<PairSlot>();
      slot = it->second;
    }
  }
  found_here = false;
  if (!slot) {
    found_here = true;
    return find();
  }
  std::call_once(slot->found, [&] {
    slot->share = find();
    found_here = true;
  });
  return slot->share;
}

ChainShareCache::Usage ChainShareCache::usage() const {
  Usage out;
  out.firms = firms_.load();
  out.shares = shares_.load();
  out.walked = walked_.load();
  out.bytes = std::min(used_.load(), words_.size()) * sizeof(std::uint64_t) +
              starts_.size() * sizeof(std::uint32_t) + links_.bytes();
  return out;
}

void ChainShareCache::release() {
  starts_ = {};
  words_ = {};
  links_ = {};
  used_ = 0;
  full_ = true;
  const std::lock_guard lock(pairs_mutex_);
  pairs_ = {};
  pairs_closed_ = true;
}

}  // namespace twinscan::query
