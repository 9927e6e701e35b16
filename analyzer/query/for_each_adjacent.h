// Calls a function for each relation of given kinds at a vertex: the innermost loop of
// every expansion and walk the Matcher makes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/query/ast.h"

namespace twinscan::query {

// Calls f(adjacency) for the relations of `edge` at vertex v in direction d. A
// self-loop is seen once when walking both ways. Stops when f returns false.
template <typename F>
bool for_each_adjacent(const model::Graph& g, model::VertexId v, Direction d,
                       const std::vector<model::RelKindId>& types, F&& f) {
  auto visit = [&](std::span<const model::Adjacency> edges, bool incoming) {
    for (const auto& a : edges) {
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
      for (const auto& a : all) {
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

}  // namespace twinscan::query
