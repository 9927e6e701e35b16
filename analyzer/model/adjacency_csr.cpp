// The registry's adjacency in compressed-sparse-row form, forward and reverse: each
// vertex's edges sorted by (relation kind, far end, relation) so that one kind's edges
// form a contiguous run, and a (begin, count) range per vertex, so that a vertex's run
// can be moved when a request adds to it. The rows are written straight into the arrays
// the graph keeps: building them through a general CSR type (Boost.Graph's, once) took
// five copies of the records, about 240 MB of temporary arrays for a national registry
// of 10^6 entities.
#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "analyzer/model/adjacency_csr.h"
#include "analyzer/util/parallel_for.h"

namespace twinscan::model {

namespace {

// Below this many relations, building the two directions on two threads costs more in
// starting a thread than it saves.
constexpr std::size_t kTwoThreadsFrom = 50000;

bool adjacency_before(const Adjacency& a, const Adjacency& b) {
  if (a.kind != b.kind) return a.kind < b.kind;
  if (a.other != b.other) return a.other < b.other;
  return a.relation < b.relation;
}

// One direction's rows: a counting sort by tail places each relation's record, seen from
// its tail, in its tail's run; then each run (a vertex's edges, few but for hubs) is
// sorted.
void build_direction(const util::Column<VertexId>& tails, const util::Column<VertexId>& heads,
                     const util::Column<RelKindId>& kinds, std::size_t vertex_count,
                     util::Column<EdgeRange>& ranges, util::Column<Adjacency>& adjacency) {
  if (tails.size() > UINT32_MAX) throw std::length_error("too many relations");
  ranges.assign(vertex_count, EdgeRange{});
  for (const VertexId t : tails) ++ranges[t].count;
  std::uint32_t begin = 0;
  for (EdgeRange& range : ranges) {
    range.begin = begin;
    begin += range.count;
    range.count = 0;  // counts again as the run is filled
  }
  adjacency.assign(tails.size(), Adjacency{});
  for (RelationId r = 0; r < tails.size(); ++r) {
    EdgeRange& range = ranges[tails[r]];
    adjacency[range.begin + range.count++] = Adjacency{heads[r], r, kinds[r]};
  }
  for (const EdgeRange& range : ranges) {
    if (range.count > 1)
      std::sort(adjacency.data() + range.begin, adjacency.data() + range.begin + range.count,
                adjacency_before);
  }
}

// Adds the relations from `first` on to one direction's adjacency: each tail that gains
// edges gets its whole run, merged and re-sorted like build_direction, appended at the
// end.
void extend_direction(const util::Column<VertexId>& tails, const util::Column<VertexId>& heads,
                      const util::Column<RelKindId>& kinds, std::size_t vertex_count,
                      RelationId first, util::Column<EdgeRange>& ranges,
                      util::Column<Adjacency>& adjacency) {
  ranges.resize(vertex_count, EdgeRange{});
  std::vector<RelationId> added(tails.size() - first);
  std::iota(added.begin(), added.end(), first);
  std::sort(added.begin(), added.end(), [&](RelationId a, RelationId b) {
    return tails[a] != tails[b] ? tails[a] < tails[b] : a < b;
  });
  std::vector<Adjacency> run;
  for (std::size_t i = 0; i < added.size();) {
    const VertexId tail = tails[added[i]];
    const EdgeRange old = ranges[tail];
    run.assign(adjacency.data() + old.begin, adjacency.data() + old.begin + old.count);
    for (; i < added.size() && tails[added[i]] == tail; ++i) {
      const RelationId r = added[i];
      run.push_back({heads[r], r, kinds[r]});
    }
    std::sort(run.begin(), run.end(), adjacency_before);
    if (adjacency.size() + run.size() > UINT32_MAX) throw std::length_error("too many relations");
    ranges[tail] = {static_cast<std::uint32_t>(adjacency.size()),
                    static_cast<std::uint32_t>(run.size())};
    adjacency.append(run.begin(), run.end());
  }
}

}  // namespace

void attach_adjacency(GraphArrays& a) {
  const std::size_t n = a.entity_kind.size();
  auto forward = [&a, n] {
    build_direction(a.relation_from, a.relation_to, a.relation_kind, n, a.out_range, a.out_adj);
  };
  auto reverse = [&a, n] {
    build_direction(a.relation_to, a.relation_from, a.relation_kind, n, a.in_range, a.in_adj);
  };
  // The two directions read the same relation arrays and write apart: with many
  // relations each is built on a thread of its own (the result does not depend on it).
  if (a.relation_kind.size() < kTwoThreadsFrom) {
    forward();
    reverse();
    return;
  }
  util::parallel_for(2, 2, [&](std::size_t i) { i == 0 ? forward() : reverse(); });
}

void extend_adjacency(GraphArrays& a, RelationId first_relation) {
  const std::size_t n = a.entity_kind.size();
  if (first_relation > a.relation_from.size())
    throw std::logic_error("extend_adjacency: nothing to extend from");
  extend_direction(a.relation_from, a.relation_to, a.relation_kind, n, first_relation, a.out_range,
                   a.out_adj);
  extend_direction(a.relation_to, a.relation_from, a.relation_kind, n, first_relation, a.in_range,
                   a.in_adj);
}

}  // namespace twinscan::model
