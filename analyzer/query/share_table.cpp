#include "analyzer/query/share_table.h"

namespace twinscan::query {
namespace {

constexpr std::size_t kFirstSlots = 64;

}  // namespace

std::uint64_t ShareTable::mix(std::uint64_t key) {
  // splitmix64's finaliser.
  key ^= key >> 30U;
  key *= 0xbf58476d1ce4e5b9ULL;
  key ^= key >> 27U;
  key *= 0x94d049bb133111ebULL;
  key ^= key >> 31U;
  return key;
}

std::optional<ShareAnswer> ShareTable::find(std::uint64_t key) const {
  if (slots_.empty()) return std::nullopt;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (!slot.used) return std::nullopt;
    if (slot.key == key) return ShareAnswer{slot.lower, slot.upper, slot.bounds};
  }
}

void ShareTable::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? kFirstSlots : old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (!slot.used) continue;
    std::size_t i = mix(slot.key) & mask;
    while (slots_[i].used) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void ShareTable::insert(std::uint64_t key, const ShareAnswer& answer) {
  if (2 * (size_ + 1) > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = mix(key) & mask;
  for (; slots_[i].used; i = (i + 1) & mask) {
    if (slots_[i].key == key) return;
  }
  slots_[i] = Slot{key, answer.lower, answer.upper, answer.bounds, true};
  ++size_;
}

void ShareTable::clear() {
  slots_.clear();
  size_ = 0;
}

}  // namespace twinscan::query
