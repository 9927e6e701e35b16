#include "analyzer/rules/found_sets.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "analyzer/util/hash.h"

namespace twinscan::rules {

std::uint64_t FoundSets::hash_of(std::span<const model::Sym> key) {
  return util::hash_words(key);
}

std::size_t FoundSets::slot_of(std::span<const model::Sym> key, std::uint64_t hash) const {
  // Never full (grow() keeps it at most half full): the probe ends at an empty slot.
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
    const std::uint32_t held = slots_[at];
    if (held == 0) return at;
    const std::size_t i = held - 1;
    if (hashes_[i] == hash && std::equal(key.begin(), key.end(), keys_.begin() + i * width_))
      return at;
  }
}

void FoundSets::grow() {
  grow_to(std::max<std::size_t>(64, slots_.size() * 2));
}

void FoundSets::grow_to(std::size_t slot_count) {
  std::vector<std::uint32_t> slots(slot_count, 0);
  const std::size_t mask = slots.size() - 1;
  for (std::size_t i = 0; i < sets_.size(); ++i) {
    std::size_t at = hashes_[i] & mask;
    while (slots[at] != 0) at = (at + 1) & mask;
    slots[at] = static_cast<std::uint32_t>(i + 1);
  }
  slots_ = std::move(slots);
}

FoundSets::Found FoundSets::find_or_add(std::span<const model::Sym> key, std::uint64_t hash) {
  if (key.size() != width_) throw std::logic_error("a found set's key of another width");
  if ((sets_.size() + 1) * 2 > slots_.size()) {
    if (sets_.size() >= std::numeric_limits<std::uint32_t>::max() - 1)
      throw std::length_error("more found sets than a table of them can number");
    grow();
  }
  const std::size_t at = slot_of(key, hash);
  if (slots_[at] != 0) return {slots_[at] - 1U, false};
  // Room in all three arrays first (growing geometrically): the appends below then
  // cannot throw, so a failed allocation never leaves the arrays out of step.
  const auto room = [](auto& v, std::size_t more) {
    if (v.size() + more > v.capacity()) v.reserve(std::max(v.size() + more, v.capacity() * 2));
  };
  room(keys_, width_);
  room(hashes_, 1);
  room(sets_, 1);
  const std::size_t index = sets_.size();
  keys_.insert(keys_.end(), key.begin(), key.end());
  hashes_.push_back(hash);
  sets_.emplace_back();
  slots_[at] = static_cast<std::uint32_t>(index + 1);
  return {index, true};
}

void FoundSets::reserve(std::size_t count) {
  if (count <= sets_.size()) return;
  if (count >= std::numeric_limits<std::uint32_t>::max() - 1)
    throw std::length_error("more found sets than a table of them can number");
  keys_.reserve(count * width_);
  hashes_.reserve(count);
  sets_.reserve(count);
  // find_or_add() grows the table once it would be more than half full.
  std::size_t slot_count = std::max<std::size_t>(64, slots_.size());
  while (slot_count < (count + 1) * 2) slot_count *= 2;
  if (slot_count > slots_.size()) grow_to(slot_count);
}

bool FoundSets::contains(std::span<const model::Sym> key) const {
  if (sets_.empty() || key.size() != width_) return false;
  return slots_[slot_of(key, hash_of(key))] != 0;
}

void FoundSets::clear() {
  keys_ = {};
  hashes_ = {};
  sets_ = {};
  slots_ = {};
}

}  // namespace twinscan::rules
