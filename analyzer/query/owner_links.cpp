#include "analyzer/query/owner_links.h"

namespace twinscan::query {

OwnerLinks::OwnerLinks(const ShareWalk& walk) {
  const model::Graph& g = walk.graph;
  const std::size_t entities = g.entity_count();
  starts_.reserve(entities + 1);
  links_.reserve(g.relation_count_of_kind(walk.owned_by));
  starts_.push_back(0);
  for (model::VertexId v = 0; v < entities; ++v) {
    for (const auto& a : g.out_edges(v, walk.owned_by)) {
      const std::optional<double> share = held_share(walk, a.relation);
      links_.push_back({share.value_or(0), a.other, share ? 1U : 0U});
    }
    starts_.push_back(static_cast<std::uint32_t>(links_.size()));
  }
}

}  // namespace twinscan::query
