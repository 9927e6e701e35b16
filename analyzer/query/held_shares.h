// The share each holding gives on a scan's date, read once for the whole scan.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>
#include <optional>

#include "analyzer/model/graph_arrays.h"
#include "analyzer/util/zeroed_array.h"

namespace twinscan::query {

/// What effective_share() reads of each holding it follows (its share on the as-of date,
/// or that it gives none then), kept by relation for one scan of one graph on one date.
/// A holding near the top of an ownership tree lies on the chains of every firm below
/// it, which rule after rule asks about, and reading it is a walk over its properties in
/// memory far from the last one read; kept, it is one word. Safe to read and add to from
/// several threads at once: two that read one holding keep the same answer.
class HeldShares {
 public:
  explicit HeldShares(std::size_t relation_count) : kept_(relation_count) {}

  /// Whether `relation`'s answer is kept; if so, `share` is set to it (nothing: the
  /// holding gives no share on the date).
  bool find(model::RelationId relation, std::optional<double>& share) const {
    if (relation >= kept_.size()) return false;
    const std::uint64_t word =
        std::atomic_ref<const std::uint64_t>(kept_[relation]).load(std::memory_order_relaxed);
    if (word == kUnknown) return false;
    share = word == kNoShare ? std::nullopt : std::optional(std::bit_cast<double>(~word));
    return true;
  }
  void keep(model::RelationId relation, std::optional<double> share) {
    if (relation >= kept_.size()) return;
    // A number read from a document is finite: its bits are never those of the two
    // NaNs whose complements mark a word unknown (0) or without a share (1).
    const std::uint64_t word = share ? ~std::bit_cast<std::uint64_t>(*share) : kNoShare;
    if (word == kUnknown) return;
    std::atomic_ref<std::uint64_t>(kept_[relation]).store(word, std::memory_order_relaxed);
  }

 private:
  static constexpr std::uint64_t kUnknown = 0;
  static constexpr std::uint64_t kNoShare = 1;
  util::ZeroedArray<std::uint64_t> kept_;  ///< By relation: the share's bits complemented.
};

}  // namespace twinscan::query
