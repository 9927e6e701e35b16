#pragma once

#include <cstdint>

#include "analyzer/model/date.h"
#include "analyzer/model/graph.h"

namespace twinscan::model {

/// The keys of the dates that bound a relation, "since" and "until", looked up once per
/// graph. A key the graph never interned is 0 and bounds nothing.
struct PeriodKeys {
  Sym since = 0;
  Sym until = 0;
  bool since_known = false;
  bool until_known = false;

  static PeriodKeys of(const Graph& graph);
};

/// Whether relation `r` may have held on some day from `first_day` to `last_day` (days since
/// 1970-01-01, both included): it had begun by the last day (no "since", or one whose
/// period starts no later) and had not ended before the first (no "until", or one whose
/// period ends no earlier). A partial date is every day of its period, so an ownership
/// "until 2015" still holds on 2015-06-01, and has ended by 2016-01-01.
bool relation_held_during(const Graph& graph, RelationId r, const PeriodKeys& keys,
                          std::int64_t first_day, std::int64_t last_day);

/// Whether relation `r` held on `day` (relation_held_during over that one day): an ended
/// holding or tie no longer counts, one that begins later does not count yet.
inline bool relation_in_force(const Graph& graph, RelationId r, const PeriodKeys& keys,
                              const Date& day) {
  return relation_held_during(graph, r, keys, day.days_since_epoch(), day.last_days_since_epoch());
}

}  // namespace twinscan::model
