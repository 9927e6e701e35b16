// The shares up each firm's ownership chains, found in one walk per firm and kept for a
// whole scan, shared by its rules and threads: the state-control rules ask for the same
// firms' shares, each once per chain matched and once more for its message, and a firm's
// walk up its chains finds its share for every owner at once.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "analyzer/model/date.h"
#include "analyzer/query/effective_share.h"
#include "analyzer/query/owner_links.h"
#include "analyzer/util/zeroed_array.h"

namespace twinscan::query {

/// Shares by firm, for one graph and one as-of date. Safe to read and add to from
/// several threads at once: what is kept for a firm is never changed or freed, and of two
/// threads that walk the same firm the first keeps its shares. Like ReachCache, the
/// shares are packed one firm after another in memory mapped from the kernel
/// (util::ZeroedArray), backed only where written, and no more than `capacity` words are
/// kept; past that, shares are found owner by owner again.
class ChainShareCache {
 public:
  /// For `graph` on `as_of`; the graph must outlive the cache.
  ChainShareCache(const model::Graph& graph, model::Date as_of,
                  std::size_t capacity = kDefaultCapacity);
  ChainShareCache(const ChainShareCache&) = delete;
  ChainShareCache& operator=(const ChainShareCache&) = delete;

  /// The date the holdings must be in force on.
  [[nodiscard]] model::Date as_of() const { return as_of_; }
  /// The walk over the graph's holdings; nothing when no entity holds a share of another.
  [[nodiscard]] const std::optional<ShareWalk>& walk() const { return walk_; }

  /// The shares of one firm, as kept.
  class Shares {
   public:
    /// Whether its chains were few enough to list (kListedLinks); when not, no share
    /// is kept, and effective_share() answers owner by owner.
    [[nodiscard]] bool listed() const { return listed_; }
    /// The holdings looked at to find them, which a run asking again counts against its
    /// budget as though it looked at them.
    [[nodiscard]] std::uint64_t walked() const { return walked_; }
    /// The sum over the chains from the firm to `owner` (0 when none reaches it), not
    /// capped. Only when listed().
    [[nodiscard]] double of(model::VertexId owner) const;
    /// The owners listed (0 when not listed()), by owner, ascending: the i-th owner and
    /// its sum as of() gives it.
    [[nodiscard]] std::uint32_t size() const { return count_; }
    [[nodiscard]] model::VertexId owner(std::uint32_t i) const {
      return static_cast<model::VertexId>(entries_[2 * std::size_t{i}]);
    }
    [[nodiscard]] double share(std::uint32_t i) const {
      return std::bit_cast<double>(entries_[2 * std::size_t{i} + 1]);
    }

   private:
    friend class ChainShareCache;
    const std::uint64_t* entries_ = nullptr;  // owner, then the share's bits, by owner
    std::uint32_t count_ = 0;
    std::uint64_t walked_ = 0;
    bool listed_ = false;
  };

  /// The shares of `firm`: walked up its chains when first asked for, then kept. Nothing
  /// when no room is left to keep them.
  [[nodiscard]] std::optional<Shares> of(model::VertexId firm);

  /// effective_share() of one firm and owner, for a firm whose chains are too many to list
  /// (cross-holdings): summed and bounded owner by owner, which takes up to a million
  /// holdings a pair, once for the scan rather than once per rule that asks.
  struct PairShare {
    Value share;
    std::uint64_t walked = 0;  ///< Holdings followed to find it.
  };
  /// The share of `firm` that `owner` holds, found by `find` the first time it is asked
  /// for and kept (past kMaxPairs pairs, found each time). A thread that asks while
  /// another finds it waits for it; if `find` throws (a run's budget ran out), the next to
  /// ask finds it. `found_here`: this call found it. A run that did not finds the share
  /// charged to it as though it had (PairShare::walked), so that its budget runs out alike
  /// whichever rule asked first.
  PairShare pair_share(model::VertexId firm, model::VertexId owner,
                       const std::function<PairShare()>& find, bool& found_here);
  /// Pairs kept at most, about 150 bytes each (a pair takes milliseconds to sum: a scan
  /// reaches this many only past its deadline).
  static constexpr std::size_t kMaxPairs = 100'000;

  /// What the cache holds, for the scan's log.
  struct Usage {
    std::size_t firms = 0;     ///< Firms kept (one two threads kept at once: twice).
    std::size_t shares = 0;    ///< Owners' shares kept.
    std::uint64_t walked = 0;  ///< Holdings followed to find them.
    std::size_t bytes = 0;     ///< Memory written at most (the packed links included).
  };
  [[nodiscard]] Usage usage() const;
  /// Gives all memory back and keeps nothing more, once no run will ask again.
  void release();

  /// Room for ten million firms with a few owners each (256 MB of address space, backed
  /// only where written).
  static constexpr std::size_t kDefaultCapacity = std::size_t{32} << 20;
  /// Room for a scan of a graph of `vertex_count` entities: eight words an entity (a
  /// firm with one owner takes three), at least a million words, at most
  /// kDefaultCapacity.
  static std::size_t capacity_for(std::size_t vertex_count);

 private:
  // A firm's shares are packed as one header word (how many, and the holdings looked at:
  // at most kListedLinks), then two words per owner: its id and its share's bits. A
  // count of kUnlisted: too many chains.
  static constexpr std::uint32_t kUnlisted = 0xFFFF'FFFF;

  [[nodiscard]] Shares unpack(std::uint32_t start) const;
  std::optional<Shares> keep(model::VertexId firm, std::span<const OwnerShare> shares, bool listed,
                             std::uint64_t walked);
  [[nodiscard]] std::atomic_ref<std::uint32_t> start(model::VertexId firm) {
    return std::atomic_ref<std::uint32_t>(starts_[firm]);
  }

  model::Date as_of_;
  std::optional<ShareWalk> walk_;
  /// The walks' links, packed when a firm is first walked.
  std::once_flag links_packed_;
  OwnerLinks links_;
  /// Where each firm's shares begin (one past their offset in words_), 0 when none are
  /// kept. Read and written only as an atomic (start()).
  util::ZeroedArray<std::uint32_t> starts_;
  util::ZeroedArray<std::uint64_t> words_;
  std::atomic<std::size_t> used_ = 0;  ///< Words of words_ handed out.
  std::atomic<bool> full_ = false;     ///< Some firm's shares found no room: walk no more.
  std::atomic<std::size_t> firms_ = 0;
  std::atomic<std::size_t> shares_ = 0;
  std::atomic<std::uint64_t> walked_ = 0;
  struct PairSlot {
    std::once_flag found;
    PairShare share;
  };
  std::mutex pairs_mutex_;  // a pair's share costs milliseconds: a lock is nothing
  std::unordered_map<std::uint64_t, std::shared_ptr<PairSlot>> pairs_;  // firm << 32 | owner
  bool pairs_closed_ = false;                                           // released: keep no more
};

}  // namespace twinscan::query
