// The only translation unit that includes Boost.Graph: the registry's adjacency is
// two compressed-sparse-row graphs (forward and reverse), each vertex's edges sorted
// by (relation kind, far end) so that one kind's edges form a contiguous run.
#include <algorithm>
#include <numeric>

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "analyzer/model/graph.h"

namespace twinscan::model {

using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, Adjacency,
                                               boost::no_property, std::uint32_t, std::uint32_t>;

class CsrStorage {
 public:
  Csr forward;
  Csr reverse;
};

namespace {

// Orders relations by (tail, kind, head) — a counting sort by tail, then a sort of each
// tail's few relations — and builds one CSR whose edge properties are the Adjacency
// records seen from the tail.
Csr build_csr(const std::vector<VertexId>& tails, const std::vector<VertexId>& heads,
              const std::vector<RelKindId>& kinds, std::size_t vertex_count) {
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

}  // namespace

Graph::Graph() = default;
Graph::~Graph() = default;

void attach_adjacency(Graph& g) {
  auto storage = std::make_unique<CsrStorage>();
  const std::size_t n = g.entity_kind_.size();
  storage->forward = build_csr(g.relation_from_, g.relation_to_, g.relation_kind_, n);
  storage->reverse = build_csr(g.relation_to_, g.relation_from_, g.relation_kind_, n);
  // Traversal reads Boost's arrays directly through these cached views.
  g.out_start_ = storage->forward.m_forward.m_rowstart.data();
  g.out_adj_ = storage->forward.m_forward.m_edge_properties.data();
  g.in_start_ = storage->reverse.m_forward.m_rowstart.data();
  g.in_adj_ = storage->reverse.m_forward.m_edge_properties.data();
  g.csr_ = std::move(storage);
}

std::size_t Graph::adjacency_bytes() const {
  if (!csr_) return 0;
  std::size_t bytes = 0;
  for (const Csr* csr : {&csr_->forward, &csr_->reverse}) {
    bytes += csr->m_forward.m_rowstart.capacity() * sizeof(std::uint32_t);
    bytes += csr->m_forward.m_column.capacity() * sizeof(std::uint32_t);
    bytes += csr->m_forward.m_edge_properties.capacity() * sizeof(Adjacency);
  }
  return bytes;
}

}  // namespace twinscan::model
