#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/model/schema.h"
#include "analyzer/model/spatial_index.h"
#include "analyzer/model/value.h"
#include "analyzer/util/column.h"
#include "analyzer/util/string_pool.h"

namespace twinscan::io {
class SnapshotCodec;
}

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

/// Bytes held by each part of a graph, for the memory figures in the docs.
struct GraphMemory {
  std::size_t entities = 0;
  std::size_t relations = 0;
  std::size_t properties = 0;
  std::size_t adjacency = 0;
  std::size_t indexes = 0;
  std::size_t strings = 0;
  [[nodiscard]] std::size_t total() const {
    return entities + relations + properties + adjacency + indexes + strings;
  }
};

class Graph;
/// Builds the forward and reverse adjacency of a graph whose relations are resolved.
void attach_adjacency(Graph& graph);
/// Adds to the adjacency of a graph the relations from `first_relation` on, and empty
/// runs for vertices added since it was built, leaving the rest untouched: a vertex that
/// gains edges gets its merged, re-sorted run at the end of the adjacency array.
void extend_adjacency(Graph& graph, RelationId first_relation);

/// The registry: an immutable, typed entity-relationship graph. Strings are interned;
/// adjacency is stored forward and reverse, each vertex's edges grouped by relation
/// kind, so a traversal in either direction touches only the kinds it asks for. Every
/// array is a Column: owned when the graph was built from documents, borrowed from the
/// mapped file when it was opened from a snapshot.
class Graph {
 public:
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  ~Graph();

  [[nodiscard]] const Schema& schema() const { return *schema_; }
  [[nodiscard]] std::shared_ptr<const Schema> schema_ptr() const { return schema_; }
  [[nodiscard]] const util::StringPool& strings() const { return strings_; }
  [[nodiscard]] std::string_view str(Sym s) const { return strings_.str(s); }

  // Entities.
  [[nodiscard]] std::size_t entity_count() const { return entity_kind_.size(); }
  [[nodiscard]] KindId kind(VertexId v) const { return entity_kind_[v]; }
  [[nodiscard]] Sym id_sym(VertexId v) const { return entity_id_[v]; }
  [[nodiscard]] std::string_view id(VertexId v) const { return strings_.str(entity_id_[v]); }
  /// The entity's "name" as given, or 0 when it has none (then `a.name` reads null).
  [[nodiscard]] Sym name_sym(VertexId v) const { return entity_name_[v]; }
  /// The name reports show: the "name", else the "title" property, else the id.
  [[nodiscard]] std::string_view name(VertexId v) const;
  /// The "name", else the "title" property, else 0 (what a name can be matched with).
  [[nodiscard]] Sym name_or_title_sym(VertexId v) const;
  [[nodiscard]] std::span<const Property> properties(VertexId v) const {
    return {entity_props_.data() + entity_prop_start_[v],
            entity_prop_start_[v + 1] - entity_prop_start_[v]};
  }
  /// The property `key` of entity `v`, or nullptr when it has none.
  [[nodiscard]] const Value* property(VertexId v, Sym key) const {
    for (const auto& p : properties(v)) {
      if (p.key == key) return &p.value;
    }
    return nullptr;
  }
  [[nodiscard]] SourceRef source(VertexId v) const { return entity_source_[v]; }

  // Relations.
  [[nodiscard]] std::size_t relation_count() const { return relation_kind_.size(); }
  [[nodiscard]] RelKindId relation_kind(RelationId r) const { return relation_kind_[r]; }
  [[nodiscard]] VertexId relation_source(RelationId r) const { return relation_from_[r]; }
  [[nodiscard]] VertexId relation_target(RelationId r) const { return relation_to_[r]; }
  /// The relation's id: its own, or one derived from its endpoints and kind.
  [[nodiscard]] std::string_view relation_id(RelationId r) const {
    return strings_.str(relation_id_[r]);
  }
  [[nodiscard]] Sym relation_id_sym(RelationId r) const { return relation_id_[r]; }
  [[nodiscard]] std::span<const Property> relation_properties(RelationId r) const {
    return {relation_props_.data() + relation_prop_start_[r],
            relation_prop_start_[r + 1] - relation_prop_start_[r]};
  }
  [[nodiscard]] const Value* relation_property(RelationId r, Sym key) const {
    for (const auto& p : relation_properties(r)) {
      if (p.key == key) return &p.value;
    }
    return nullptr;
  }
  [[nodiscard]] SourceRef relation_source_ref(RelationId r) const {
    return relation_source_ref_[r];
  }

  // Adjacency.
  [[nodiscard]] std::span<const Adjacency> out_edges(VertexId v) const {
    return {out_adj_.data() + out_range_[v].begin, out_range_[v].count};
  }
  [[nodiscard]] std::span<const Adjacency> in_edges(VertexId v) const {
    return {in_adj_.data() + in_range_[v].begin, in_range_[v].count};
  }
  /// Outgoing edges of `v` of relation kind `kind` only.
  [[nodiscard]] std::span<const Adjacency> out_edges(VertexId v, RelKindId kind) const {
    return of_kind(out_edges(v), kind);
  }
  /// Incoming edges of `v` of relation kind `kind` only.
  [[nodiscard]] std::span<const Adjacency> in_edges(VertexId v, RelKindId kind) const {
    return of_kind(in_edges(v), kind);
  }

  // Indexes.
  /// The vertex with id `id`, if any.
  [[nodiscard]] std::optional<VertexId> find(std::string_view id) const;
  [[nodiscard]] std::optional<VertexId> find(Sym id) const {
    if (id >= vertex_of_sym_.size() || vertex_of_sym_[id] == kNoVertex) return std::nullopt;
    return vertex_of_sym_[id];
  }
  /// Every vertex of kind `kind`, ascending.
  [[nodiscard]] std::span<const VertexId> vertices_of_kind(KindId kind) const {
    return {by_kind_.data() + kind_start_[kind], kind_start_[kind + 1] - kind_start_[kind]};
  }
  /// Number of relations of each kind.
  [[nodiscard]] std::size_t relation_count_of_kind(RelKindId kind) const {
    return relation_kind_count_[kind];
  }

  /// The elements of a list value.
  [[nodiscard]] std::span<const Value> list(ListRef l) const {
    return {list_pool_.data() + l.offset, l.count};
  }
  /// The names of the documents the graph was loaded from, indexed by SourceRef::document.
  [[nodiscard]] const std::vector<std::string>& documents() const { return documents_; }
  /// Each document's own name for its source ("source": {"name": ...}), or its file name.
  [[nodiscard]] const std::string& document_source(std::uint32_t document) const {
    return document_sources_[document];
  }

  /// The entities whose property `key` equals `value` (a string, bool or date; other
  /// types are not indexed and give nullptr), ascending. The index of a key is built on
  /// first use; safe to call from several threads.
  [[nodiscard]] const std::vector<VertexId>* vertices_with(Sym key, const Value& value) const;
  /// Whether vertices_with() can answer for values of this type.
  static bool indexable(ValueType type) {
    return type == ValueType::kString || type == ValueType::kBool || type == ValueType::kDate;
  }

  /// The located entities (those with a "location") of the kinds in `kinds` (every
  /// kind when 0), gridded; built on first use for each set of kinds, from those kinds'
  /// entities only. Safe to call from several threads.
  [[nodiscard]] const SpatialIndex& spatial_index(KindMask kinds) const;

  [[nodiscard]] GraphMemory memory() const;
  [[nodiscard]] std::size_t adjacency_bytes() const;

 private:
  friend class GraphBuilder;
  friend class io::SnapshotCodec;
  friend void attach_adjacency(Graph& graph);
  friend void extend_adjacency(Graph& graph, RelationId first_relation);
  Graph();

  static std::span<const Adjacency> of_kind(std::span<const Adjacency> edges, RelKindId kind);

  std::shared_ptr<const Schema> schema_;
  std::shared_ptr<void> mapping_;  // the snapshot the columns borrow from, if any
  util::StringPool strings_;
  std::vector<std::string> documents_;
  std::vector<std::string> document_sources_;

  util::Column<Sym> entity_id_;
  util::Column<KindId> entity_kind_;
  util::Column<Sym> entity_name_;
  util::Column<std::uint32_t> entity_prop_start_;  // size entity_count + 1
  util::Column<Property> entity_props_;
  util::Column<SourceRef> entity_source_;

  util::Column<Sym> relation_id_;
  util::Column<RelKindId> relation_kind_;
  util::Column<VertexId> relation_from_;
  util::Column<VertexId> relation_to_;
  util::Column<std::uint32_t> relation_prop_start_;  // size relation_count + 1
  util::Column<Property> relation_props_;
  util::Column<SourceRef> relation_source_ref_;
  util::Column<std::uint64_t> relation_kind_count_;

  util::Column<Value> list_pool_;

  util::Column<VertexId> vertex_of_sym_;  // indexed by Sym; kNoVertex where not an entity id
  util::Column<VertexId> by_kind_;
  util::Column<std::uint32_t> kind_start_;  // size kinds + 1

  mutable std::mutex property_index_mutex_;
  mutable std::unordered_map<Sym, std::unordered_map<std::uint64_t, std::vector<VertexId>>>
      property_indexes_;
  mutable std::mutex spatial_mutex_;
  mutable std::unordered_map<KindMask, std::unique_ptr<SpatialIndex>> spatial_;

  util::Column<EdgeRange> out_range_;  // per vertex, into out_adj_
  util::Column<Adjacency> out_adj_;
  util::Column<EdgeRange> in_range_;  // per vertex, into in_adj_
  util::Column<Adjacency> in_adj_;
};

}  // namespace twinscan::model
