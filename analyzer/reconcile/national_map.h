#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "analyzer/model/date.h"
#include "analyzer/model/graph.h"
#include "analyzer/model/tie_statements.h"

namespace twinscan::reconcile {

/// What a source is held to: the ties it should state if it were complete within its
/// scope. A source that states no tie at all is not a tie list and is held to nothing.
struct SourceScope {
  enum class Reach : std::uint8_t {
    kNone,            ///< A partial source (public report, watchlist, ...) or no tie list.
    kEveryTie,        ///< national-register, local-authorities.
    kMunicipalities,  ///< municipality: the ties of the municipalities it states.
    kCountries,       ///< foreign-side: the ties with cities of the countries it states.
  };
  Reach reach = Reach::kNone;
  bool lists_ties = false;                   ///< It states at least one TWINNED_WITH.
  std::set<model::VertexId> municipalities;  ///< kMunicipalities: the ones it speaks for.
  std::set<std::string> countries;           ///< kCountries: its foreign cities' countries.
};

/// The scope of each source of `graph` (indexed like Graph::sources()).
std::vector<SourceScope> source_scopes(const model::Graph& graph);

/// A plain description of a scope: "every tie", "ties of mun:kiel", "ties with cities
/// in CN", "none: lists no ties", "none: partial by nature (watchlist)".
std::string describe_scope(const model::Graph& graph, const model::SourceInfo& source,
                           const SourceScope& scope);

enum class IssueKind : std::uint8_t { kMissingFrom, kDisagree, kEndedAndActive };

/// "missing-from", "disagree", "ended-and-active".
const char* to_string(IssueKind kind);

/// A discrepancy between the sources of one tie.
struct Issue {
  IssueKind kind = IssueKind::kMissingFrom;
  std::uint32_t source = 0;              ///< kMissingFrom: the source that leaves it out.
  model::TieDisagreement disagreement;   ///< kDisagree.
  std::vector<std::uint32_t> ended_in;   ///< kEndedAndActive: sources that end it.
  std::vector<std::uint32_t> active_in;  ///< kEndedAndActive: sources that state it going on.
};

/// One tie between a municipality and its counterpart, as the sources state it.
struct Tie {
  model::VertexId municipality = 0;
  model::VertexId counterpart = 0;
  std::vector<model::TieStatement> statements;  ///< Sources ascending.
  std::vector<std::uint32_t> held_to;           ///< Sources whose scope covers it, ascending.
  std::vector<Issue> issues;  ///< Missing-from (by source), disagree, ended-and-active.
  model::TieState state = model::TieState::kActive;  ///< On the map's as-of date.

  [[nodiscard]] bool states(std::uint32_t source) const;
  [[nodiscard]] bool holds(std::uint32_t source) const;
};

struct Summary {
  std::size_t ties = 0;
  std::size_t ties_with_issues = 0;
  std::size_t missing_from = 0;  ///< Issues of each kind.
  std::size_t disagree = 0;
  std::size_t ended_and_active = 0;
  std::size_t foreign_ties = 0;            ///< Ties between two foreign cities, not listed.
  std::size_t by_state[4] = {0, 0, 0, 0};  ///< Listed ties by model::TieState.
};

/// The national map: every tie with a municipality at one end, reconciled across the
/// sources that state it and those whose scope covers it.
struct NationalMap {
  model::Date as_of;
  std::vector<SourceScope> scopes;  ///< Per source.
  std::vector<Tie> ties;            ///< By municipality id, then counterpart id.
  Summary summary;
};

/// Whether `scope` covers the tie between municipality `municipality` and `counterpart`.
bool covers(const model::Graph& graph, const SourceScope& scope, model::VertexId municipality,
            model::VertexId counterpart);

/// Builds the national map of `graph` (whose entities are already canonical: judgements
/// are applied as the registry is loaded); `as_of` judges whether a tie has ended.
NationalMap build_national_map(const model::Graph& graph, model::Date as_of);

/// A value as plain text: dates in ISO 8601, strings as they are.
std::string plain_text(const model::Graph& graph, const model::Value& value);

/// An issue in plain words: "missing from mfa (national-register)", "since: 1993 (mfa,
/// ulai) vs 1994 (cn)", "ended by 2024-06-01 according to mfa; still active according to ulai,
/// kiel". Not escaped.
std::string describe_issue(const model::Graph& graph, const NationalMap& map, const Issue& issue);

}  // namespace twinscan::reconcile
