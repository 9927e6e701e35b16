// Asks for the texts of the findings a report writes next, ahead of writing them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/rules/finding.h"
#include "analyzer/util/prefetch.h"

namespace twinscan::report {

/// The findings' texts lie all over the heap, in the order the rules built them, not the
/// report's, and the ids of their entities and relations at random places of the string
/// pool, three loads deep (Graph::TextStep). While finding i of a run is written, the
/// findings after it are asked for, each a step further than the one after it: its own
/// texts (which hold its entities and relations) 8 ahead, the symbols of their ids 6
/// ahead, where their texts lie 4 ahead, the texts 2 ahead. Each step reads what was asked
/// for two findings before, so the misses overlap instead of following one another.
class FindingsAhead {
 public:
  /// For writing findings [begin, end) in order; asks for the first ones' own texts.
  FindingsAhead(const model::Graph& graph, const std::vector<rules::Finding>& findings,
                std::size_t begin, std::size_t end)
      : graph_(graph), findings_(findings), end_(end) {
    for (std::size_t i = begin; i < std::min(begin + kOwn, end); ++i) own_texts(findings_[i]);
  }

  /// Finding i is about to be written.
  void ask(std::size_t i) const {
    using Step = model::Graph::TextStep;
    if (i + kOwn < end_) own_texts(findings_[i + kOwn]);
    if (i + 6 < end_) ids(findings_[i + 6], Step::kSymbols);
    if (i + 4 < end_) ids(findings_[i + 4], Step::kEntries);
    if (i + 2 < end_) ids(findings_[i + 2], Step::kTexts);
  }

 private:
  static constexpr std::size_t kOwn = 8;

  // A finding's own texts (its title and category are its rule's, read for every one).
  static void own_texts(const rules::Finding& f) {
    util::prefetch(f.message.data());
    util::prefetch(f.fingerprint.data());
    util::prefetch(f.bindings.data());
    util::prefetch(f.entities.data());
    util::prefetch(f.relations.data());
  }
  // One step of the ids of a finding's entities and relations.
  void ids(const rules::Finding& f, model::Graph::TextStep step) const {
    for (const model::VertexId v : f.entities) graph_.prefetch_entity_texts(v, step);
    for (const model::RelationId r : f.relations) graph_.prefetch_relation_text(r, step);
  }

  const model::Graph& graph_;
  const std::vector<rules::Finding>& findings_;
  std::size_t end_;
};

}  // namespace twinscan::report
