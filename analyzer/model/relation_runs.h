// Relations of one kind between the same two entities, found by grouping them by their
// ends rather than through a hash table of every kind and ends.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "analyzer/model/graph_arrays.h"

namespace twinscan::model {

/// Calls `run(relations)` for each run of the relations r in [first, last) for which
/// `include(r)` holds that share a kind, a `from` end and a `far_end(r)`, each run in load
/// order (ascending r). Relations whose `from` is no entity of `g` (an unresolved end,
/// already reported) share one group of their own. `include` is asked twice of each
/// relation, both times before the first `run`, and must answer alike. Kinds, ends and
/// `far_end` are read while a group is sorted and split into runs, between its `run`s
/// too: `run` may change what none of them reads (a relation's id, say).
///
/// The relations are grouped by their `from` end with a counting sort, then sorted by kind
/// and far end within each group: the groups are small and read in load order, so this
/// costs two passes over the relations and one over the entities, rather than a probe of a
/// hash table far larger than the caches per relation. The merge of statements (a request's
/// relation keeps its own ends: its far end differs) and the numbering of made ids both
/// read relations so.
template <typename Include, typename FarEnd, typename Run>
void for_each_run_of_one_kind_and_ends(const GraphArrays& g, RelationId first, RelationId last,
                                       Include&& include, FarEnd&& far_end, Run&& run) {
  const auto vertices = static_cast<std::uint32_t>(g.entity_kind.size());
  auto group_of = [&](RelationId r) {
    const VertexId from = g.relation_from[r];
    return from < vertices ? from : vertices;
  };
  std::vector<std::uint32_t> start(std::size_t{vertices} + 2, 0);
  for (RelationId r = first; r < last; ++r) {
    if (include(r)) ++start[group_of(r) + 1];
  }
  for (std::size_t v = 1; v < start.size(); ++v) start[v] += start[v - 1];
  std::vector<RelationId> grouped(start.back());
  {
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (RelationId r = first; r < last; ++r) {
      if (include(r)) grouped[next[group_of(r)]++] = r;
    }
  }
  auto same_run = [&](RelationId a, RelationId b) {
    return g.relation_kind[a] == g.relation_kind[b] && far_end(a) == far_end(b);
  };
  auto before = [&](RelationId a, RelationId b) {
    if (g.relation_kind[a] != g.relation_kind[b]) return g.relation_kind[a] < g.relation_kind[b];
    const auto fa = far_end(a), fb = far_end(b);
    if (fa != fb) return fa < fb;
    return a < b;
  };
  const std::span<const RelationId> all(grouped);
  for (std::size_t v = 0; v + 1 < start.size(); ++v) {
    const std::uint32_t begin = start[v], end = start[v + 1];
    if (end - begin > 1) std::sort(grouped.begin() + begin, grouped.begin() + end, before);
    for (std::uint32_t i = begin; i < end;) {
      std::uint32_t j = i + 1;
      while (j < end && same_run(grouped[i], grouped[j])) ++j;
      run(all.subspan(i, j - i));
      i = j;
    }
  }
}

}  // namespace twinscan::model
