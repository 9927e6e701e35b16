#include "analyzer/identity/identity_clusters.h"

#include <algorithm>
#include <deque>
#include <tuple>

namespace twinscan::identity {
namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

std::pair<std::uint32_t, std::uint32_t> ordered(std::uint32_t a, std::uint32_t b) {
  return a < b ? std::pair{a, b} : std::pair{b, a};
}

}  // namespace

std::uint32_t IdentityClusters::intern(const std::string& id) {
  auto [it, added] = index_.emplace(id, static_cast<std::uint32_t>(ids_.size()));
  if (added) {
    ids_.push_back(id);
    parent_.push_back(it->second);
    same_edges_.emplace_back();
  }
  return it->second;
}

std::optional<std::uint32_t> IdentityClusters::index_of(std::string_view id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::uint32_t IdentityClusters::root(std::uint32_t i) const {
  std::uint32_t r = i;
  while (parent_[r] != r) r = parent_[r];
  while (parent_[i] != r) {  // path compression
    const std::uint32_t next = parent_[i];
    parent_[i] = r;
    i = next;
  }
  return r;
}

IdentityClusters IdentityClusters::build(const std::vector<Judgement>& judgements,
                                         const LoadRank& rank, diag::Diagnostics& diagnostics) {
  IdentityClusters c;
  c.judgements_ = judgements;
  // Every "same" first, so that the result does not depend on the order of the file.
  for (std::uint32_t j = 0; j < judgements.size(); ++j) {
    const Judgement& judgement = judgements[j];
    const std::uint32_t a = c.intern(judgement.a);
    const std::uint32_t b = c.intern(judgement.b);
    if (judgement.verdict == Verdict::kDifferent) {
      c.differents_.push_back(j);
      continue;
    }
    c.same_edges_[a].push_back({b, j});
    c.same_edges_[b].push_back({a, j});
    const std::uint32_t ra = c.root(a);
    const std::uint32_t rb = c.root(b);
    if (ra != rb) c.parent_[std::max(ra, rb)] = std::min(ra, rb);
  }
  c.rank_.resize(c.ids_.size());
  for (std::uint32_t i = 0; i < c.ids_.size(); ++i) c.rank_[i] = rank ? rank(c.ids_[i]) : 0;
  c.canonical_.assign(c.ids_.size(), kNone);
  for (std::uint32_t i = 0; i < c.ids_.size(); ++i) {
    std::uint32_t& best = c.canonical_[c.root(i)];
    if (best == kNone || std::tie(c.rank_[i], c.ids_[i]) < std::tie(c.rank_[best], c.ids_[best]))
      best = i;
  }
  for (const std::uint32_t j : c.differents_) {
    const Judgement& judgement = judgements[j];
    const std::uint32_t a = c.index_.at(judgement.a);
    const std::uint32_t b = c.index_.at(judgement.b);
    if (c.root(a) == c.root(b)) {
      diagnostics.error(judgement.where, "'" + judgement.a + "' and '" + judgement.b +
                                             "' are judged both the same and different: " +
                                             c.describe_chain(c.chain(a, b)) + ", yet " +
                                             judgement.describe());
      continue;
    }
    c.different_roots_.push_back(ordered(c.root(a), c.root(b)));
  }
  std::sort(c.different_roots_.begin(), c.different_roots_.end());
  // Every id points at its root now, so that the const lookups never write and a built
  // IdentityClusters may be read from several threads.
  for (std::uint32_t i = 0; i < c.ids_.size(); ++i) c.parent_[i] = c.root(i);
  return c;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> IdentityClusters::chain(
    std::uint32_t from, std::uint32_t to) const {
  // Breadth first, so that the chain printed is a shortest one.
  std::vector<std::uint32_t> came_from(ids_.size(), kNone);
  std::vector<std::uint32_t> via(ids_.size(), kNone);
  std::deque<std::uint32_t> queue{from};
  came_from[from] = from;
  while (!queue.empty() && came_from[to] == kNone) {
    const std::uint32_t at = queue.front();
    queue.pop_front();
    for (const Edge& e : same_edges_[at]) {
      if (came_from[e.other] != kNone) continue;
      came_from[e.other] = at;
      via[e.other] = e.judgement;
      queue.push_back(e.other);
    }
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> steps;  // (from id, judgement)
  if (came_from[to] == kNone) return steps;
  for (std::uint32_t at = to; at != from; at = came_from[at])
    steps.emplace_back(came_from[at], via[at]);
  std::reverse(steps.begin(), steps.end());
  return steps;
}

std::string IdentityClusters::describe_step(std::uint32_t from, std::uint32_t judgement) const {
  const Judgement& j = judgements_[judgement];
  const bool forward = j.a == ids_[from];
  return (forward ? j.a : j.b) + " same " + (forward ? j.b : j.a) + " (by " + j.by + ", on " +
         j.on + ")";
}

std::string IdentityClusters::describe_chain(
    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& steps) const {
  std::string out;
  for (const auto& [from, judgement] : steps) {
    if (!out.empty()) out += ", ";
    out += describe_step(from, judgement);
  }
  return out;
}

std::optional<std::string> IdentityClusters::contradiction(const Judgement& judgement) const {
  const auto a = index_of(judgement.a);
  const auto b = index_of(judgement.b);
  if (!a || !b) return std::nullopt;  // an id never judged cannot contradict
  const std::uint32_t ra = root(*a);
  const std::uint32_t rb = root(*b);
  if (judgement.verdict == Verdict::kDifferent) {
    if (ra != rb) return std::nullopt;
    return describe_chain(chain(*a, *b)) + ", yet " + judgement.describe();
  }
  if (ra == rb ||
      !std::binary_search(different_roots_.begin(), different_roots_.end(), ordered(ra, rb)))
    return std::nullopt;
  // The "different" between the two clusters: x in a's cluster, y in b's.
  for (const std::uint32_t d : differents_) {
    std::uint32_t x = index_.at(judgements_[d].a);
    std::uint32_t y = index_.at(judgements_[d].b);
    if (root(x) == rb) std::swap(x, y);
    if (root(x) != ra || root(y) != rb) continue;
    std::string out = describe_chain(chain(x, *a));
    if (!out.empty()) out += ", ";
    out += judgement.describe();
    const std::string rest = describe_chain(chain(*b, y));
    if (!rest.empty()) out += ", " + rest;
    return out + ", yet " + judgements_[d].describe();
  }
  return std::nullopt;
}

std::string_view IdentityClusters::canonical(std::string_view id) const {
  const auto i = index_of(id);
  if (!i) return id;
  return ids_[canonical_[root(*i)]];
}

bool IdentityClusters::same(std::string_view a, std::string_view b) const {
  if (a == b) return true;
  const auto ia = index_of(a);
  const auto ib = index_of(b);
  return ia && ib && root(*ia) == root(*ib);
}

bool IdentityClusters::different(std::string_view a, std::string_view b) const {
  const auto ia = index_of(a);
  const auto ib = index_of(b);
  if (!ia || !ib) return false;
  return std::binary_search(different_roots_.begin(), different_roots_.end(),
                            ordered(root(*ia), root(*ib)));
}

std::vector<std::string> IdentityClusters::members(std::string_view id) const {
  const auto i = index_of(id);
  if (!i) return {std::string(id)};
  const std::uint32_t r = root(*i);
  std::vector<std::uint32_t> found;
  for (std::uint32_t k = 0; k < ids_.size(); ++k) {
    if (root(k) == r) found.push_back(k);
  }
  std::sort(found.begin(), found.end(), [&](std::uint32_t x, std::uint32_t y) {
    return std::tie(rank_[x], ids_[x]) < std::tie(rank_[y], ids_[y]);
  });
  std::vector<std::string> out;
  for (const std::uint32_t k : found) out.push_back(ids_[k]);
  return out;
}

std::vector<Cluster> IdentityClusters::clusters() const {
  std::vector<std::vector<std::uint32_t>> by_root(ids_.size());
  for (std::uint32_t k = 0; k < ids_.size(); ++k) by_root[root(k)].push_back(k);
  std::vector<std::vector<std::uint32_t>> groups;
  for (auto& g : by_root) {
    if (g.size() < 2) continue;
    std::sort(g.begin(), g.end(), [&](std::uint32_t x, std::uint32_t y) {
      return std::tie(rank_[x], ids_[x]) < std::tie(rank_[y], ids_[y]);
    });
    groups.push_back(std::move(g));
  }
  std::sort(groups.begin(), groups.end(), [&](const auto& x, const auto& y) {
    return std::tie(rank_[x[0]], ids_[x[0]]) < std::tie(rank_[y[0]], ids_[y[0]]);
  });
  std::vector<Cluster> out;
  for (const auto& g : groups) {
    // Ids are interned in the order the judgements name them.
    Cluster c{ids_[g[0]], {}, ids_[*std::min_element(g.begin(), g.end())]};
    for (const std::uint32_t k : g) c.members.push_back(ids_[k]);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace twinscan::identity
