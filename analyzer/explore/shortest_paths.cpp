#include "analyzer/explore/shortest_paths.h"

#include <algorithm>
#include <cstdint>

namespace twinscan::explore {
namespace {

constexpr std::uint32_t kUnreached = UINT32_MAX;

// Calls f(other, relation) for each relation of `v` the walk may follow: away from the
// start (`forward`: out-edges, or both ways when undirected), or towards the end (the
// reverse).
template <typename F>
void for_each_step(const model::Graph& graph, model::VertexId v, bool forward,
                   const PathOptions& options, F&& f) {
  auto walk = [&](std::span<const model::Adjacency> edges) {
    for (const auto& e : edges) {
      if (options.filter.allows(e.kind)) f(e.other, e.relation);
    }
  };
  if (!options.directed || forward) walk(graph.out_edges(v));
  if (!options.directed || !forward) walk(graph.in_edges(v));
}

class Search {
 public:
  Search(const model::Graph& graph, const PathOptions& options)
      : g_(graph),
        o_(options),
        dist_{std::vector<std::uint32_t>(graph.entity_count(), kUnreached),
              std::vector<std::uint32_t>(graph.entity_count(), kUnreached)} {}

  PathResult run(model::VertexId from, model::VertexId to) {
    PathResult result;
    ends_[0] = from;
    ends_[1] = to;
    if (from == to) {
      result.status = PathResult::Status::kFound;
      result.paths.push_back({{from}, {}});
      result.visited = 1;
      return result;
    }
    std::vector<model::VertexId> frontier[2] = {{from}, {to}};
    dist_[0][from] = 0;
    dist_[1][to] = 0;
    unsigned depth[2] = {0, 0};
    std::size_t visited = 2;
    std::vector<model::VertexId> meeting;
    std::size_t steps = 0;
    while (!frontier[0].empty() && !frontier[1].empty()) {
      if (o_.max_hops != 0 && depth[0] + depth[1] >= o_.max_hops) break;
      // The side with fewer relations to walk grows by one level.
      const int side = cost(frontier[0]) <= cost(frontier[1]) ? 0 : 1;
      const bool forward = side == 0;
      const auto next_depth = depth[side] + 1;
      std::vector<model::VertexId> next;
      for (const auto v : frontier[side]) {
        if (o_.deadline && (++steps & 1023U) == 0 &&
            std::chrono::steady_clock::now() > *o_.deadline) {
          result.status = PathResult::Status::kTimedOut;
          result.visited = visited;
          return result;
        }
        for_each_step(g_, v, forward, o_, [&](model::VertexId w, model::RelationId) {
          if (dist_[side][w] != kUnreached) return;
          dist_[side][w] = next_depth;
          ++visited;
          next.push_back(w);
          if (dist_[1 - side][w] != kUnreached) meeting.push_back(w);
        });
        // One path is enough to know the length; every path needs the whole level.
        if (!meeting.empty() && o_.max_paths <= 1) break;
      }
      depth[side] = next_depth;
      frontier[side] = std::move(next);
      if (!meeting.empty()) {
        // Before this level the sides were disjoint, so the shortest paths are
        // depth[0] + depth[1] long and cross this level at the meeting entities.
        result.status = PathResult::Status::kFound;
        result.length = depth[0] + depth[1];
        result.visited = visited;
        collect(meeting, result);
        return result;
      }
    }
    result.visited = visited;
    return result;
  }

 private:
  std::size_t cost(const std::vector<model::VertexId>& frontier) const {
    std::size_t total = 0;
    for (const auto v : frontier) total += g_.out_edges(v).size() + g_.in_edges(v).size();
    return total;
  }

  // The relations that make the hop a → b (a nearer the start).
  std::vector<model::RelationId> hop(model::VertexId a, model::VertexId b) const {
    std::vector<model::RelationId> out;
    for_each_step(g_, a, true, o_, [&](model::VertexId w, model::RelationId r) {
      if (w == b) out.push_back(r);
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // The entity sequences from the end of `side` to `v` along decreasing distance, at most
  // `cap` of them (each listed from the far end of the side to v).
  std::vector<std::vector<model::VertexId>> halves(int side, model::VertexId v,
                                                   std::size_t cap) const {
    std::vector<std::vector<model::VertexId>> out;
    // Depth-first over the search's levels, each step one level nearer the end, on a
    // stack of its own: a path may be hundreds of thousands of relations long.
    struct Level {
      model::VertexId at;
      std::vector<model::VertexId> nearer;  // the entities one level nearer that step to it
      std::size_t next = 0;
    };
    std::vector<Level> levels;
    const auto enter = [&](model::VertexId u) {
      Level level{u, {}, 0};
      if (u != ends_[side]) {
        const auto d = dist_[side][u];
        for_each_step(g_, u, side != 0, o_, [&](model::VertexId w, model::RelationId) {
          if (dist_[side][w] == d - 1) level.nearer.push_back(w);
        });
        std::sort(level.nearer.begin(), level.nearer.end());
        level.nearer.erase(std::unique(level.nearer.begin(), level.nearer.end()),
                           level.nearer.end());
      }
      levels.push_back(std::move(level));
    };
    enter(v);
    while (!levels.empty() && out.size() < cap) {
      Level& top = levels.back();
      if (top.at == ends_[side]) {
        std::vector<model::VertexId> sequence;
        sequence.reserve(levels.size());
        for (auto it = levels.rbegin(); it != levels.rend(); ++it) sequence.push_back(it->at);
        out.push_back(std::move(sequence));
        levels.pop_back();
      } else if (top.next == top.nearer.size()) {
        levels.pop_back();
      } else {
        enter(top.nearer[top.next++]);
      }
    }
    return out;
  }

  void collect(std::vector<model::VertexId> meeting, PathResult& result) const {
    std::sort(meeting.begin(), meeting.end());
    meeting.erase(std::unique(meeting.begin(), meeting.end()), meeting.end());
    const std::size_t want = std::max<std::size_t>(o_.max_paths, 1) + 1;  // one more: capped?
    std::vector<std::vector<model::VertexId>> sequences;
    for (const auto m : meeting) {
      if (sequences.size() >= want) break;
      const auto heads = halves(0, m, want);  // from … m
      const auto tails = halves(1, m, want);  // to … m
      for (const auto& h : heads) {
        for (const auto& t : tails) {
          if (sequences.size() >= want) break;
          auto s = h;
          s.insert(s.end(), t.rbegin() + 1, t.rend());
          sequences.push_back(std::move(s));
        }
      }
    }
    const std::size_t keep = std::max<std::size_t>(o_.max_paths, 1);
    result.capped = sequences.size() > keep;
    auto by_ids = [&](const std::vector<model::VertexId>& a,
                      const std::vector<model::VertexId>& b) {
      return std::lexicographical_compare(
          a.begin(), a.end(), b.begin(), b.end(),
          [&](model::VertexId x, model::VertexId y) { return g_.id(x) < g_.id(y); });
    };
    std::sort(sequences.begin(), sequences.end(), by_ids);
    if (sequences.size() > keep) sequences.resize(keep);
    for (auto& s : sequences) {
      Path p;
      for (std::size_t i = 0; i + 1 < s.size(); ++i) p.hops.push_back(hop(s[i], s[i + 1]));
      p.vertices = std::move(s);
      result.paths.push_back(std::move(p));
    }
  }

  const model::Graph& g_;
  const PathOptions& o_;
  std::vector<std::uint32_t> dist_[2];
  model::VertexId ends_[2] = {0, 0};
};

}  // namespace

PathResult shortest_paths(const model::Graph& graph, model::VertexId from, model::VertexId to,
                          const PathOptions& options) {
  return Search(graph, options).run(from, to);
}

}  // namespace twinscan::explore
