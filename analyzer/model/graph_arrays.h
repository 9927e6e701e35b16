#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "analyzer/model/schema.h"
#include "analyzer/model/value.h"
#include "analyzer/util/column.h"
#include "analyzer/util/string_pool.h"

namespace twinscan::model {

using VertexId = std::uint32_t;    ///< An entity's index in the graph.
using RelationId = std::uint32_t;  ///< A relation's index in the graph.
inline constexpr VertexId kNoVertex = UINT32_MAX;

/// One step along a relation from the vertex whose adjacency holds it.
struct Adjacency {
  VertexId other = 0;          ///< The vertex at the far end.
  RelationId relation = 0;     ///< The relation walked.
  RelKindId kind = 0;          ///< The relation's kind (adjacency is grouped by kind).
  std::uint16_t reserved = 0;  ///< Zero: keeps the record free of padding in snapshots.
};

/// Where one vertex's edges lie in an adjacency array.
struct EdgeRange {
  std::uint32_t begin = 0;
  std::uint32_t count = 0;
};

/// Where an entity or relation was defined: its document and 1-based line and column.
struct SourceRef {
  std::uint32_t document = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// A source of statements: the documents that give one `source.id` (by default each
/// document is its own source, named after its file).
struct SourceInfo {
  std::string id;    ///< The document's `source.id`, else its file name without extension.
  std::string name;  ///< The first such document's `source.name`, else its file name.
  std::string role;  ///< `source.role` (national-register, foreign-side, ...), or empty.
};

/// A single value that a later source states differently from the value an entity or
/// relation keeps (the first in load order): kept so that the disagreement can be shown.
struct Disagreement {
  std::uint32_t subject = 0;      ///< The entity's VertexId, or the relation's RelationId.
  std::uint32_t on_relation = 0;  ///< 1 when `subject` is a relation.
  Sym key = 0;                    ///< The property.
  SourceSetId sources = 0;        ///< The sources that state `value`.
  Value value;                    ///< The value they state.
};
static_assert(sizeof(Disagreement) == 32);

/// The arrays a Graph is made of, as plain data: GraphBuilder fills them from documents,
/// the snapshot codec over a mapped file (its columns then borrow the mapping, which
/// `mapping` keeps alive, so opening copies nothing). A Graph is constructed from them
/// and shows them back, read-only, through Graph::arrays(); that is also how a snapshot
/// is written. Whoever fills them makes them hold together as documented below: the
/// builder by construction, the codec by checking every length and index of the file.
struct GraphArrays {
  std::shared_ptr<void> mapping;  ///< What borrowed columns point into (a snapshot), if any.
  util::StringPool strings;
  std::vector<std::string> documents;         ///< Indexed by SourceRef::document.
  std::vector<std::string> document_sources;  ///< Each document's name for its source.

  // Provenance. Sources in load order; each document belongs to one. A set of sources is
  // stored once in the set table (a sorted run of source indexes); entities, relations
  // and property values name their set by its SourceSetId.
  std::vector<SourceInfo> sources;
  std::vector<std::uint32_t> document_source;      ///< Per document: its index in sources.
  util::Column<std::uint32_t> source_set_start;    ///< Size sets + 1, into source_set_members.
  util::Column<std::uint32_t> source_set_members;  ///< Source indexes, ascending in each set.

  // Entities, indexed by VertexId.
  util::Column<Sym> entity_id;
  util::Column<KindId> entity_kind;
  util::Column<Sym> entity_name;                  ///< 0 when the entity has no "name".
  util::Column<std::uint32_t> entity_prop_start;  ///< Size entity count + 1, into entity_props.
  util::Column<Property> entity_props;
  util::Column<SourceRef> entity_source;
  util::Column<SourceSetId> entity_sources;  ///< The sources that state each entity.

  // Relations, indexed by RelationId.
  util::Column<Sym> relation_id;
  util::Column<RelKindId> relation_kind;
  util::Column<VertexId> relation_from;
  util::Column<VertexId> relation_to;
  util::Column<std::uint32_t> relation_prop_start;  ///< Size relation count + 1.
  util::Column<Property> relation_props;
  util::Column<SourceRef> relation_source_ref;
  util::Column<SourceSetId> relation_sources;       ///< The sources that state each relation.
  util::Column<std::uint64_t> relation_kind_count;  ///< Relations of each kind.

  /// Values stated differently by later sources, ordered by (on_relation, subject).
  util::Column<Disagreement> disagreements;

  util::Column<Value> list_pool;  ///< The elements of list values (ListRef points here).

  // Indexes.
  util::Column<VertexId> vertex_of_sym;    ///< By Sym: the entity with that id, or kNoVertex.
  util::Column<VertexId> by_kind;          ///< Vertices grouped by kind, ascending in each.
  util::Column<std::uint32_t> kind_start;  ///< Size kinds + 1, into by_kind.

  // Adjacency, forward and reverse: each vertex's edges sorted by (kind, far end,
  // relation), so that one kind's edges are one run.
  util::Column<EdgeRange> out_range;  ///< Per vertex, into out_adj.
  util::Column<Adjacency> out_adj;
  util::Column<EdgeRange> in_range;  ///< Per vertex, into in_adj.
  util::Column<Adjacency> in_adj;

  // The reads that need nothing but these arrays (the builder uses them before a graph
  // exists; Graph answers with them).
  [[nodiscard]] std::span<const Property> properties(VertexId v) const {
    return {entity_props.data() + entity_prop_start[v],
            entity_prop_start[v + 1] - entity_prop_start[v]};
  }
  /// The property `key` of entity `v`, or nullptr when it has none.
  [[nodiscard]] const Value* property(VertexId v, Sym key) const {
    for (const auto& p : properties(v)) {
      if (p.key == key) return &p.value;
    }
    return nullptr;
  }
  /// The "name", else the "title" property, else 0 (what a name can be matched with).
  [[nodiscard]] Sym name_or_title_sym(VertexId v) const;
  /// The source indexes of a source set, ascending.
  [[nodiscard]] std::span<const std::uint32_t> source_set(SourceSetId set) const {
    return {source_set_members.data() + source_set_start[set],
            source_set_start[set + 1] - source_set_start[set]};
  }
  /// Whether two stored values are one value (lists element by element, in order).
  [[nodiscard]] bool same_value(const Value& a, const Value& b) const;
  /// same_value, or two dates of which one holds the other (model::dates_compatible).
  [[nodiscard]] bool compatible_value(const Value& a, const Value& b) const {
    return same_value(a, b) || (a.type == ValueType::kDate && b.type == ValueType::kDate &&
                                dates_compatible(a.date, b.date));
  }
  /// The elements of a list value.
  [[nodiscard]] std::span<const Value> list(ListRef l) const {
    return {list_pool.data() + l.offset, l.count};
  }
};

}  // namespace twinscan::model
