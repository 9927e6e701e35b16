// Asks for the texts of the findings a report writes next, ahead of writing them.
#pragma once

#include <algorithm>
#include <cstddef>

#include "analyzer/model/graph.h"
#include "analyzer/rules/finding_list.h"
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
  FindingsAhead(const model::Graph& graph, const rules::FindingList& findings, std::size_t begin,
                std::size_t end)
      : graph_(graph),
        end_(end),
        own_(at(findings, begin + kOwn, end)),
        symbols_(at(findings, begin + 6, end)),
        entries_(at(findings, begin + 4, end)),
        texts_(at(findings, begin + 2, end)) {
    for (auto it = findings.begin() + static_cast<std::ptrdiff_t>(begin); it < own_; ++it)
      own_texts(*it);
  }

  /// Finding i is about to be written: called for each of [begin, end) in turn. The
  /// findings ahead are reached by stepping, not by looking each one up in the list.
  void ask(std::size_t i) {
    using Step = model::Graph::TextStep;
    if (i + kOwn < end_) own_texts(*own_++);
    if (i + 6 < end_) ids(*symbols_++, Step::kSymbols);
    if (i + 4 < end_) ids(*entries_++, Step::kEntries);
    if (i + 2 < end_) ids(*texts_++, Step::kTexts);
  }

 private:
  static constexpr std::size_t kOwn = 8;
  using Position = rules::FindingList::const_iterator;

  static Position at(const rules::FindingList& findings, std::size_t i, std::size_t end) {
    return findings.begin() + static_cast<std::ptrdiff_t>(std::min(i, end));
  }
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
  std::size_t end_;
  Position own_;      ///< Finding i + 8: its own texts are asked for next.
  Position symbols_;  ///< Finding i + 6.
  Position entries_;  ///< Finding i + 4.
  Position texts_;    ///< Finding i + 2.
};

}  // namespace twinscan::report
