// The share of a firm that an owner holds through its chains of OWNED_BY relations: the
// sum over every simple chain of the product of its holdings, listed chain by chain, or
// bounded when cross-holdings join the two by too many chains to list.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "analyzer/model/date.h"
#include "analyzer/model/graph.h"
#include "analyzer/model/relation_period.h"
#include "analyzer/query/value.h"

namespace twinscan::query {

class Budget;

/// What an effective-share sum reads, looked up once for a graph and a date: the relation
/// kind, the share keys, the date the holdings must be in force on and the keys of their
/// periods.
struct ShareWalk {
  const model::Graph& graph;
  model::RelKindId owned_by;
  model::Sym share_key;
  std::optional<model::Sym> share_min_key;  ///< A range's lower bound, when no share is given.
  model::Date as_of;
  model::PeriodKeys period;
  /// The as-of date's first and last day, read once: a holding is read for every link
  /// of every chain.
  double day_first;
  double day_last;

  /// The walk over `graph`'s holdings in force on `as_of`; nothing when the graph has no
  /// OWNED_BY relation or no share key, so that no entity holds a share of another.
  static std::optional<ShareWalk> of(const model::Graph& graph, model::Date as_of);
};

/// The share a holding gives on `walk`'s date: its share, else its range's lower bound;
/// nothing when it has neither or is not in force then.
std::optional<double> held_share(const ShareWalk& walk, model::RelationId relation);

/// The longest chain an effective share follows, in links.
inline constexpr int kMaxChainLinks = 10;

/// The share of `firm` that `owner` holds through every chain (see effective_share() in
/// the function reference): a number up to 1, or a range when cross-holdings leave the
/// sum open. Each link followed is counted against `budget` (none: no count).
Value effective_share(const ShareWalk& walk, model::VertexId firm, model::VertexId owner,
                      Budget* budget);

/// One entity's share of a firm: the sum over the chains from the firm to it, not capped.
struct OwnerShare {
  model::VertexId owner = 0;
  double share = 0;
};

/// The shares of `firm` held by every entity up its chains, found in one walk, in `out`
/// by owner (ascending); `walked` is the number of holdings looked at. Each sum is the one
/// effective_share() finds for that owner, to the last bit: the same chains, added in the
/// same order (its walk is this one without what lies beyond the owner). False when the
/// chains are too many to list in kListedLinks holdings: `out` is then empty, and
/// effective_share() answers owner by owner.
bool chain_shares(const ShareWalk& walk, model::VertexId firm, std::vector<OwnerShare>& out,
                  std::uint64_t& walked);

/// How many holdings chain_shares() looks at before it gives up, as effective_share()
/// does before it turns to bounds: most ownership structures a registry records have a
/// few chains from a firm to the top.
inline constexpr std::uint64_t kListedLinks = 10'000;

}  // namespace twinscan::query
