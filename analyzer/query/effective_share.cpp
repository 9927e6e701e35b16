#include "analyzer/query/effective_share.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <unordered_map>

#include "analyzer/query/budget.h"
#include "analyzer/query/owner_links.h"

namespace twinscan::query {

std::optional<ShareWalk> ShareWalk::of(const model::Graph& graph, model::Date as_of) {
  const auto owned_by = graph.schema().find_relation("OWNED_BY");
  model::Sym share_key = 0;
  model::Sym share_min_key = 0;
  const bool share_known = graph.strings().find("share", share_key);
  const bool share_min_known = graph.strings().find("share_min", share_min_key);
  if (!owned_by || (!share_known && !share_min_known)) return std::nullopt;
  return ShareWalk{graph,
                   *owned_by,
                   share_known ? share_key : share_min_key,
                   share_known && share_min_known ? std::optional(share_min_key) : std::nullopt,
                   as_of,
                   model::PeriodKeys::of(graph),
                   static_cast<double>(as_of.days_since_epoch()),
                   static_cast<double>(as_of.last_days_since_epoch())};
}

// One pass over the properties: this runs for every link of every chain a walk without
// OwnerLinks follows.
std::optional<double> held_share(const ShareWalk& w, model::RelationId relation) {
  const double day_first = w.day_first;
  const double day_last = w.day_last;
  std::optional<double> share, lower;
  for (const auto& p : w.graph.relation_properties(relation)) {
    if (p.value.type == model::ValueType::kNumber) {
      if (p.key == w.share_key) share = p.value.number;
      if (w.share_min_key && p.key == *w.share_min_key) lower = p.value.number;
    } else if (p.value.type == model::ValueType::kDate) {
      if (w.period.since_known && p.key == w.period.since &&
          static_cast<double>(p.value.date.days_since_epoch()) > day_last)
        return std::nullopt;
      if (w.period.until_known && p.key == w.period.until &&
          static_cast<double>(p.value.date.last_days_since_epoch()) < day_first)
        return std::nullopt;
    }
  }
  return share ? share : lower;
}

namespace {

/// The one owner a pair's sum is for, and the run's budget, counting each link followed
/// (may be none).
struct PairWalk {
  model::VertexId owner;
  Budget* run_budget;
};

// Sums share products over every simple OWNED_BY chain from `node` to `owner` whose
// holdings are all in force on the as-of date, of at most `max_links` links. False when
// `budget` links were followed before every chain was: `total` is then the sum of the
// chains found, a lower bound.
bool sum_chains(const ShareWalk& w, const PairWalk& pair, model::VertexId node, double product,
                int depth, int max_links, std::vector<model::VertexId>& on_path, double& total,
                std::uint64_t& budget) {
  const model::Graph& g = w.graph;
  for (const auto& a : g.out_edges(node, w.owned_by)) {
    if (budget == 0) return false;
    --budget;
    if (pair.run_budget != nullptr) pair.run_budget->tick();
    if (std::find(on_path.begin(), on_path.end(), a.other) != on_path.end()) continue;
    const auto share = held_share(w, a.relation);
    if (!share) continue;
    const double p = product * *share;
    if (a.other == pair.owner) {
      total += p;
      continue;
    }
    if (depth + 1 >= max_links) continue;
    on_path.push_back(a.other);
    const bool whole =
        sum_chains(w, pair, a.other, p, depth + 1, max_links, on_path, total, budget);
    on_path.pop_back();
    if (!whole) return false;
  }
  return true;
}

// What bounds sum_chains()'s total when its chains are too many to list.
struct WalkSums {
  /// By length: the sum over every walk of that many links from the firm that meets the
  /// owner only at its end. Every chain is such a walk and no product is negative, so
  /// the sum over a length bounds that over its chains.
  std::array<double, kMaxChainLinks + 1> of_length{};
  bool cyclic = false;  ///< Some walk can come back to an entity it passed.
};

// The walk sums from `firm`, in a few passes over the holdings reachable, whatever the
// number of chains. Without a cycle among the entities walked through every walk is a
// chain, and the sums are exact.
WalkSums sum_walks(const ShareWalk& w, const PairWalk& pair, model::VertexId firm) {
  const model::Graph& g = w.graph;
  const auto held = [&](const model::Adjacency& a) -> std::optional<double> {
    if (pair.run_budget != nullptr) pair.run_budget->tick();
    if (a.other == firm) return std::nullopt;  // a chain never comes back to its firm
    const auto share = held_share(w, a.relation);
    if (!share || *share <= 0) return std::nullopt;
    return share;
  };
  WalkSums out;
  // Each pass spreads the weight of the walks of one length over their next links; the
  // owner ends walks and is not walked through.
  std::unordered_map<model::VertexId, double> front{{firm, 1.0}}, next;
  // The entities walked through (the firm first), each marked once found to reach the owner.
  std::unordered_map<model::VertexId, int> in_count;
  std::vector<model::VertexId> met{firm};
  in_count.emplace(firm, 0);
  for (int links = 1; links <= kMaxChainLinks && !front.empty(); ++links) {
    next.clear();
    for (const auto& [node, weight] : front) {
      for (const auto& a : g.out_edges(node, w.owned_by)) {
        const auto share = held(a);
        if (!share) continue;
        if (a.other == pair.owner) {
          out.of_length[static_cast<std::size_t>(links)] += weight * *share;
        } else if (links < kMaxChainLinks) {
          next[a.other] += weight * *share;
          if (in_count.emplace(a.other, 0).second) met.push_back(a.other);
        }
      }
    }
    front.swap(next);
  }
  // A cycle matters only among the entities a walk can pass on its way to the owner: those
  // that reach it. Found backwards from the owner's direct holdings, over the holdings walked.
  // holdings_of[x]: the entities walked through in which x holds a share.
  std::unordered_map<model::VertexId, std::vector<model::VertexId>> holdings_of;
  std::vector<model::VertexId> reaching;
  for (const model::VertexId node : met) {
    for (const auto& a : g.out_edges(node, w.owned_by)) {
      if (!held(a)) continue;
      if (a.other == pair.owner) {
        if (in_count.at(node) == 0) reaching.push_back(node);
        in_count.at(node) = 1;  // marks `node` as reaching
      } else if (in_count.count(a.other) != 0) {
        holdings_of[a.other].push_back(node);
      }
    }
  }
  for (std::size_t i = 0; i < reaching.size(); ++i) {
    const auto held_ones = holdings_of.find(reaching[i]);
    if (held_ones == holdings_of.end()) continue;
    for (const model::VertexId held_one : held_ones->second) {
      int& mark = in_count.at(held_one);
      if (mark == 0) {
        mark = 1;
        reaching.push_back(held_one);
      }
    }
  }
  // A cycle among them: Kahn's order leaves some of them out.
  // unfinished[x]: x's holdings in reaching entities not yet put in order.
  std::unordered_map<model::VertexId, int> unfinished;
  for (const model::VertexId node : reaching) unfinished.emplace(node, 0);
  for (const model::VertexId node : reaching) {
    const auto held_ones = holdings_of.find(node);
    if (held_ones == holdings_of.end()) continue;
    for (const model::VertexId held_one : held_ones->second) {
      if (unfinished.count(held_one) != 0) ++unfinished[node];
    }
  }
  std::vector<model::VertexId> ready;
  for (const auto& [node, count] : unfinished) {
    if (count == 0) ready.push_back(node);
  }
  std::size_t finished = 0;
  while (!ready.empty()) {
    const model::VertexId node = ready.back();
    ready.pop_back();
    ++finished;
    for (const auto& a : g.out_edges(node, w.owned_by)) {
      const auto found = unfinished.find(a.other);
      if (found != unfinished.end() && held(a) && --found->second == 0) ready.push_back(a.other);
    }
  }
  out.cyclic = finished != reaching.size();
  return out;
}

}  // namespace

Value effective_share(const ShareWalk& walk, model::VertexId firm, model::VertexId owner,
                      Budget* run_budget) {
  const PairWalk pair{owner, run_budget};
  // Most ownership structures a registry records have a few chains from a firm to an
  // owner: listed at once, without the passes below.
  constexpr std::uint64_t kFirstBudget = kListedLinks;
  std::vector<model::VertexId> on_path{firm};
  double total = 0;
  std::uint64_t budget = kFirstBudget;
  if (sum_chains(walk, pair, firm, 1.0, 0, kMaxChainLinks, on_path, total, budget)) {
    return Value::of_float(std::min(total, 1.0));
  }
  // Chains too many to list. Without cycles every walk is a chain, and their sum is
  // exact.
  const WalkSums walks = sum_walks(walk, pair, firm);
  double all_walks = 0;
  for (const double sum : walks.of_length) all_walks += sum;
  if (!walks.cyclic) return Value::of_float(std::min(all_walks, 1.0));
  // Cross-holdings (a clique of a dozen firms has millions of chains): the chains of up
  // to `listed` links are summed exactly, longer and longer as a budget allows, and the
  // longer ones bounded by their walks. A comparison the two bounds decide is answered;
  // one they leave open is unknown, and a rule cannot judge it. The budget lists every
  // chain of a structure with a few hundred thousand; a dense cross-holding spends it
  // in a fraction of a second.
  constexpr std::uint64_t kDeepeningBudget = 1'000'000;
  double lower = total;  // the chains the first search summed before it stopped
  double listed_sum = 0;
  int listed = 0;
  budget = kDeepeningBudget;
  // The holdings the last two depths followed: each depth costs about as many times the
  // one before as that one cost the one before it, and a depth that would take more than
  // twice the budget left is not begun.
  double cost_before = 0, cost_last = 0;
  for (int links = 1; links <= kMaxChainLinks; ++links) {
    if (cost_before > 0 &&
        cost_last * (cost_last / cost_before) > 2.0 * static_cast<double>(budget))
      break;
    double sum = 0;
    on_path.assign(1, firm);
    const std::uint64_t budget_before = budget;
    if (!sum_chains(walk, pair, firm, 1.0, 0, links, on_path, sum, budget)) break;
    cost_before = cost_last;
    cost_last = static_cast<double>(budget_before - budget);
    listed = links;
    listed_sum = sum;
    // No walk longer than this reaches the owner: every chain is listed.
    bool longer = false;
    for (int more = links + 1; more <= kMaxChainLinks; ++more) {
      longer = longer || walks.of_length[static_cast<std::size_t>(more)] > 0;
    }
    if (!longer) break;
  }
  lower = std::max(lower, listed_sum);
  double upper = listed_sum;
  for (int links = listed + 1; links <= kMaxChainLinks; ++links) {
    upper += walks.of_length[static_cast<std::size_t>(links)];
  }
  lower = std::min(lower, 1.0);
  upper = std::max(lower, std::min(upper, 1.0));
  if (upper == lower) return Value::of_float(lower);
  return Value::of_range(lower, upper, false);
}

namespace {

// The sums chain_shares() adds to, by entity, in the order the walk first meets them. A
// firm's chains mostly reach a few entities, found among them word by word; past
// kLinear of them an index finds them.
class ChainTotals {
 public:
  void clear() {
    shares_.clear();
    index_.clear();
  }
  // The sum for `owner`, made when first asked for. Valid until the next call.
  double& of(model::VertexId owner) {
    if (index_.empty()) {
      for (OwnerShare& s : shares_) {
        if (s.owner == owner) return s.share;
      }
      shares_.push_back({owner, 0});
      if (shares_.size() > kLinear) {
        for (std::size_t i = 0; i < shares_.size(); ++i) index_.emplace(shares_[i].owner, i);
      }
      return shares_.back().share;
    }
    const auto [at, added] = index_.try_emplace(owner, shares_.size());
    if (added) shares_.push_back({owner, 0});
    return shares_[at->second].share;
  }
  std::vector<OwnerShare>& shares() { return shares_; }

 private:
  static constexpr std::size_t kLinear = 16;
  std::vector<OwnerShare> shares_;
  std::unordered_map<model::VertexId, std::size_t> index_;
};

// A walk's view of the OWNED_BY links of each entity, read from the graph: each link's
// share is read from its relation when the walk comes to it.
struct GraphLinks {
  const ShareWalk& walk;
  [[nodiscard]] std::span<const model::Adjacency> of(model::VertexId holder) const {
    return walk.graph.out_edges(holder, walk.owned_by);
  }
  static model::VertexId owner(const model::Adjacency& a) { return a.other; }
  [[nodiscard]] std::optional<double> share(const model::Adjacency& a) const {
    return held_share(walk, a.relation);
  }
};

// The same view, read from links packed once for the walk's date.
struct PackedLinks {
  const OwnerLinks& links;
  [[nodiscard]] std::span<const OwnerLink> of(model::VertexId holder) const {
    return links.of(holder);
  }
  static model::VertexId owner(const OwnerLink& l) { return l.owner; }
  static std::optional<double> share(const OwnerLink& l) {
    return l.held != 0 ? std::optional<double>(l.share) : std::nullopt;
  }
};

// sum_chains() for every owner at once: it adds each chain's product to the entity the
// chain ends at, and goes on past it.
template <typename Links>
bool walk_chains(const Links& links, model::VertexId node, double product, int depth,
                 std::vector<model::VertexId>& on_path, ChainTotals& totals,
                 std::uint64_t& budget) {
  for (const auto& link : links.of(node)) {
    if (budget == 0) return false;
    --budget;
    const model::VertexId owner = Links::owner(link);
    if (std::find(on_path.begin(), on_path.end(), owner) != on_path.end()) continue;
    const auto share = links.share(link);
    if (!share) continue;
    const double p = product * *share;
    totals.of(owner) += p;
    if (depth + 1 >= kMaxChainLinks) continue;
    on_path.push_back(owner);
    const bool whole = walk_chains(links, owner, p, depth + 1, on_path, totals, budget);
    on_path.pop_back();
    if (!whole) return false;
  }
  return true;
}

template <typename Links>
bool chain_shares_over(const Links& links, model::VertexId firm, std::vector<OwnerShare>& out,
                       std::uint64_t& walked) {
  // Reused by the thread's next walk: a scan makes one per firm.
  thread_local ChainTotals totals;
  thread_local std::vector<model::VertexId> on_path;
  totals.clear();
  on_path.assign(1, firm);
  std::uint64_t budget = kListedLinks;
  const bool whole = walk_chains(links, firm, 1.0, 0, on_path, totals, budget);
  walked = kListedLinks - budget;
  out.clear();
  if (!whole) return false;
  out = totals.shares();
  std::sort(out.begin(), out.end(),
            [](const OwnerShare& a, const OwnerShare& b) { return a.owner < b.owner; });
  return true;
}

}  // namespace

bool chain_shares(const ShareWalk& walk, model::VertexId firm, std::vector<OwnerShare>& out,
                  std::uint64_t& walked) {
  return chain_shares_over(GraphLinks{walk}, firm, out, walked);
}

bool chain_shares(const OwnerLinks& links, model::VertexId firm, std::vector<OwnerShare>& out,
                  std::uint64_t& walked) {
  return chain_shares_over(PackedLinks{links}, firm, out, walked);
}

}  // namespace twinscan::query
