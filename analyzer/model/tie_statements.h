#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/model/graph.h"

namespace twinscan::model {

/// What one source states of a twin-city tie: the values it gives (nothing where it
/// gives none).
struct TieStatement {
  std::uint32_t source = 0;  ///< An index into Graph::sources().
  std::optional<Value> since;
  std::optional<Value> until;
  std::optional<Value> status;
};

/// The properties of a tie that sources are compared on.
inline constexpr const char* kTieProperties[] = {"since", "until", "status"};

/// One tie property that sources state differently: each distinct value with the
/// sources that state it, in the order of their first source.
struct TieDisagreement {
  std::string property;
  std::vector<std::pair<Value, std::vector<std::uint32_t>>> values;
};

/// Where a tie stands on a date, from what all its sources state.
enum class TieState : std::uint8_t {
  kActive,       ///< No source ends it and it has begun (or no source dates its start).
  kEnded,        ///< Every source that states it ends it.
  kDisputed,     ///< Some sources end it, others state it going on.
  kNotYetBegun,  ///< No source ends it; its start, as the sources date it, lies ahead.
};

/// "active", "ended", "disputed", "not-yet-begun".
const char* to_string(TieState state);

/// Reads the twin-city ties of a graph: a tie between two entities is every TWINNED_WITH
/// between them, in either direction (each side's declaration), read as one.
class TieReader {
 public:
  explicit TieReader(const Graph& graph);

  /// The sources that state the tie between `a` and `b`, each with the values it gives,
  /// sources ascending; empty when there is no tie.
  [[nodiscard]] std::vector<TieStatement> statements(VertexId a, VertexId b) const;
  /// The tie properties the statements disagree on (values that differ, where both
  /// sources give one).
  [[nodiscard]] std::vector<TieDisagreement> disagreements(
      const std::vector<TieStatement>& statements) const;
  /// Whether a statement says the tie had ended by `as_of`: an `until` wholly before it,
  /// or a status such as ended, terminated, dissolved or suspended.
  [[nodiscard]] bool ended(const TieStatement& statement, Date as_of) const;
  /// Whether a statement dates the tie's start after `as_of`: a `since` whose first day
  /// lies ahead (a tie signed for 2030 has not begun in 2026; "2026" has).
  [[nodiscard]] bool not_begun(const TieStatement& statement, Date as_of) const;
  /// Where the tie stands on `as_of`. A tie is not yet begun when some source dates its
  /// start after `as_of` and none dates it on or before.
  [[nodiscard]] TieState state(const std::vector<TieStatement>& statements, Date as_of) const;
  /// "since: 2012 (mfa, ulai) vs 2013 (cn-list)".
  [[nodiscard]] std::string describe(const TieDisagreement& disagreement) const;

 private:
  const Graph& graph_;
  std::optional<RelKindId> twinned_;
  Sym keys_[3] = {0, 0, 0};
};

}  // namespace twinscan::model
