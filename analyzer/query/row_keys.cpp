#include "analyzer/query/row_keys.h"

#include "analyzer/util/hash.h"

namespace twinscan::query {

std::pair<std::size_t, bool> RowKeys::insert(std::string_view key) {
  // At most half the slots are filled, so that a probe ends soon on an empty one.
  if ((ends_.size() + 1) * 2 > slots_.size()) grow();
  const std::uint64_t hash = util::hash_bytes(key);
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = hash & mask;
  for (; slots_[at].number != kEmpty; at = (at + 1) & mask) {
    if (slots_[at].hash == hash && this->key(slots_[at].number) == key)
      return {slots_[at].number, false};
  }
  const std::size_t number = ends_.size();
  text_.append(key);
  ends_.push_back(text_.size());
  slots_[at] = {hash, number};
  return {number, true};
}

void RowKeys::grow() {
  std::vector<Slot> bigger(slots_.empty() ? 16 : slots_.size() * 2);
  const std::size_t mask = bigger.size() - 1;
  for (const Slot& slot : slots_) {
    if (slot.number == kEmpty) continue;
    std::size_t at = slot.hash & mask;
    while (bigger[at].number != kEmpty) at = (at + 1) & mask;
    bigger[at] = slot;
  }
  slots_ = std::move(bigger);
}

}  // namespace twinscan::query
