#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/rules/findings_builder.h"
#include "analyzer/rules/match_key.h"

namespace twinscan::rules {

/// A binding set a rule's search found: the bindings that stand for it, and the evidence
/// of their matches as the search found them.
struct FoundSet {
  std::vector<Bound> bound;
  GatheredEvidence evidence;
};

/// The binding sets of a search, in the order it first found them, each under its
/// canonical key (MatchKey::key: a fixed number of interned ids per rule).
///
/// A rule's search may find a few hundred thousand sets, and looks one up per match: the
/// keys lie end to end in one array, the sets in another, and a table of their numbers
/// finds them (open addressing, at most half full), so that a set costs no allocation of
/// its own beyond its bindings and evidence, and forgetting them all frees a few arrays.
class FoundSets {
 public:
  FoundSets() = default;
  /// Sets whose keys are `width` ids (the rule's named variables).
  explicit FoundSets(std::size_t width) : width_(width) {}

  /// The hash under which find_or_add() and contains() take a key.
  [[nodiscard]] static std::uint64_t hash_of(std::span<const model::Sym> key);

  struct Found {
    std::size_t index;  ///< Of the set, in the order first found.
    bool added;         ///< The set is new (and empty).
  };
  /// The set of `key` (width() ids), added, empty, at the end when there is none. `hash`
  /// must be hash_of(key), or every key looked up in this table must get its hash the
  /// same way (a test gives every key one hash).
  Found find_or_add(std::span<const model::Sym> key, std::uint64_t hash);
  /// Whether a set has `key`.
  [[nodiscard]] bool contains(std::span<const model::Sym> key) const;

  [[nodiscard]] std::size_t width() const { return width_; }
  [[nodiscard]] std::size_t size() const { return sets_.size(); }
  [[nodiscard]] bool empty() const { return sets_.empty(); }
  FoundSet& operator[](std::size_t i) { return sets_[i]; }
  const FoundSet& operator[](std::size_t i) const { return sets_[i]; }
  /// The key of the `i`th set, and its hash.
  [[nodiscard]] std::span<const model::Sym> key(std::size_t i) const {
    return {keys_.data() + i * width_, width_};
  }
  [[nodiscard]] std::uint64_t hash(std::size_t i) const { return hashes_[i]; }

  /// Makes room for `count` sets in all, so that adding up to that many moves none of
  /// them and grows no array: joining the sets of a split search, whose number is known
  /// beforehand (at most the sum of its parts'), then writes each once into memory taken
  /// once, where doubling wrote most of them twice and took twice the memory.
  void reserve(std::size_t count);

  /// Forgets every set (the width stays).
  void clear();

 private:
  /// The slot that holds the set of `key`, or the empty slot where it would go.
  [[nodiscard]] std::size_t slot_of(std::span<const model::Sym> key, std::uint64_t hash) const;
  void grow();
  // Places every set anew in a table of `slot_count` slots (a power of two).
  void grow_to(std::size_t slot_count);

  std::size_t width_ = 0;
  std::vector<model::Sym> keys_;       ///< width_ ids per set, in the sets' order.
  std::vector<std::uint64_t> hashes_;  ///< Per set, its key's hash (for growing).
  std::vector<FoundSet> sets_;
  std::vector<std::uint32_t> slots_;  ///< Per slot, 1 + a set's index; 0: empty.
};

}  // namespace twinscan::rules
