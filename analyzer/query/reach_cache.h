// The entities a breadth-first reach finds from a start, kept for a whole scan and shared
// by its rules and threads: a catalogue asks for each firm's owners up its ownership
// chains in rule after rule, and one walk serves them all.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "analyzer/model/graph_arrays.h"
#include "analyzer/model/schema.h"
#include "analyzer/query/ast.h"
#include "analyzer/util/zeroed_array.h"

namespace twinscan::query {

/// What a reach walks, besides its start: which way, along which kinds of relation (in
/// the order the walk follows them) and how far. Two reaches of one key from one start
/// find the same entities in the same order, whatever rule or thread asks.
struct ReachKey {
  Direction direction = Direction::kOut;
  std::vector<model::RelKindId> types;  ///< Empty: any kind.
  std::uint32_t max_hops = 1;
  bool operator==(const ReachKey&) const = default;
};

/// One reach as kept: the entities found (the start first, then level by level in the
/// order they were met) and the relations looked at on the way, which a run asking again
/// counts against its budget as though it walked them.
struct KeptReach {
  std::span<const model::VertexId> reached;
  std::uint64_t walked = 0;
};

/// Reaches by key and start. Safe to read and add to from several threads at once: a
/// reach is never changed or freed once kept, and of two threads that walk the same one
/// the first keeps it. Entities are kept packed one after another in one stretch of
/// memory mapped from the kernel (util::ZeroedArray): only the pages written are ever
/// backed by memory, and memory first touched costs more than most walks. One table of
/// starts serves all keys: it holds where the last reach kept from each start begins, and
/// each reach where the one kept before it from the same start does, so the reaches from
/// a start form a chain no longer than the number of keys (a table per key would hold a
/// word per entity per key, most of them zero, and cost a national scan at 10^6 10 MB more).
/// Keeps no more than `capacity` words (4 bytes: an entity, or a fifth of a reach's
/// header) in all; past that, walks are made afresh.
class ReachCache {
 public:
  /// For a graph of `vertex_count` entities.
  explicit ReachCache(std::size_t vertex_count, std::size_t capacity = kDefaultCapacity);
  ReachCache(const ReachCache&) = delete;
  ReachCache& operator=(const ReachCache&) = delete;
  ~ReachCache();

  /// The reaches of one key, found once per run and asked of many times.
  class Table;
  /// The table of `key`, made when first asked for.
  Table& table(const ReachKey& key);

  /// What the cache holds, for the scan's log.
  struct Usage {
    std::size_t keys = 0;      ///< Tables made.
    std::size_t reaches = 0;   ///< Reaches kept (one two threads kept at once: twice).
    std::size_t entities = 0;  ///< Entities kept, starts included.
    std::size_t bytes = 0;     ///< Memory written at most: reaches, tables of starts.
  };
  [[nodiscard]] Usage usage();
  /// Gives all memory back and keeps nothing more, once no run will ask again (no table
  /// may be used after).
  void release();

  /// With a million entities a scan keeps a few million words; this is room for ten
  /// million entities' (256 MB of address space, backed only where written).
  static constexpr std::size_t kDefaultCapacity = std::size_t{64} << 20;
  /// Room for a scan of a graph of `vertex_count` entities: a catalogue at a million keeps
  /// under three words per entity (national 2.7 million words, dense 1.9 million);
  /// sixteen leave room for rules that reach further without mapping more address space
  /// than a graph of that size may use. At least a million words, at most
  /// kDefaultCapacity.
  static std::size_t capacity_for(std::size_t vertex_count);

 private:
  // Where `words` words may be written, as an offset into words_, or nothing when the
  // capacity is spent.
  std::optional<std::uint32_t> allocate(std::size_t words);
  // Where the last reach kept from `from` begins; an atomic_ref needs a reference it may
  // write through.
  [[nodiscard]] std::atomic_ref<std::uint32_t> start(model::VertexId from) {
    return std::atomic_ref<std::uint32_t>(starts_[from]);
  }

  /// Where the last reach kept from each start begins (one past its offset in words_), 0
  /// when none is. Read and written only as an atomic (start()).
  util::ZeroedArray<std::uint32_t> starts_;
  util::ZeroedArray<std::uint32_t> words_;  ///< The reaches kept, one after another.
  std::atomic<std::size_t> used_ = 0;       ///< Words of words_ handed out.
  std::atomic<std::size_t> reaches_ = 0;    ///< Reaches handed room.
  std::mutex tables_mutex_;
  std::vector<std::pair<ReachKey, std::unique_ptr<Table>>> tables_;
};

class ReachCache::Table {
 public:
  Table(ReachCache& cache, std::uint32_t key) : cache_(cache), key_(key) {}
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  /// The reach from `from`, or nothing when none is kept.
  [[nodiscard]] std::optional<KeptReach> find(model::VertexId from) const {
    if (from >= cache_.starts_.size()) return std::nullopt;
    const std::uint32_t kept = in_chain(cache_.start(from).load(std::memory_order_acquire));
    if (kept == 0) return std::nullopt;
    return unpack(kept);
  }
  /// Keeps `reached`, found in `walked` relations, as the reach from `from`, and returns
  /// what is kept (the reach another thread kept first, if one did); nothing when there
  /// is no room left.
  std::optional<KeptReach> keep(model::VertexId from, std::span<const model::VertexId> reached,
                                std::uint64_t walked);

 private:
  friend class ReachCache;
  // A kept reach is packed as its entity count, the relations walked (two words), its
  // key, where the reach kept before it from the same start begins (one past its offset,
  // 0 for none), then the entities.
  static constexpr std::size_t kHeaderWords = 5;
  enum Header : std::size_t { kCount = 0, kWalkedLow = 1, kWalkedHigh = 2, kKey = 3, kNext = 4 };

  [[nodiscard]] const std::uint32_t* packed(std::uint32_t start) const {
    return cache_.words_.begin() + (start - 1);
  }
  // The reach of this table's key in the chain that begins at `start`, 0 when none is.
  // A chain holds one reach per key at most.
  [[nodiscard]] std::uint32_t in_chain(std::uint32_t start) const {
    while (start != 0 && packed(start)[kKey] != key_) start = packed(start)[kNext];
    return start;
  }
  // The reach kept at `start`, one past its offset in the cache's words.
  [[nodiscard]] KeptReach unpack(std::uint32_t start) const {
    const std::uint32_t* kept = packed(start);
    const std::uint64_t walked = kept[kWalkedLow] | std::uint64_t{kept[kWalkedHigh]} << 32;
    return {{kept + kHeaderWords, kept[kCount]}, walked};
  }

  ReachCache& cache_;
  std::uint32_t key_;  ///< This table's place in the cache's list of keys.
};

}  // namespace twinscan::query
