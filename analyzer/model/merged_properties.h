// Where the merge of statements writes the properties of the entities or relations it
// makes: over the statements' own, while that is safe.
#pragma once

#include <cstdint>
#include <span>

#include "analyzer/model/value.h"
#include "analyzer/util/column.h"

namespace twinscan::model {

/// Writes the properties of merged items (entities or relations) over those of the
/// statements they were merged from, and their starts over the statements' starts.
///
/// Items are numbered in the order of their first statements, so an item's number is at
/// most its first statement's: writing from the front overwrites only statements already
/// read, as long as each item's properties fit before the properties of the statement
/// after its first. Most registries state most items once, each keeping its statement's
/// properties: then nothing is copied, and the merge holds no second array of every
/// property (a fresh array is memory faulted in for the first time, a cost that dominates
/// a merge). From the first item whose properties would not fit (one that gathers keys
/// from several statements), the rest go to a new array, as if none had been in place.
class MergedProperties {
 public:
  /// Over a build's `starts` (statement count + 1) and `props`, which it rewrites.
  MergedProperties(util::Column<std::uint32_t>& starts, util::Column<Property>& props);

  /// The properties statement `statement` states. Valid until the next place().
  [[nodiscard]] std::span<const Property> stated(std::uint32_t statement) const {
    return {props_.data() + starts_[statement], starts_[statement + 1] - starts_[statement]};
  }

  /// Places the properties of item `item`, whose first statement is `first`: `merged`,
  /// which may be stated(first) itself. Call for items 0, 1, ... in turn, their first
  /// statements ascending, once every statement of the item has been read (stated() or
  /// the starts and properties); throws std::logic_error otherwise, as writing in place
  /// would then overwrite what is still to be read.
  void place(std::uint32_t item, std::uint32_t first, std::span<const Property> merged);

  /// After the last item, `items` in all: the arrays hold the items' starts and properties.
  /// Written in place, the room the statements' properties took past the items' is given
  /// back (a registry that restates its items would otherwise hold it for the graph's
  /// life).
  void finish(std::uint32_t items);

  /// Whether every item so far was written in place (for tests).
  [[nodiscard]] bool in_place() const { return in_place_; }

 private:
  void move_out_of_place();

  util::Column<std::uint32_t>& starts_;
  util::Column<Property>& props_;
  util::Column<Property> fresh_;  // the items' properties, once not in place
  std::uint32_t written_ = 0;     // properties of the items placed so far
  std::uint32_t placed_ = 0;      // items placed so far
  std::uint32_t last_first_ = 0;  // the first statement of the item placed last
  bool in_place_;
};

}  // namespace twinscan::model
