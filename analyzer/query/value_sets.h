// The texts an EXISTS subquery's inner property takes over its matches, per outer entity
// (SubPlan::value_conjunct): what answers `EXISTS { (x)-[:OWNED_BY*1..10]->(o) WHERE
// o.country = c.country AND … }` for every country of c from one walk of x's owners.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/query/imprecision.h"
#include "analyzer/query/plan.h"
#include "analyzer/query/value.h"

namespace twinscan::query {

/// One text the inner side takes: sure (1) when some match with it is, else kImprecise
/// (every match with it undecided by a partial date), with why: the open comparisons of
/// the first such match, as the subquery run for that text alone would report them.
struct CollectedValue {
  static constexpr std::uint32_t kNoReasons = UINT32_MAX;
  model::Sym text = 0;
  std::string_view view;  ///< the text itself, in the graph's pool (hot in the cache when read)
  int answer = 1;
  std::uint32_t why = kNoReasons;  ///< index into the reasons of its holder
};

/// A collection under way for one outer entity (Matcher::collect_values): the plan, the
/// texts found so far, and the text of the match being built (set by its kCollect step).
struct ValueCollection {
  const SubPlan* plan = nullptr;
  std::vector<CollectedValue> values;
  std::vector<std::vector<Imprecision>> reasons;
  model::Sym current = 0;
  std::string_view current_view;
  /// An inner value was no text of the graph, or a condition failed to evaluate for a
  /// match the subquery run for one value might never have reached: the entity is
  /// answered as any other subquery.
  bool abandoned = false;

  /// Whether a sure match with `text` was found already: its other matches add nothing.
  [[nodiscard]] bool sure(model::Sym text) const {
    const CollectedValue* v = find(text);
    return v != nullptr && v->answer == 1;
  }
  /// A match with `text`: sure (answer 1) or undecided (kImprecise, `why`). The first
  /// undecided match of a text keeps its reasons; a sure one replaces them.
  void add(model::Sym text, std::string_view view, int answer, std::vector<Imprecision> why) {
    if (CollectedValue* known = find(text)) {
      if (answer == 1) {
        known->answer = 1;
        known->why = CollectedValue::kNoReasons;
      }
      return;
    }
    CollectedValue v{text, view, answer, CollectedValue::kNoReasons};
    if (answer != 1) {
      v.why = static_cast<std::uint32_t>(reasons.size());
      reasons.push_back(std::move(why));
    }
    if (values.size() == kLinear) {
      for (std::size_t i = 0; i < values.size(); ++i)
        index.emplace(values[i].text, static_cast<std::uint32_t>(i));
    }
    if (values.size() >= kLinear) index.emplace(text, static_cast<std::uint32_t>(values.size()));
    values.push_back(v);
  }

 private:
  // A few texts are searched word by word; past kLinear of them (names over a large
  // group, say) an index finds them, so that the collection stays linear.
  static constexpr std::size_t kLinear = 16;
  std::unordered_map<model::Sym, std::uint32_t> index;
  CollectedValue* find(model::Sym text) {
    if (values.size() > kLinear) {
      const auto at = index.find(text);
      return at == index.end() ? nullptr : &values[at->second];
    }
    for (CollectedValue& v : values) {
      if (v.text == text) return &v;
    }
    return nullptr;
  }
  [[nodiscard]] const CollectedValue* find(model::Sym text) const {
    return const_cast<ValueCollection*>(this)->find(text);
  }
};

/// The collected texts of one subquery, by outer entity.
struct ValueSets {
  /// Where an entity's texts lie in `values`: [begin, end), in one word so that a question
  /// costs one miss there. end 0: not asked yet; kNotCollectable: answered as any other
  /// subquery. end is stored + 1 so that an empty list at 0 is told from one not asked.
  struct Span {
    std::uint32_t begin = 0;
    std::uint32_t end_plus_one = 0;
  };
  static constexpr std::uint32_t kNotCollectable = UINT32_MAX;
  std::vector<Span> of_vertex;
  /// Collections abandoned so far; from kGiveUp on, the subquery's inner values are taken
  /// not to be texts (or its conditions to fail), and no entity is collected any more.
  std::uint32_t abandoned = 0;
  static constexpr std::uint32_t kGiveUp = 16;
  std::vector<CollectedValue> values;  ///< `why` indexes `reasons`
  std::vector<std::vector<Imprecision>> reasons;

  /// Keeps what `collection` found; returns the entity's entry for of_vertex.
  Span keep(ValueCollection&& collection) {
    if (collection.abandoned) {
      ++abandoned;
      return {0, kNotCollectable};
    }
    const auto begin = static_cast<std::uint32_t>(values.size());
    for (CollectedValue v : collection.values) {
      if (v.why != CollectedValue::kNoReasons) {
        const auto moved = static_cast<std::uint32_t>(reasons.size());
        reasons.push_back(std::move(collection.reasons[v.why]));
        v.why = moved;
      }
      values.push_back(v);
    }
    return {begin, static_cast<std::uint32_t>(values.size() + 1)};
  }
};

}  // namespace twinscan::query
