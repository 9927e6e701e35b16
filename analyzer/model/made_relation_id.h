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
/// kind and ends (1 for the first, shown without "#1"). Symbols never reach this bit.
inline constexpr util::Sym kMadeRelationId = 0x80000000u;

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

/// Calls `fn(reading)` for each way `text` reads as a made id (every "->" and every "-"
/// before it; a trailing "#k", k ≥ 2 and written without leading zeros, taken as the
/// number or as part of the far end's id), until `fn` returns true; returns whether one
/// did. Ids of ends that fit made ids (id_fits_made_relation_ids) leave one reading.
template <typename Fn>
bool for_each_made_relation_id_reading(std::string_view text, Fn&& fn) {
  for (std::size_t arrow = text.find("->"); arrow != std::string_view::npos;
       arrow = text.find("->", arrow + 1)) {
    const std::string_view left = text.substr(0, arrow);
    const std::string_view right = text.substr(arrow + 2);
    for (std::size_t dash = left.find('-'); dash != std::string_view::npos;
         dash = left.find('-', dash + 1)) {
      MadeRelationIdReading reading{left.substr(0, dash), left.substr(dash + 1), right, 1};
      if (fn(reading)) return true;
      const std::size_t hash = right.rfind('#');
      if (hash == std::string_view::npos || hash + 1 == right.size() || right[hash + 1] == '0' ||
          right.size() - hash - 1 > 9)
        continue;
      std::uint32_t number = 0;
      bool digits = true;
      for (std::size_t i = hash + 1; i < right.size() && digits; ++i) {
        digits = right[i] >= '0' && right[i] <= '9';
        number = number * 10 + static_cast<std::uint32_t>(right[i] - '0');
      }
      if (!digits || number < 2) continue;
      reading.to = right.substr(0, hash);
      reading.number = number;
      if (fn(reading)) return true;
    }
  }
  return false;
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
