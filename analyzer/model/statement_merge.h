#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/model/graph_arrays.h"
#include "analyzer/model/source_sets.h"

namespace twinscan::model {

/// The message for an entity id given twice in one document.
std::string duplicate_entity_id(std::string_view id, const diag::SourceLocation& first);
/// The message for a request that defines an entity the registry already holds.
std::string restated_in_request(std::string_view id, const diag::SourceLocation& first);

/// Folds the statements that several documents make of one entity or relation into one
/// entity or relation with several sources (FollowTheMoney's statement model): the same
/// entity id in two documents, ids judged the same, a relation with the same id, or a
/// relation without id with the same kind and ends (the k-th such in one document meets
/// the k-th in another). Each property value keeps the sources that state it; lists are
/// united; where single values differ, the first in load order stays and the other is
/// kept as a Disagreement. A differing name becomes an alias.
///
/// Works on the arrays in place: rows are statements in load order on the way in, and
/// entities or relations on the way out. Nothing is moved when no two statements meet,
/// so a registry of one source pays only for the look-ups.
class StatementMerger {
 public:
  using Locate = std::function<diag::SourceLocation(SourceRef)>;

  /// Documents from `request_from` on are a request's (a screening): they may refer to
  /// the registry's entities and relations but not state them again.
  StatementMerger(GraphArrays& arrays, SourceSetTable& sets, Locate locate,
                  diag::Diagnostics& diagnostics, std::uint32_t request_from = UINT32_MAX);

  /// Makes one entity of the statements with one id, or with ids judged the same
  /// (`same_ids`, each group of interned ids), keeping the id stated first. Sets
  /// vertex_of_sym so that every id of an entity finds it. Reports the same id twice in
  /// one document, and kinds that disagree; returns false then.
  bool merge_entities(const std::vector<std::vector<Sym>>& same_ids);
  /// The ids whose statements were dropped for an error (relations naming them are not
  /// reported again).
  [[nodiscard]] const std::vector<Sym>& dropped_ids() const { return dropped_; }

  /// Makes one relation of the relation statements that name one relation. The ends
  /// must be resolved (relation_from and relation_to). Reports a relation id given twice
  /// in one document, or given in two documents with different ends; returns false then.
  bool merge_relations();

 private:
  struct Rows;
  void fold(const Rows& rows, std::uint32_t subject, bool on_relation,
            const util::Column<std::uint32_t>& starts, const util::Column<Property>& props,
            util::Column<Property>& out);
  [[nodiscard]] bool same_value(const Value& a, const Value& b) const;
  Value united_list(const Value& a, const Value& b);
  void add_aliases(std::size_t first_prop, SourceSetId sources, const std::vector<Sym>& names,
                   util::Column<Property>& out);

  [[nodiscard]] bool in_request(std::uint32_t document) const { return document >= request_from_; }

  GraphArrays& a_;
  SourceSetTable& sets_;
  std::uint32_t request_from_;
  Locate locate_;
  diag::Diagnostics& diagnostics_;
  std::vector<Disagreement> disagreements_;
  std::vector<Sym> dropped_;
};

}  // namespace twinscan::model
