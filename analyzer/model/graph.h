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

#include "analyzer/model/graph_arrays.h"
#include "analyzer/model/made_relation_id.h"
#include "analyzer/model/schema.h"
#include "analyzer/model/spatial_index.h"
#include "analyzer/model/value.h"
#include "analyzer/util/prefetch.h"

namespace twinscan::model {

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

/// The registry: an immutable, typed entity-relationship graph. Strings are interned;
/// adjacency is stored forward and reverse, each vertex's edges grouped by relation
/// kind, so a traversal in either direction touches only the kinds it asks for. Every
/// array is a Column: owned when the graph was built from documents, borrowed from the
/// mapped file when it was opened from a snapshot.
class Graph {
 public:
  /// A graph over `arrays`, which must hold together (see GraphArrays) and agree with
  /// `schema`; GraphBuilder and the snapshot codec make them so.
  Graph(std::shared_ptr<const Schema> schema, GraphArrays arrays);
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  ~Graph();

  /// Takes a graph apart into its arrays, to add to them in place (GraphBuilder merging
  /// a request into a snapshot); the indexes built on demand go with the graph.
  [[nodiscard]] static GraphArrays take_apart(std::unique_ptr<Graph> graph);
  /// The arrays the graph is made of (what a snapshot stores).
  [[nodiscard]] const GraphArrays& arrays() const { return a_; }

  /// Makes this graph, a private copy of `base` with a request merged in (its first
  /// base->entity_count() entities are base's, unchanged), answer vertices_with() and
  /// spatial_index() from base's indexes plus its own few added entities, so that each
  /// screening does not index the whole registry again. Call before sharing the graph.
  void share_indexes_of(std::shared_ptr<const Graph> base);

  [[nodiscard]] const Schema& schema() const { return *schema_; }
  [[nodiscard]] std::shared_ptr<const Schema> schema_ptr() const { return schema_; }
  [[nodiscard]] const util::StringPool& strings() const { return a_.strings; }
  /// The symbols of "since" and "until", the keys of a relation's period, looked up once;
  /// false when the graph never interned the key.
  [[nodiscard]] bool since_key(Sym& out) const {
    out = since_key_;
    return has_since_key_;
  }
  [[nodiscard]] bool until_key(Sym& out) const {
    out = until_key_;
    return has_until_key_;
  }
  [[nodiscard]] std::string_view str(Sym s) const { return a_.strings.str(s); }

  // Entities.
  [[nodiscard]] std::size_t entity_count() const { return a_.entity_kind.size(); }
  [[nodiscard]] KindId kind(VertexId v) const { return a_.entity_kind[v]; }
  [[nodiscard]] Sym id_sym(VertexId v) const { return a_.entity_id[v]; }
  [[nodiscard]] std::string_view id(VertexId v) const { return a_.strings.str(a_.entity_id[v]); }
  /// The entity's "name" as given, or 0 when it has none (then `a.name` reads null).
  [[nodiscard]] Sym name_sym(VertexId v) const { return a_.entity_name[v]; }
  /// The name reports show: the "name", else the "title" property, else the id.
  [[nodiscard]] std::string_view name(VertexId v) const;
  /// The "name", else the "title" property, else 0 (what a name can be matched with).
  [[nodiscard]] Sym name_or_title_sym(VertexId v) const { return a_.name_or_title_sym(v); }
  [[nodiscard]] std::span<const Property> properties(VertexId v) const { return a_.properties(v); }
  /// The property `key` of entity `v`, or nullptr when it has none.
  [[nodiscard]] const Value* property(VertexId v, Sym key) const { return a_.property(v, key); }
  [[nodiscard]] SourceRef source(VertexId v) const { return a_.entity_source[v]; }

  // Relations.
  [[nodiscard]] std::size_t relation_count() const { return a_.relation_kind.size(); }
  [[nodiscard]] RelKindId relation_kind(RelationId r) const { return a_.relation_kind[r]; }
  [[nodiscard]] VertexId relation_source(RelationId r) const { return a_.relation_from[r]; }
  [[nodiscard]] VertexId relation_target(RelationId r) const { return a_.relation_to[r]; }
  /// The relation's id: the one it was given, or one made from its ends and kind
  /// ("FROM-KIND->TO", with "#k" after it for the k-th, k ≥ 2, of one kind and ends).
  [[nodiscard]] std::string relation_id(RelationId r) const;
  /// The same as a view: into the graph's strings, or, for an id made when shown, into
  /// `scratch` (then valid until `scratch` changes). No allocation once `scratch` has room.
  [[nodiscard]] std::string_view relation_id(RelationId r, std::string& scratch) const {
    const Sym id = a_.relation_id[r];
    if (!is_made_relation_id(id)) return a_.strings.str(id);
    scratch.clear();
    append_made_relation_id(r, scratch);
    return scratch;
  }
  /// Appends the relation's id to `out`.
  void append_relation_id(RelationId r, std::string& out) const {
    const Sym id = a_.relation_id[r];
    if (is_made_relation_id(id)) {
      append_made_relation_id(r, out);
    } else {
      out += a_.strings.str(id);
    }
  }
  /// The symbol of the relation's id where the id is stored, else kMadeRelationId and the
  /// relation's number among those of its kind and ends (see made_relation_id.h).
  [[nodiscard]] Sym relation_id_sym(RelationId r) const { return a_.relation_id[r]; }
  /// A number that tells relations apart as their ids do: the symbol of a stored id, else
  /// kMadeRelationId | r (never a symbol).
  [[nodiscard]] Sym relation_identity(RelationId r) const {
    const Sym id = a_.relation_id[r];
    return is_made_relation_id(id) ? (kMadeRelationId | r) : id;
  }
  /// The relation whose id is `id`, if any (a stored id by a scan of the relations).
  [[nodiscard]] std::optional<RelationId> find_relation(std::string_view id) const;
  /// The relation whose id is `id` and made when shown, if any.
  [[nodiscard]] std::optional<RelationId> find_made_relation(std::string_view id) const;
  [[nodiscard]] std::span<const Property> relation_properties(RelationId r) const {
    return {a_.relation_props.data() + a_.relation_prop_start[r],
            a_.relation_prop_start[r + 1] - a_.relation_prop_start[r]};
  }
  [[nodiscard]] const Value* relation_property(RelationId r, Sym key) const {
    for (const auto& p : relation_properties(r)) {
      if (p.key == key) return &p.value;
    }
    return nullptr;
  }
  [[nodiscard]] SourceRef relation_source_ref(RelationId r) const {
    return a_.relation_source_ref[r];
  }

  // Asking ahead. A search steps from vertex to vertex at random places of arrays far
  // larger than the caches; each step waits on memory twice (where a vertex's relations
  // and properties lie, then the relations and properties themselves). A search that
  // knows which vertices it visits next asks for the first step of one, then, a few
  // visits later, for the second, so that the waits overlap.
  /// The first step: v's kind and where its relations and properties lie.
  void prefetch_vertex(VertexId v) const {
    util::prefetch(a_.entity_kind.data() + v);
    util::prefetch(a_.out_range.data() + v);
    util::prefetch(a_.in_range.data() + v);
    util::prefetch(a_.entity_prop_start.data() + v);
  }
  /// The second step: the first of v's relations both ways and of its properties (reads
  /// what prefetch_vertex asked for).
  void prefetch_vertex_data(VertexId v) const {
    util::prefetch(a_.out_adj.data() + a_.out_range[v].begin);
    util::prefetch(a_.in_adj.data() + a_.in_range[v].begin);
    util::prefetch(a_.entity_props.data() + a_.entity_prop_start[v]);
  }

  /// A finding's texts asked for ahead: the id and name of an entity, or the id of a
  /// relation, lie three loads deep at random places of the pool. Each step reads what the
  /// step before asked for: a caller that knows which entities it reads next takes each a
  /// step further per item.
  enum class TextStep : std::uint8_t {
    kSymbols,  ///< the symbols of the id (and name)
    kEntries,  ///< where their texts lie in the pool
    kTexts,    ///< the texts themselves
  };
  void prefetch_entity_texts(VertexId v, TextStep step) const {
    if (step == TextStep::kSymbols) {
      util::prefetch(a_.entity_id.data() + v);
      util::prefetch(a_.entity_name.data() + v);
      return;
    }
    const Sym name = a_.entity_name[v];
    if (step == TextStep::kEntries) {
      a_.strings.prefetch_entry(a_.entity_id[v]);
      if (name != 0) a_.strings.prefetch_entry(name);
    } else {
      a_.strings.prefetch_text(a_.entity_id[v]);
      if (name != 0) a_.strings.prefetch_text(name);
    }
  }
  void prefetch_relation_text(RelationId r, TextStep step) const {
    if (step == TextStep::kSymbols) {
      util::prefetch(a_.relation_id.data() + r);
      util::prefetch(a_.relation_from.data() + r);
      util::prefetch(a_.relation_to.data() + r);
      return;
    }
    const Sym id = a_.relation_id[r];
    if (!is_made_relation_id(id)) {
      if (step == TextStep::kEntries) {
        a_.strings.prefetch_entry(id);
      } else {
        a_.strings.prefetch_text(id);
      }
      return;
    }
    // A made id is read from its ends' ids: a step behind a stored one.
    for (const VertexId end : {a_.relation_from[r], a_.relation_to[r]}) {
      if (step == TextStep::kEntries) {
        util::prefetch(a_.entity_id.data() + end);
      } else {
        a_.strings.prefetch_entry(a_.entity_id[end]);
      }
    }
  }

  // Adjacency.
  [[nodiscard]] std::span<const Adjacency> out_edges(VertexId v) const {
    return {a_.out_adj.data() + a_.out_range[v].begin, a_.out_range[v].count};
  }
  [[nodiscard]] std::span<const Adjacency> in_edges(VertexId v) const {
    return {a_.in_adj.data() + a_.in_range[v].begin, a_.in_range[v].count};
  }
  /// Outgoing edges of `v` of relation kind `kind` only.
  [[nodiscard]] std::span<const Adjacency> out_edges(VertexId v, RelKindId kind) const {
    return of_kind(out_edges(v), kind);
  }
  /// Incoming edges of `v` of relation kind `kind` only.
  [[nodiscard]] std::span<const Adjacency> in_edges(VertexId v, RelKindId kind) const {
    return of_kind(in_edges(v), kind);
  }
  /// The edges of one kind's run (out_edges(v, kind), in_edges(v, kind)) whose far end is
  /// `to`.
  [[nodiscard]] static std::span<const Adjacency> reaching(std::span<const Adjacency> run,
                                                           VertexId to);
  /// Outgoing edges of `v` of kind `kind` that reach `to`. A vertex's edges of one kind
  /// are sorted by far end: they are found by binary search, whatever v's degree.
  [[nodiscard]] std::span<const Adjacency> out_edges_to(VertexId v, RelKindId kind,
                                                        VertexId to) const {
    return reaching(out_edges(v, kind), to);
  }

  // Indexes.
  /// The vertex with id `id`, if any.
  [[nodiscard]] std::optional<VertexId> find(std::string_view id) const;
  [[nodiscard]] std::optional<VertexId> find(Sym id) const {
    if (id >= a_.vertex_of_sym.size() || a_.vertex_of_sym[id] == kNoVertex) return std::nullopt;
    return a_.vertex_of_sym[id];
  }
  /// Every vertex of kind `kind`, ascending.
  [[nodiscard]] std::span<const VertexId> vertices_of_kind(KindId kind) const {
    return {a_.by_kind.data() + a_.kind_start[kind], a_.kind_start[kind + 1] - a_.kind_start[kind]};
  }
  /// Number of relations of each kind.
  [[nodiscard]] std::size_t relation_count_of_kind(RelKindId kind) const {
    return a_.relation_kind_count[kind];
  }

  /// The elements of a list value.
  [[nodiscard]] std::span<const Value> list(ListRef l) const { return a_.list(l); }
  /// The names of the documents the graph was loaded from, indexed by SourceRef::document.
  [[nodiscard]] const std::vector<std::string>& documents() const { return a_.documents; }
  /// Each document's own name for its source ("source": {"name": ...}), or its file name.
  [[nodiscard]] const std::string& document_source(std::uint32_t document) const {
    return a_.document_sources[document];
  }

  // Provenance.
  /// The sources, in load order (each document belongs to one; see SourceInfo).
  [[nodiscard]] const std::vector<SourceInfo>& sources() const { return a_.sources; }
  /// The source a document belongs to (an index into sources()).
  [[nodiscard]] std::uint32_t source_of_document(std::uint32_t document) const {
    return a_.document_source[document];
  }
  /// The sources of a source set, as indexes into sources(), ascending.
  [[nodiscard]] std::span<const std::uint32_t> source_set(SourceSetId set) const {
    return a_.source_set(set);
  }
  /// The sources that state entity `v`.
  [[nodiscard]] std::span<const std::uint32_t> entity_sources(VertexId v) const {
    return a_.source_set(a_.entity_sources[v]);
  }
  /// The sources that state relation `r`.
  [[nodiscard]] std::span<const std::uint32_t> relation_sources(RelationId r) const {
    return a_.source_set(a_.relation_sources[r]);
  }
  /// The values that later sources state differently for entity `v` (or relation `r`),
  /// beside the ones it keeps.
  [[nodiscard]] std::span<const Disagreement> entity_disagreements(VertexId v) const {
    return disagreements_of(v, 0);
  }
  [[nodiscard]] std::span<const Disagreement> relation_disagreements(RelationId r) const {
    return disagreements_of(r, 1);
  }
  /// Whether any value is stated differently by two sources.
  [[nodiscard]] bool has_disagreements() const { return !a_.disagreements.empty(); }
  /// Where a search for recorded disagreements can start: the entities that one is
  /// recorded for (`on_relations` false), or the two ends of each relation that one is
  /// recorded for; ascending, each once. Listed on first use; safe to call from several
  /// threads.
  [[nodiscard]] const std::vector<VertexId>& disagreeing_vertices(bool on_relations) const;
  /// How many disagreements are recorded on entities (or on relations): a bound on the
  /// size of disagreeing_vertices() (twice that, for relations).
  [[nodiscard]] std::size_t disagreement_count(bool on_relations) const;

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
  static std::span<const Adjacency> of_kind(std::span<const Adjacency> edges, RelKindId kind);
  [[nodiscard]] std::span<const Disagreement> disagreements_of(std::uint32_t subject,
                                                               std::uint32_t on_relation) const;
  // vertices_with() of a graph that shares its base's indexes.
  [[nodiscard]] const std::vector<VertexId>* vertices_with_over_base(Sym key,
                                                                     const Value& value) const;

  // Appends the id made from r's ends and kind (r's id is made when shown).
  void append_made_relation_id(RelationId r, std::string& out) const;

  std::shared_ptr<const Schema> schema_;
  GraphArrays a_;
  // The graph whose indexes answer for entities below indexed_by_base_ (see
  // share_indexes_of); null when this graph indexes itself.
  std::shared_ptr<const Graph> index_base_;
  VertexId indexed_by_base_ = 0;

  mutable std::mutex property_index_mutex_;
  mutable std::unordered_map<Sym, std::unordered_map<std::uint64_t, std::vector<VertexId>>>
      property_indexes_;
  mutable std::mutex spatial_mutex_;
  mutable std::unordered_map<KindMask, std::unique_ptr<SpatialIndex>> spatial_;
  Sym since_key_ = 0;
  Sym until_key_ = 0;
  bool has_since_key_ = false;
  bool has_until_key_ = false;
  mutable std::once_flag disagreeing_once_[2];
  mutable std::vector<VertexId> disagreeing_[2];  // of entities, of relations' ends
};

}  // namespace twinscan::model
