#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "analyzer/model/graph_arrays.h"

namespace twinscan::model {

/// Adds sets of sources to a graph's set table (GraphArrays::source_sets), each distinct
/// set once, so that provenance costs one 32-bit id per entity, relation and property
/// value however many sources there are.
class SourceSetTable {
 public:
  /// A table over `arrays`, whose sets (a snapshot's, when extending one) it indexes.
  explicit SourceSetTable(GraphArrays& arrays);

  /// The set holding `source` alone.
  SourceSetId singleton(std::uint32_t source);
  /// The union of two sets.
  SourceSetId unite(SourceSetId a, SourceSetId b);
  /// The union of all of `sets`, interned alone: uniting them two at a time would intern
  /// every set on the way, n(n+1)/2 members for one statement of n sources.
  SourceSetId unite_all(std::span<const SourceSetId> sets);
  /// The set of `sources`, which must be ascending and distinct.
  SourceSetId intern(std::span<const std::uint32_t> sources);

 private:
  GraphArrays& a_;
  std::unordered_map<std::uint64_t, std::vector<SourceSetId>> by_hash_;
  std::unordered_map<std::uint64_t, SourceSetId> unions_;  // (a << 32 | b) -> a ∪ b
  std::vector<SourceSetId> singletons_;                    // by source; UINT32_MAX: none yet
};

}  // namespace twinscan::model
