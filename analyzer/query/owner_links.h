// Every entity's OWNED_BY links with the share each gives on one date, packed by the
// entity held: the walks up ownership chains read these instead of the graph.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "analyzer/query/effective_share.h"

namespace twinscan::query {

/// One OWNED_BY relation as a chain walk sees it: the owner at its far end, and the share
/// held_share() reads from the relation on the walk's date.
struct OwnerLink {
  double share = 0;           ///< Valid only when `held`.
  model::VertexId owner = 0;  ///< The far end.
  std::uint32_t held = 0;     ///< 1 when the relation gives a share on the date.
};
static_assert(sizeof(OwnerLink) == 16);

/// The links of every entity, in the order of its OWNED_BY out-edges, each entity's
/// together. A walk up a firm's chains looks at each link of each chain: read from the
/// graph, a link costs its adjacency run and its relation's properties, two places far
/// apart in memory and far from the link's neighbours; here a chain's next links are one
/// run of 16-byte records. Made in one pass over the relations in graph order: on a
/// million entities of the dense profile 16 to 28 ms, where the walks over the graph
/// spent about 190 ms reading links.
class OwnerLinks {
 public:
  OwnerLinks() = default;
  /// The links of every entity of `walk`'s graph on `walk`'s date.
  explicit OwnerLinks(const ShareWalk& walk);

  /// The links of `holder`, in the order of graph.out_edges(holder, OWNED_BY).
  [[nodiscard]] std::span<const OwnerLink> of(model::VertexId holder) const {
    return {links_.data() + starts_[holder], starts_[holder + 1] - starts_[holder]};
  }
  [[nodiscard]] std::size_t size() const { return links_.size(); }
  [[nodiscard]] std::size_t bytes() const {
    return links_.size() * sizeof(OwnerLink) + starts_.size() * sizeof(std::uint32_t);
  }

 private:
  std::vector<std::uint32_t> starts_;  // by entity, one past the last: where its links begin
  std::vector<OwnerLink> links_;
};

/// chain_shares() over `links`: the same sums, to the last bit, and the same holdings
/// looked at, as over the walk `links` was made from.
bool chain_shares(const OwnerLinks& links, model::VertexId firm, std::vector<OwnerShare>& out,
                  std::uint64_t& walked);

}  // namespace twinscan::query
