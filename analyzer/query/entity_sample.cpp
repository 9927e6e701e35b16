#include "analyzer/query/entity_sample.h"

#include <algorithm>
#include <span>

namespace twinscan::query {

std::vector<model::VertexId> sample_entities(const model::Graph& graph, model::KindMask kinds,
                                             std::size_t count) {
  std::vector<std::span<const model::VertexId>> lists;
  std::size_t total = 0;
  for (model::KindId k = 0; k < graph.schema().kinds().size(); ++k) {
    if (kinds != 0 && !(kinds >> k & 1U)) continue;
    lists.push_back(graph.vertices_of_kind(k));
    total += lists.back().size();
  }
  const std::size_t taken = std::min(count, total);
  std::vector<model::VertexId> out;
  out.reserve(taken);
  for (std::size_t i = 0; i < taken; ++i) {
    // The i-th lies at i/taken of all of them; empty kinds are passed over.
    std::size_t at = i * total / taken;
    std::size_t list = 0;
    while (at >= lists[list].size()) at -= lists[list++].size();
    out.push_back(lists[list][at]);
  }
  return out;
}

}  // namespace twinscan::query
