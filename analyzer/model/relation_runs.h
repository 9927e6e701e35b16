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
/// relation, both times before the first `run`, and must answer alike; kinds, ends and
/// `far_end` are read once each, also before the first `run`, which may then change
/// anything (a relation's id, say).
///
/// The relations are grouped by their `from` end with a counting sort, each carrying its
/// kind and far end, then sorted by them within each group: the groups are small, so this
/// costs two passes over the relations in load order and one over the groups, rather than
/// a probe of a hash table far larger than the caches per relation, or a look-up of a
/// relation's kind and ends at random for each comparison. The merge of statements (a
/// request's relation keeps its own ends: its far end differs) and the numbering of made
/// ids both read relations so.
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
  // A relation with what it is sorted by, so that sorting a group reads the group alone.
  struct Keyed {
    std::uint32_t kind;
    std::uint32_t far;
    RelationId relation;
    bool operator<(const Keyed& o) const {
      if (kind != o.kind) return kind < o.kind;
      if (far != o.far) return far < o.far;
      return relation < o.relation;
    }
  };
  std::vector<Keyed> grouped(start.back());
  {
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (RelationId r = first; r < last; ++r) {
      if (include(r))
        grouped[next[group_of(r)]++] = {g.relation_kind[r], static_cast<std::uint32_t>(far_end(r)),
                                        r};
    }
  }
  std::vector<RelationId> in_run;
  for (std::size_t v = 0; v + 1 < start.size(); ++v) {
    const std::uint32_t begin = start[v], end = start[v + 1];
    if (end == begin) continue;
    if (end - begin == 1) {
      const RelationId only = grouped[begin].relation;
      run(std::span<const RelationId>(&only, 1));
      continue;
    }
    // Within a group the relations lie in load order: a short group is sorted in place by
    // insertion, which keeps that order among equals.
    if (end - begin <= 16) {
      for (std::uint32_t i = begin + 1; i < end; ++i) {
        const Keyed moving = grouped[i];
        std::uint32_t j = i;
        for (; j > begin && moving < grouped[j - 1]; --j) grouped[j] = grouped[j - 1];
        grouped[j] = moving;
      }
    } else {
      std::sort(grouped.begin() + begin, grouped.begin() + end);
    }
    for (std::uint32_t i = begin; i < end;) {
      in_run.clear();
      std::uint32_t j = i;
      for (; j < end && grouped[j].kind == grouped[i].kind && grouped[j].far == grouped[i].far; ++j)
        in_run.push_back(grouped[j].relation);
      run(std::span<const RelationId>(in_run));
      i = j;
    }
  }
}

}  // namespace twinscan::model
