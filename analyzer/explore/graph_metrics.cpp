// The one translation unit of explore/ that includes Boost.Graph: the graph measured is
// copied once into compressed-sparse-row graphs (about 8 bytes per edge), on which
// Boost's algorithms run.
#include "analyzer/explore/graph_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <utility>

#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/property_map/property_map.hpp>
#include <boost/range/iterator_range.hpp>

namespace twinscan::explore {
namespace {

using Csr =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                       boost::no_property, std::uint32_t, std::uint32_t>;
using Arc = std::pair<std::uint32_t, std::uint32_t>;

// The simple graph of `arcs` (no loops, each pair once), both ways when undirected.
Csr simple_csr(std::vector<Arc> arcs, std::size_t n, bool symmetric) {
  std::vector<Arc> out;
  out.reserve(arcs.size() * (symmetric ? 2 : 1));
  for (const auto& [u, v] : arcs) {
    if (u == v) continue;
    out.emplace_back(u, v);
    if (symmetric) out.emplace_back(v, u);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return Csr(boost::edges_are_sorted, out.begin(), out.end(), n);
}

bool past(const MetricsOptions& o) {
  return o.deadline && std::chrono::steady_clock::now() > *o.deadline;
}

// Numbers components by size descending, ties by their first vertex.
std::vector<std::size_t> renumber(std::vector<std::uint32_t>& component, std::size_t count) {
  std::vector<std::size_t> size(count, 0);
  std::vector<std::uint32_t> first(count, UINT32_MAX);
  for (std::uint32_t v = 0; v < component.size(); ++v) {
    ++size[component[v]];
    first[component[v]] = std::min(first[component[v]], v);
  }
  std::vector<std::uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0U);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return size[a] != size[b] ? size[a] > size[b] : first[a] < first[b];
  });
  std::vector<std::uint32_t> rank(count);
  std::vector<std::size_t> sizes(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    rank[order[i]] = i;
    sizes[i] = size[order[i]];
  }
  for (auto& c : component) c = rank[c];
  return sizes;
}

// Brandes' accumulation from one source, its breadth-first search run by Boost: the
// visitor counts shortest paths as edges are met; predecessors are found again when
// dependencies are summed (the entities one level nearer among the in-neighbours), so
// nothing is kept per edge.
class PathCounter : public boost::default_bfs_visitor {
 public:
  struct State {
    std::vector<std::uint32_t> dist;
    std::vector<double> sigma, delta;
    std::vector<std::uint32_t> order;
  };
  explicit PathCounter(State& s) : s_(&s) {}
  void discover_vertex(std::uint32_t v, const Csr&) const { s_->order.push_back(v); }
  void tree_edge(boost::graph_traits<Csr>::edge_descriptor e, const Csr& g) const {
    const auto u = boost::source(e, g), v = boost::target(e, g);
    s_->dist[v] = s_->dist[u] + 1;
    s_->sigma[v] += s_->sigma[u];
  }
  void non_tree_edge(boost::graph_traits<Csr>::edge_descriptor e, const Csr& g) const {
    const auto u = boost::source(e, g), v = boost::target(e, g);
    if (s_->dist[v] == s_->dist[u] + 1) s_->sigma[v] += s_->sigma[u];
  }

 private:
  State* s_;
};

// Betweenness from `sources` only (raw sums of dependencies, as networkx accumulates
// them before rescaling); `reverse` is `g` with every edge turned round (g itself when
// symmetric). False when the deadline passed.
bool sampled_betweenness(const Csr& g, const Csr& reverse,
                         const std::vector<std::uint32_t>& sources, std::vector<double>& out,
                         const MetricsOptions& o) {
  const std::size_t n = boost::num_vertices(g);
  PathCounter::State s;
  s.dist.assign(n, UINT32_MAX);
  s.sigma.assign(n, 0);
  s.delta.assign(n, 0);
  std::vector<boost::default_color_type> colour(n, boost::white_color);
  for (const auto source : sources) {
    if (past(o)) return false;
    for (const auto v : s.order) {
      s.dist[v] = UINT32_MAX;
      s.sigma[v] = 0;
      s.delta[v] = 0;
      colour[v] = boost::white_color;
    }
    s.order.clear();
    s.dist[source] = 0;
    s.sigma[source] = 1;
    boost::breadth_first_visit(g, source,
                               boost::visitor(PathCounter(s))
                                   .color_map(boost::make_iterator_property_map(
                                       colour.begin(), boost::get(boost::vertex_index, g))));
    for (auto it = s.order.rbegin(); it != s.order.rend(); ++it) {
      const auto w = *it;
      if (w == source) continue;
      const double share = (1 + s.delta[w]) / s.sigma[w];
      for (const auto e : boost::make_iterator_range(boost::out_edges(w, reverse))) {
        const auto v = boost::target(e, reverse);
        if (s.dist[v] + 1 == s.dist[w]) s.delta[v] += s.sigma[v] * share;
      }
      out[w] += s.delta[w];
    }
  }
  return true;
}

}  // namespace

Metrics compute_metrics(const model::Graph& graph, const MetricsOptions& o) {
  Metrics m;
  // The vertices: every entity, or those a relation of the allowed kinds touches.
  std::vector<std::uint32_t> local(graph.entity_count(), UINT32_MAX);
  if (o.filter.every_kind()) {
    m.vertices.resize(graph.entity_count());
    std::iota(m.vertices.begin(), m.vertices.end(), model::VertexId{0});
  } else {
    std::vector<bool> touched(graph.entity_count(), false);
    for (model::RelationId r = 0; r < graph.relation_count(); ++r) {
      if (!o.filter.allows(graph.relation_kind(r))) continue;
      touched[graph.relation_source(r)] = true;
      touched[graph.relation_target(r)] = true;
    }
    for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
      if (touched[v]) m.vertices.push_back(v);
    }
  }
  const std::size_t n = m.vertices.size();
  for (std::uint32_t i = 0; i < n; ++i) local[m.vertices[i]] = i;
  std::vector<Arc> arcs;  // one per relation, from source to target
  for (model::RelationId r = 0; r < graph.relation_count(); ++r) {
    if (!o.filter.allows(graph.relation_kind(r))) continue;
    arcs.emplace_back(local[graph.relation_source(r)], local[graph.relation_target(r)]);
  }
  m.edges = arcs.size();

  if (o.degree) {
    m.degree.assign(n, 0);
    m.in_degree.assign(n, 0);
    m.out_degree.assign(n, 0);
    for (const auto& [u, v] : arcs) {
      ++m.out_degree[u];
      ++m.in_degree[v];
      ++m.degree[u];
      ++m.degree[v];
    }
  }

  std::optional<Csr> symmetric, directed;
  auto sym = [&]() -> const Csr& {
    if (!symmetric) symmetric.emplace(simple_csr(arcs, n, true));
    return *symmetric;
  };
  auto dir = [&]() -> const Csr& {
    if (!directed) directed.emplace(simple_csr(arcs, n, false));
    return *directed;
  };

  if (o.components) {
    // A symmetric directed graph's depth-first trees are its connected components
    // (connected_components' plain overload accepts it).
    m.component.assign(n, 0);
    const auto count =
        n == 0 ? 0
               : boost::connected_components(
                     sym(), boost::make_iterator_property_map(
                                m.component.begin(), boost::get(boost::vertex_index, sym())));
    m.component_sizes = renumber(m.component, count);
    if (o.directed) {
      m.strong_component.assign(n, 0);
      const auto strong =
          n == 0 ? 0
                 : boost::strong_components(dir(), boost::make_iterator_property_map(
                                                       m.strong_component.begin(),
                                                       boost::get(boost::vertex_index, dir())));
      m.strong_component_sizes = renumber(m.strong_component, strong);
    }
  }

  if (o.betweenness) {
    const Csr& g = o.directed ? dir() : sym();
    m.betweenness.assign(n, 0.0);
    // Boost's Brandes cannot be stopped midway: under a deadline, exact betweenness goes
    // through the sampling code with every entity as a source, which checks the clock.
    if (o.betweenness_samples == 0 && !o.deadline) {
      if (n > 0) {
        boost::brandes_betweenness_centrality(
            g, boost::make_iterator_property_map(m.betweenness.begin(),
                                                 boost::get(boost::vertex_index, g)));
      }
      m.betweenness_sources = n;
    } else {
      // k sources drawn by a partial Fisher–Yates shuffle; k >= n is every entity once,
      // by the same code, so it gives the exact figures.
      std::vector<std::uint32_t> all(n);
      std::iota(all.begin(), all.end(), 0U);
      std::mt19937_64 random(o.seed);
      const std::size_t k = o.betweenness_samples == 0 ? n : std::min(o.betweenness_samples, n);
      for (std::size_t i = 0; i < k && k < n; ++i) {
        std::swap(all[i], all[i + random() % (n - i)]);
      }
      all.resize(k);
      std::sort(all.begin(), all.end());
      std::optional<Csr> turned;
      if (o.directed) {
        std::vector<Arc> back;
        back.reserve(arcs.size());
        for (const auto& [u, v] : arcs) back.emplace_back(v, u);
        turned.emplace(simple_csr(std::move(back), n, false));
      }
      if (!sampled_betweenness(g, turned ? *turned : g, all, m.betweenness, o)) {
        m.timed_out = true;
        return m;
      }
      m.betweenness_sources = k;
      m.betweenness_sampled = k < n;
    }
    if (n > 2) {
      double scale = 1.0 / (static_cast<double>(n - 1) * static_cast<double>(n - 2));
      if (m.betweenness_sampled)
        scale *= static_cast<double>(n) / static_cast<double>(m.betweenness_sources);
      for (auto& b : m.betweenness) b *= scale;
    }
  }

  if (o.pagerank && n > 0) {
    // networkx's pagerank: the adjacency matrix (a relation to oneself once, others both
    // ways when undirected), rows scaled to sum 1, rows of zeros spread evenly.
    std::vector<Arc> pr;
    pr.reserve(arcs.size() * 2);
    for (const auto& [u, v] : arcs) {
      pr.emplace_back(u, v);
      if (!o.directed && u != v) pr.emplace_back(v, u);
    }
    std::vector<double> weight(n, 0.0);
    for (const auto& a : pr) weight[a.first] += 1.0;
    const double nd = static_cast<double>(n);
    std::vector<double> x(n, 1.0 / nd), next(n);
    m.pagerank_converged = false;
    for (unsigned it = 0; it < o.pagerank_max_iterations; ++it) {
      if (past(o)) {
        m.timed_out = true;
        return m;
      }
      double dangling = 0;
      for (std::size_t v = 0; v < n; ++v) {
        if (weight[v] == 0) dangling += x[v];
      }
      std::fill(next.begin(), next.end(), 0.0);
      for (const auto& [u, v] : pr) next[v] += x[u] / weight[u];
      double err = 0;
      for (std::size_t v = 0; v < n; ++v) {
        next[v] = o.damping * (next[v] + dangling / nd) + (1 - o.damping) / nd;
        err += std::abs(next[v] - x[v]);
      }
      std::swap(x, next);
      m.pagerank_iterations = it + 1;
      if (err < nd * o.pagerank_tolerance) {
        m.pagerank_converged = true;
        break;
      }
    }
    m.pagerank = std::move(x);
  }
  return m;
}

}  // namespace twinscan::explore
