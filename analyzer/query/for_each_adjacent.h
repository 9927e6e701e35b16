// Calls a function for each relation of given kinds at a vertex: the innermost loop of
// every expansion and walk the Matcher makes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/query/ast.h"

namespace twinscan::query {

// Asks ahead for the far ends a loop over `edges` visits next (those `wanted` says the
// loop follows): the first step of the vertex four edges on, the second step of the one
// two edges on (model::Graph::prefetch_vertex). Visiting a far end is what a search does
// next, at a random place of memory; asked for this way, the waits of siblings overlap.
template <typename Wanted>
class FarEndsAhead {
 public:
  FarEndsAhead(const model::Graph& g, std::span<const model::Adjacency> edges, Wanted wanted)
      : g_(g), edges_(edges), wanted_(wanted) {
    // A single edge is visited at once: there is nothing to overlap.
    if (edges.size() < 2) return;
    for (std::size_t i = 0; i < std::min(kFirst, edges.size()); ++i) first(i);
  }
  // Called before visiting edges[i].
  void ask(std::size_t i) const {
    if (i + kFirst < edges_.size()) first(i + kFirst);
    if (i + kSecond < edges_.size()) second(i + kSecond);
  }

 private:
  static constexpr std::size_t kFirst = 4;
  static constexpr std::size_t kSecond = 2;
  void first(std::size_t i) const {
    if (wanted_(edges_[i])) g_.prefetch_vertex(edges_[i].other);
  }
  void second(std::size_t i) const {
    if (wanted_(edges_[i])) g_.prefetch_vertex_data(edges_[i].other);
  }
  const model::Graph& g_;
  std::span<const model::Adjacency> edges_;
  Wanted wanted_;
};

// Whether a loop over a vertex's relations asks ahead for their far ends: a search that
// visits each far end next (depth first) does; one that only notes them (breadth first,
// counting) would fetch lines it does not read, thousands at a hub.
enum class FarEnds { kVisited, kNoted };

// Calls f(adjacency) for the relations of `edge` at vertex v in direction d. A
// self-loop is seen once when walking both ways. Stops when f returns false.
template <FarEnds kFarEnds = FarEnds::kNoted, typename F>
bool for_each_adjacent(const model::Graph& g, model::VertexId v, Direction d,
                       const std::vector<model::RelKindId>& types, F&& f) {
  constexpr bool kAskAhead = kFarEnds == FarEnds::kVisited;
  auto visit = [&](std::span<const model::Adjacency> edges, bool incoming) {
    FarEndsAhead ahead(g, kAskAhead ? edges : std::span<const model::Adjacency>{},
                       [](const model::Adjacency&) { return true; });
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if constexpr (kAskAhead) ahead.ask(i);
      const auto& a = edges[i];
      if (incoming && d == Direction::kBoth && a.other == v) continue;
      if (!f(a)) return false;
    }
    return true;
  };
  // `types` is sorted, like each vertex's edges: one pass keeping the wanted kinds visits
  // them in the same order as a run per kind, and is cheaper unless the vertex has many
  // edges and few of them are wanted.
  std::uint64_t mask = 0;
  bool maskable = types.size() > 1;
  for (auto t : types) {
    if (t >= 64) maskable = false;
    mask |= std::uint64_t{1} << (t & 63U);
  }
  auto visit_all = [&](bool outgoing) {
    const auto all = outgoing ? g.out_edges(v) : g.in_edges(v);
    if (types.empty()) return visit(all, !outgoing);
    if (maskable && all.size() <= 8 * types.size()) {
      FarEndsAhead ahead(g, kAskAhead ? all : std::span<const model::Adjacency>{},
                         [mask](const model::Adjacency& a) { return (mask >> a.kind & 1U) != 0; });
      for (std::size_t i = 0; i < all.size(); ++i) {
        if constexpr (kAskAhead) ahead.ask(i);
        const auto& a = all[i];
        if (!(mask >> a.kind & 1U)) continue;
        if (!outgoing && d == Direction::kBoth && a.other == v) continue;
        if (!f(a)) return false;
      }
      return true;
    }
    for (auto t : types) {
      if (!visit(outgoing ? g.out_edges(v, t) : g.in_edges(v, t), !outgoing)) return false;
    }
    return true;
  };
  if (d != Direction::kIn && !visit_all(true)) return false;
  if (d != Direction::kOut && !visit_all(false)) return false;
  return true;
}

// Calls f(adjacency) for the relations of `types` (any kind when empty) between v and
// `target`, in direction d from v, in the order for_each_adjacent gives them. A vertex's
// relations of one kind are sorted by far end (then relation), so those reaching `target`
// are found by binary search: checking a relation at a hub (a municipality party to
// 20,000 agreements) does not read all of its relations.
template <typename F>
bool for_each_adjacent_to(const model::Graph& g, model::VertexId v, model::VertexId target,
                          Direction d, const std::vector<model::RelKindId>& types, F&& f) {
  auto visit_run = [&](std::span<const model::Adjacency> run, bool incoming) {
    if (incoming && d == Direction::kBoth && target == v) return true;  // a self-loop once
    for (const auto& a : model::Graph::reaching(run, target)) {
      if (!f(a)) return false;
    }
    return true;
  };
  auto visit_direction = [&](bool outgoing) {
    auto run_of = [&](model::RelKindId kind) {
      return outgoing ? g.out_edges(v, kind) : g.in_edges(v, kind);
    };
    if (types.empty()) {
      const auto kinds = static_cast<model::RelKindId>(g.schema().relations().size());
      for (model::RelKindId kind = 0; kind < kinds; ++kind) {
        if (!visit_run(run_of(kind), !outgoing)) return false;
      }
      return true;
    }
    for (auto t : types) {
      if (!visit_run(run_of(t), !outgoing)) return false;
    }
    return true;
  };
  if (d != Direction::kIn && !visit_direction(true)) return false;
  if (d != Direction::kOut && !visit_direction(false)) return false;
  return true;
}

}  // namespace twinscan::query
