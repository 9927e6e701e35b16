#include "analyzer/model/merged_properties.h"

#include <cstring>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace twinscan::model {

static_assert(std::is_trivially_copyable_v<Property>);

MergedProperties::MergedProperties(util::Column<std::uint32_t>& starts,
                                   util::Column<Property>& props)
    : starts_(starts), props_(props), in_place_(!props.borrowed()) {
  // Only a full build merges statements; its arrays are its own, never a snapshot's.
  if (starts.borrowed()) throw std::logic_error("statement starts borrowed from a snapshot");
  if (!in_place_) fresh_.reserve(props_.size());
}

void MergedProperties::move_out_of_place() {
  fresh_.reserve(props_.size());
  fresh_.append(props_.begin(), props_.begin() + written_);
  in_place_ = false;
}

void MergedProperties::place(std::uint32_t item, std::uint32_t first,
                             std::span<const Property> merged) {
  if (item != placed_ || first < item || (item > 0 && first <= last_first_))
    throw std::logic_error("merged items placed out of the order of their first statements");
  placed_ = item + 1;
  last_first_ = first;
  // The statements after `first` not yet read have their properties from here on (the
  // ones before it belong to items already placed).
  const std::uint32_t unread_from = starts_[first + 1];
  if (in_place_ && written_ + merged.size() > unread_from) move_out_of_place();
  starts_[item] = written_;
  if (in_place_) {
    // merged lies at or after the place written (it may be stated(first) itself).
    if (!merged.empty())
      std::memmove(props_.data() + written_, merged.data(), merged.size() * sizeof(Property));
  } else {
    fresh_.append(merged.begin(), merged.end());
  }
  written_ += static_cast<std::uint32_t>(merged.size());
}

void MergedProperties::finish(std::uint32_t items) {
  starts_[items] = written_;
  starts_.resize(std::size_t{items} + 1);
  if (in_place_) {
    props_.resize(written_);
    props_.discard_unused();
  } else {
    props_ = std::move(fresh_);
  }
}

}  // namespace twinscan::model
