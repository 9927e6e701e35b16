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
  /// "since: 2012 (mfa, ulai) vs 2013 (cn-list)".
  [[nodiscard]] std::string describe(const TieDisagreement& disagreement) const;

 private:
  const Graph& graph_;
  std::optional<RelKindId> twinned_;
  Sym keys_[3] = {0, 0, 0};
};

}  // namespace twinscan::model
