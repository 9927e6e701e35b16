#include "analyzer/model/relation_period.h"

namespace twinscan::model {

PeriodKeys PeriodKeys::of(const Graph& graph) {
  PeriodKeys keys;
  keys.since_known = graph.since_key(keys.since);
  keys.until_known = graph.until_key(keys.until);
  return keys;
}

bool relation_held_during(const Graph& graph, RelationId r, const PeriodKeys& keys,
                          std::int64_t first_day, std::int64_t last_day) {
  if (!keys.since_known && !keys.until_known) return true;
  for (const auto& p : graph.relation_properties(r)) {
    if (p.value.type != ValueType::kDate) continue;
    if (keys.since_known && p.key == keys.since && p.value.date.days_since_epoch() > last_day)
      return false;
    if (keys.until_known && p.key == keys.until && p.value.date.last_days_since_epoch() < first_day)
      return false;
  }
  return true;
}

}  // namespace twinscan::model
