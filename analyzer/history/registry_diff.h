#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/rules/finding_list.h"

namespace twinscan::history {

/// One property of an entity or relation present in both versions whose value changed,
/// appeared or disappeared. Indexes and keys point into the two graphs compared.
struct PropertyChange {
  bool on_relation = false;
  std::uint32_t old_subject = 0;  ///< VertexId or RelationId in the old graph.
  std::uint32_t new_subject = 0;  ///< VertexId or RelationId in the new graph.
  /// The property's entry on each side, or null where it is absent. A change of an
  /// entity's kind or of a relation's ends is reported with both null and `special` set.
  const model::Property* old_value = nullptr;
  const model::Property* new_value = nullptr;
  const char* special = nullptr;  ///< "kind", "from" or "to"; null for a property.
};

/// What changed between two versions of a registry, compared by id.
struct RegistryDiff {
  std::vector<model::VertexId> added_entities;       ///< In the new graph, by id.
  std::vector<model::VertexId> removed_entities;     ///< In the old graph, by id.
  std::vector<model::RelationId> added_relations;    ///< In the new graph, by id.
  std::vector<model::RelationId> removed_relations;  ///< In the old graph, by id.
  std::vector<PropertyChange> changes;               ///< By subject id, then property.

  [[nodiscard]] bool empty() const {
    return added_entities.empty() && removed_entities.empty() && added_relations.empty() &&
           removed_relations.empty() && changes.empty();
  }
};

/// Compares `old_graph` with `new_graph` by entity id and relation id (given or derived).
/// A hash join over the interned ids: each old id is looked up once in the new graph's
/// index, property keys are translated once per key, and values compared in place (strings
/// as views into each graph's pool), so that nothing is built per entity but the output.
RegistryDiff diff_registries(const model::Graph& old_graph, const model::Graph& new_graph);

/// The findings that appeared (in `after` and not in `before`) and were resolved (in
/// `before` and not in `after`), matched by fingerprint as a scan's --baseline matches
/// them. Both lists keep the findings' report order.
struct FindingsDiff {
  std::vector<const rules::Finding*> appeared;
  std::vector<const rules::Finding*> resolved;
};
FindingsDiff diff_findings(const rules::FindingList& before, const rules::FindingList& after);

/// How a diff is shown.
struct DiffReport {
  const model::Graph* old_graph = nullptr;
  const model::Graph* new_graph = nullptr;
  const RegistryDiff* diff = nullptr;
  const FindingsDiff* findings = nullptr;  ///< Null when findings were not compared.
};

/// The text report: counts, then one line per change ("+", "-", "~").
std::string diff_text(const DiffReport& report);
/// The JSON report: {"old": {"entities", "relations"}, "new": {...}, "changed": bool,
/// "entities": {"added", "removed"}, "relations": {"added", "removed"}, "properties":
/// [{"subject", "on", "property", "old", "new", "old_sources", "new_sources"}],
/// "findings": {"appeared", "resolved"}}.
std::string diff_json(const DiffReport& report);

}  // namespace twinscan::history
