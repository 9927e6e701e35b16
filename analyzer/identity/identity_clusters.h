#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/identity/judgements.h"

namespace twinscan::identity {

/// The ids judged to name one entity, canonical first.
struct Cluster {
  std::string canonical;             ///< The member first in load order.
  std::vector<std::string> members;  ///< Every member, canonical first, in load order.
  /// The member the judgements name first (in the file's order): a name for the cluster
  /// that does not change with the order documents load in.
  std::string first_judged;
};

/// The entities that judgements say are one: the transitive closure of "same" (a
/// union-find over ids) and the "different" pairs between the resulting clusters.
/// A "different" between two ids a chain of "same" joins is a contradiction, reported
/// with the chain; nothing is ever merged except by a "same" judgement. Once built it
/// is immutable and may be read from several threads.
class IdentityClusters {
 public:
  /// An id's place in load order (lower loads first). Ids the registry lacks may all
  /// return the same high value; ties are broken by the id's text.
  using LoadRank = std::function<std::uint64_t(std::string_view id)>;

  IdentityClusters() = default;

  /// Clusters `judgements`; each "different" contradicting a chain of "same" is an error
  /// at that judgement's place, naming the chain. The clusters are built whatever the
  /// errors (a caller stops on diagnostics.has_errors()).
  static IdentityClusters build(const std::vector<Judgement>& judgements, const LoadRank& rank,
                                diag::Diagnostics& diagnostics);

  /// Why adding `judgement` would contradict the judgements already clustered ("A same
  /// B (by x, on d), B same C (by y, on e), yet A different C (by z, on f)"), or nothing
  /// when it would not.
  [[nodiscard]] std::optional<std::string> contradiction(const Judgement& judgement) const;

  /// The canonical id of `id`'s cluster; `id` itself when no "same" names it.
  [[nodiscard]] std::string_view canonical(std::string_view id) const;
  /// Whether a chain of "same" joins `a` and `b` (or they are one id).
  [[nodiscard]] bool same(std::string_view a, std::string_view b) const;
  /// Whether a "different" separates the clusters of `a` and `b`.
  [[nodiscard]] bool different(std::string_view a, std::string_view b) const;
  /// Whether `a` and `b` are judged at all, the same or different (resolve offers neither).
  [[nodiscard]] bool is_judged(std::string_view a, std::string_view b) const {
    return same(a, b) || different(a, b);
  }
  /// Every cluster of two or more ids, ordered by their canonical ids' load order.
  [[nodiscard]] std::vector<Cluster> clusters() const;
  /// The members of `id`'s cluster, canonical first ({id} when it is in none); a scan of
  /// every id judged, so a loader walks clusters() instead.
  [[nodiscard]] std::vector<std::string> members(std::string_view id) const;

 private:
  struct Edge {
    std::uint32_t other;
    std::uint32_t judgement;
  };
  std::uint32_t intern(const std::string& id);
  [[nodiscard]] std::optional<std::uint32_t> index_of(std::string_view id) const;
  [[nodiscard]] std::uint32_t root(std::uint32_t i) const;
  /// The judgements along the shortest chain of "same" from `from` to `to`, oriented
  /// along the chain (empty when from == to).
  [[nodiscard]] std::vector<std::pair<std::uint32_t, std::uint32_t>> chain(std::uint32_t from,
                                                                           std::uint32_t to) const;
  [[nodiscard]] std::string describe_chain(
      const std::vector<std::pair<std::uint32_t, std::uint32_t>>& steps) const;
  [[nodiscard]] std::string describe_step(std::uint32_t from, std::uint32_t judgement) const;

  std::vector<Judgement> judgements_;
  std::vector<std::string> ids_;
  struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::uint32_t, IdHash, std::equal_to<>> index_;
  mutable std::vector<std::uint32_t> parent_;  // union-find; fully compressed by build()
  std::vector<std::vector<Edge>> same_edges_;  // per id, for chains
  std::vector<std::uint32_t> canonical_;       // per root: the canonical member's index
  std::vector<std::uint32_t> differents_;      // judgements that are "different"
  std::vector<std::pair<std::uint32_t, std::uint32_t>> different_roots_;  // sorted root pairs
  std::vector<std::uint64_t> rank_;                                       // per id
};

}  // namespace twinscan::identity
