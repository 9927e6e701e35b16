// The only translation unit that includes Boost.Graph, and only its public interface:
// the registry's adjacency is built as two compressed-sparse-row graphs (forward and
// reverse), each vertex's edges sorted by (relation kind, far end) so that one kind's
// edges form a contiguous run; their edge bundles are read back, vertex by vertex, into
// the graph's edge arrays and a (begin, count) range per vertex, so that a vertex's run
// can be moved when a request adds to it. (Reading them back costs one copy of the
// records, a few milliseconds per million relations; Boost gives no public way to take
// its arrays over.)
#include <algorithm>
#include <numeric>
#include <stdexcept>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/range/iterator_range.hpp>

#include "analyzer/model/adjacency_csr.h"
#include "analyzer/util/parallel_for.h"

namespace twinscan::model {

using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, Adjacency,
                                               boost::no_property, std::uint32_t, std::uint32_t>;

namespace {

// Below this many relations, building the two directions on two threads costs more in
// starting a thread than it saves.
constexpr std::size_t kTwoThreadsFrom = 50000;

// Orders relations by (tail, kind, head) — a counting sort by tail, then a sort of each
// tail's few relations — and builds one CSR whose edge properties are the Adjacency
// records seen from the tail.
Csr build_csr(const util::Column<VertexId>& tails, const util::Column<VertexId>& heads,
              const util::Column<RelKindId>& kinds, std::size_t vertex_count) {
  std::vector<std::uint32_t> start(vertex_count + 1, 0);
  for (VertexId t : tails) ++start[t + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<RelationId> order(tails.size());
  {
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (RelationId r = 0; r < tails.size(); ++r) order[next[tails[r]]++] = r;
  }
  for (std::size_t v = 0; v < vertex_count; ++v) {
    std::sort(order.begin() + start[v], order.begin() + start[v + 1],
              [&](RelationId a, RelationId b) {
                if (kinds[a] != kinds[b]) return kinds[a] < kinds[b];
                if (heads[a] != heads[b]) return heads[a] < heads[b];
                return a < b;
              });
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  std::vector<Adjacency> properties;
  edges.reserve(order.size());
  properties.reserve(order.size());
  for (RelationId r : order) {
    edges.emplace_back(tails[r], heads[r]);
    properties.push_back({heads[r], r, kinds[r]});
  }
  return Csr(boost::edges_are_sorted, edges.begin(), edges.end(), properties.begin(),
             static_cast<std::uint32_t>(vertex_count));
}

// Reads a CSR back through Boost's public interface: each vertex's out-edges, in row
// order, give its range and its Adjacency records (the edge bundles).
void take_csr(const Csr& csr, std::size_t vertex_count, util::Column<EdgeRange>& ranges,
              util::Column<Adjacency>& adjacency) {
  std::vector<EdgeRange> out(vertex_count);
  std::vector<Adjacency> records;
  records.reserve(boost::num_edges(csr));
  for (std::uint32_t v = 0; v < vertex_count; ++v) {
    const auto begin = static_cast<std::uint32_t>(records.size());
    for (const auto e : boost::make_iterator_range(boost::out_edges(v, csr)))
      records.push_back(csr[e]);
    out[v] = {begin, static_cast<std::uint32_t>(records.size()) - begin};
  }
  ranges = std::move(out);
  adjacency = std::move(records);
}

// Adds the relations from `first` on to one direction's adjacency: each tail that gains
// edges gets its whole run, merged and re-sorted like build_csr, appended at the end.
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
    std::sort(run.begin(), run.end(), [](const Adjacency& a, const Adjacency& b) {
      if (a.kind != b.kind) return a.kind < b.kind;
      if (a.other != b.other) return a.other < b.other;
      return a.relation < b.relation;
    });
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
    Csr csr = build_csr(a.relation_from, a.relation_to, a.relation_kind, n);
    take_csr(csr, n, a.out_range, a.out_adj);
  };
  auto reverse = [&a, n] {
    Csr csr = build_csr(a.relation_to, a.relation_from, a.relation_kind, n);
    take_csr(csr, n, a.in_range, a.in_adj);
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
