// The ids of relations given without one ("FROM-KIND->TO", "#k" after for the k-th of one
// kind and ends), made from the relation's ends when shown rather than stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/model/graph_arrays.h"
#include "analyzer/model/schema.h"
#include "analyzer/util/string_pool.h"

namespace twinscan::model {

/// A relation's id column holds either the symbol of its id (given, or made and stored)
/// or, for an id made when shown, this bit and the relation's number among those of its
/// kind and ends (1 for the first, shown without "#1"). Symbols never reach this bit
/// (util::StringPool::kMaxSymbols).
inline constexpr util::Sym kMadeRelationId = 0x80000000u;
static_assert(util::StringPool::kMaxSymbols <= kMadeRelationId);

[[nodiscard]] inline bool is_made_relation_id(util::Sym id) {
  return (id & kMadeRelationId) != 0;
}
[[nodiscard]] inline std::uint32_t made_relation_number(util::Sym id) {
  return id & ~kMadeRelationId;
}

/// Appends "FROM-KIND->TO", and "#k" for k of 2 or more, to `out`.
void append_made_relation_id(std::string_view from, std::string_view kind, std::string_view to,
                             std::uint32_t number, std::string& out);

/// Whether made ids can name relations with an end of this id without two of them, or a
/// made id and a given one, ever reading alike: the id holds no "->" (which ends the
/// "FROM-KIND" part) and does not end in "#" and digits (which a number would add).
[[nodiscard]] bool id_fits_made_relation_ids(std::string_view entity_id);
/// The same for a relation kind's name: no "-" (which starts it) and no "->".
[[nodiscard]] bool kind_fits_made_relation_ids(std::string_view kind_name);
/// The same for an id given to a relation: no "->", so that no made id reads like it.
[[nodiscard]] bool given_id_fits_made_relation_ids(std::string_view relation_id);

/// One way of reading a text as a made id.
struct MadeRelationIdReading {
  std::string_view from, kind, to;
  std::uint32_t number = 1;
};

/// Calls `fn(reading)` for each way `text` may read as a made id, until `fn` returns true;
/// returns whether one did. Ids are made only where every end's id fits
/// (id_fits_made_relation_ids) and no kind's name holds "-": the kind then starts after
/// the last "-" before the first "->", and the far end runs to the end of the text, or to
/// a "#k" (k ≥ 2, written without leading zeros) that gives the number. Both of these last
/// two readings are tried; nothing else is, so reading costs time in the text's length
/// whatever the text.
template <typename Fn>
bool for_each_made_relation_id_reading(std::string_view text, Fn&& fn) {
  const std::size_t arrow = text.find("->");
  if (arrow == std::string_view::npos) return false;
  const std::string_view left = text.substr(0, arrow);
  const std::string_view right = text.substr(arrow + 2);
  const std::size_t dash = left.rfind('-');
  if (dash == std::string_view::npos) return false;
  MadeRelationIdReading reading{left.substr(0, dash), left.substr(dash + 1), right, 1};
  if (fn(reading)) return true;
  const std::size_t hash = right.rfind('#');
  if (hash == std::string_view::npos || hash + 1 == right.size() || right[hash + 1] == '0' ||
      right.size() - hash - 1 > 9)
    return false;
  std::uint32_t number = 0;
  for (std::size_t i = hash + 1; i < right.size(); ++i) {
    if (right[i] < '0' || right[i] > '9') return false;
    number = number * 10 + static_cast<std::uint32_t>(right[i] - '0');
  }
  if (number < 2) return false;
  reading.to = right.substr(0, hash);
  reading.number = number;
  return fn(reading);
}

/// The relation among the first `relations` of `g` whose id is made when shown and reads
/// `text`, if any. Reads the adjacency of g's first `vertices` entities (those it has been
/// built for) and finds ends by the ids they are kept under.
[[nodiscard]] std::optional<RelationId> find_made_relation(const GraphArrays& g,
                                                           const Schema& schema,
                                                           std::string_view text,
                                                           std::size_t relations,
                                                           std::size_t vertices);

}  // namespace twinscan::model
