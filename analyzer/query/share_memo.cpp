#include "analyzer/query/share_memo.h"

namespace twinscan::query {
namespace {

constexpr std::size_t kFirstSlots = 64;

}  // namespace

std::uint64_t ShareMemo::mix(std::uint64_t key) {
  // splitmix64's finaliser.
  key ^= key >> 30U;
  key *= 0xbf58476d1ce4e5b9ULL;
  key ^= key >> 27U;
  key *= 0x94d049bb133111ebULL;
  key ^= key >> 31U;
  return key;
}

std::optional<ShareMemo::Answer> ShareMemo::find(std::uint64_t key) const {
  const std::uint64_t h = mix(key);
  const Shard& shard = shards_[h >> (64U - kShardBits)];
  const std::lock_guard lock(shard.mutex);
  if (shard.slots.empty()) return std::nullopt;
  const std::size_t mask = shard.slots.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& slot = shard.slots[i];
    if (slot.used == 0) return std::nullopt;
    if (slot.key == key) return Answer{slot.lower, slot.upper, slot.bounds != 0, slot.walked};
  }
}

void ShareMemo::grow(Shard& shard) {
  std::vector<Slot> old = std::move(shard.slots);
  shard.slots.assign(old.empty() ? kFirstSlots : old.size() * 2, Slot{});
  const std::size_t mask = shard.slots.size() - 1;
  for (const Slot& slot : old) {
    if (slot.used == 0) continue;
    std::size_t i = mix(slot.key) & mask;
    while (shard.slots[i].used != 0) i = (i + 1) & mask;
    shard.slots[i] = slot;
  }
}

void ShareMemo::remember(std::uint64_t key, const Answer& answer) {
  const std::uint64_t h = mix(key);
  Shard& shard = shards_[h >> (64U - kShardBits)];
  const std::lock_guard lock(shard.mutex);
  if (shard.used >= kMaxAnswers >> kShardBits) return;
  if (2 * (shard.used + 1) > shard.slots.size()) grow(shard);
  const std::size_t mask = shard.slots.size() - 1;
  std::size_t i = h & mask;
  for (; shard.slots[i].used != 0; i = (i + 1) & mask) {
    if (shard.slots[i].key == key) return;
  }
  shard.slots[i] = Slot{key,
                        answer.lower,
                        answer.upper,
                        answer.walked,
                        1,
                        static_cast<std::uint8_t>(answer.bounds ? 1 : 0)};
  ++shard.used;
}

std::size_t ShareMemo::size() const {
  std::size_t n = 0;
  for (const Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    n += shard.used;
  }
  return n;
}

bool SharesTaken::taken(std::uint64_t key) const {
  const std::uint64_t h = ShareMemo::mix(key);
  if (h == 0) return zero_;
  if (slots_.empty()) return false;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    if (slots_[i] == h) return true;
    if (slots_[i] == 0) return false;
  }
}

bool SharesTaken::take(std::uint64_t key) {
  const std::uint64_t h = ShareMemo::mix(key);
  if (h == 0) {
    const bool was = zero_;
    zero_ = true;
    return !was;
  }
  if (2 * (size_ + 1) > slots_.size()) {
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? kFirstSlots : old.size() * 2, 0);
    const std::size_t mask = slots_.size() - 1;
    for (const std::uint64_t o : old) {
      if (o == 0) continue;
      std::size_t i = o & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = o;
    }
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = h & mask;
  for (; slots_[i] != 0; i = (i + 1) & mask) {
    if (slots_[i] == h) return false;
  }
  slots_[i] = h;
  ++size_;
  return true;
}

void SharesTaken::clear() {
  slots_.clear();
  size_ = 0;
  zero_ = false;
}

}  // namespace twinscan::query
