#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/identity/blocking.h"
#include "analyzer/identity/identity_clusters.h"
#include "analyzer/identity/name_similarity.h"
#include "analyzer/model/graph.h"

namespace twinscan::identity {

/// What resolve looks for.
struct ResolveOptions {
  double min_score = 0.6;  ///< Candidates scoring less are not offered.
  std::size_t limit = 0;   ///< At most this many candidates, best first (0: all).
  BlockingOptions blocking;
  /// Pairs already judged (the same, or different) are not offered again, and an
  /// entity judged the same as others is offered once per cluster. May be null.
  const IdentityClusters* judged = nullptr;
};

/// The evidence about the names of a candidate pair.
struct NameEvidence {
  double similarity = 0;
  std::string_view a;  ///< The form of the first entity that matched best (as written).
  std::string_view b;
  bool a_alias = false;  ///< Whether that form is an alias rather than the name.
  bool b_alias = false;
  std::string_view how;
  /// Other entities of the kind bearing the matched names: a name many share tells
  /// little, so the similarity is divided by 1 + 0.15·log2(1 + shared_by).
  std::uint32_t shared_by = 0;
};

/// Two entities of one kind that may be one, with the score and every piece of evidence.
struct Candidate {
  model::VertexId a = model::kNoVertex;  ///< First in load order.
  model::VertexId b = model::kNoVertex;
  double score = 0;  ///< 0..1, rounded to two decimals.
  NameEvidence name;
  std::string_view country_a;  ///< Empty when unknown.
  std::string_view country_b;
  std::optional<double> distance_km;               ///< When both are located.
  std::vector<model::VertexId> shared_neighbours;  ///< Entities both are related to.
  /// Both defined by one document: a source seldom records one entity twice under two
  /// ids, so this counts against (×0.7); sources other than each other's are neutral.
  bool same_source = false;
};

/// Neighbours with more relations than this are hubs, not evidence of identity.
inline constexpr std::size_t kHubDegree = 100;

/// What a run did, for the benchmark and -v.
struct ResolveStats {
  BlockingStats blocking;
  std::size_t judged = 0;       ///< Pairs left out for being judged already.
  std::size_t scored = 0;       ///< Pairs scored.
  double forms_seconds = 0;     ///< Folding and transliterating every name.
  double blocking_seconds = 0;  ///< Building the blocks and their pairs.
  double scoring_seconds = 0;   ///< Scoring the pairs.
};

/// Finds candidate pairs for identity in a loaded registry. Nothing is merged: the
/// candidates are for a person to judge (twinscan judge).
///
/// The score starts from the names' similarity and is moved by the other evidence:
/// the same country adds 10 % of what is missing to 1, a different one multiplies by
/// 0.4; located within 10 km adds 50 %, within 50 km 25 %, while 200–1000 km apart
/// multiplies by 0.75 and farther by 0.5 (two places of one kind far apart are
/// likely two places); each shared neighbour adds 40 % of what is missing, times the
/// names' similarity doubled (in full from 0.5 up: neighbours back a likeness of names,
/// they do not make one); both
/// from one document multiplies by 0.7. A
/// neighbour related to more than kHubDegree entities (a ministry every agreement is
/// notified to) is not evidence and is not listed.
std::vector<Candidate> resolve(const model::Graph& graph, const ResolveOptions& options,
                               ResolveStats* stats = nullptr);

/// The score of a pair from its evidence, as resolve() computes it (unrounded).
double combine_evidence(double name_similarity, int country_agrees,
                        std::optional<double> distance_km, std::size_t shared_neighbours,
                        bool same_source);

}  // namespace twinscan::identity
