// The answers of an EXISTS subquery remembered by the outer entities and values it read,
// packed in two words: one flat table probed linearly, so that a question asked again
// costs one cache miss rather than a bucket and a node, and forgetting a million answers
// frees two arrays rather than a million nodes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "analyzer/query/imprecision.h"

namespace twinscan::query {

/// What an EXISTS subquery was asked about: up to two outer values in two words.
struct WordsKey {
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  bool operator==(const WordsKey&) const = default;
};

/// An answer found in a WordsMemo: 1, 0 or kImprecise, and what left it open.
struct RememberedAnswer {
  int answer = 0;
  std::span<const Imprecision> why;
};

class WordsMemo {
 public:
  /// The answer remembered for `key`, if any.
  [[nodiscard]] bool find(const WordsKey& key, RememberedAnswer& out) const {
    if (slots_.empty()) return false;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.answer == kEmpty) return false;
      if (s.key == key) {
        out.answer = s.answer;
        out.why = s.why == kNoReasons ? std::span<const Imprecision>() : std::span(reasons_[s.why]);
        return true;
      }
    }
  }

  /// Remembers `answer` (with `why`, for kImprecise) for `key`, which has none yet.
  void insert(const WordsKey& key, int answer, std::vector<Imprecision> why) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    std::uint32_t reasons = kNoReasons;
    if (!why.empty()) {
      reasons = static_cast<std::uint32_t>(reasons_.size());
      reasons_.push_back(std::move(why));
    }
    place({key, answer, reasons});
    ++used_;
  }

  [[nodiscard]] std::size_t size() const { return used_; }

 private:
  static constexpr int kEmpty = INT32_MIN;
  static constexpr std::uint32_t kNoReasons = UINT32_MAX;
  struct Slot {
    WordsKey key;
    std::int32_t answer = kEmpty;
    std::uint32_t why = kNoReasons;  ///< index into reasons_
  };

  static std::size_t hash(const WordsKey& k) {
    std::uint64_t z = k.a * 0x9E3779B97F4A7C15ULL ^ (k.b + 0xBF58476D1CE4E5B9ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<std::size_t>(z ^ (z >> 31));
  }
  void place(const Slot& slot) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash(slot.key) & mask;
    while (slots_[i].answer != kEmpty) i = (i + 1) & mask;
    slots_[i] = slot;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.answer != kEmpty) place(s);
    }
  }

  std::vector<Slot> slots_;  ///< a power of two long, at most half full
  std::size_t used_ = 0;
  std::vector<std::vector<Imprecision>> reasons_;
};

}  // namespace twinscan::query
