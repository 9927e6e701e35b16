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
