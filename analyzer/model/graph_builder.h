#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/model/graph.h"
#include "analyzer/model/source_sets.h"

namespace twinscan::model {

/// Accumulates entities and relations from any number of documents, then resolves
/// references, checks ids and relation endpoints against the schema, and freezes
/// the result into an immutable Graph. A builder builds once.
class GraphBuilder {
 public:
  explicit GraphBuilder(std::shared_ptr<const Schema> schema);
  /// A builder that adds to `base` in place (to merge a request into a registry opened
  /// from a snapshot): only what is added is resolved, checked and indexed, so the cost
  /// does not grow with the registry.
  explicit GraphBuilder(std::unique_ptr<Graph> base);
  ~GraphBuilder();

  [[nodiscard]] const Schema& schema() const { return *schema_; }
  util::StringPool& strings() { return a_.strings; }

  /// Registers a document; returns its index for SourceRef::document. Until
  /// set_document_source() says otherwise, the document is its own source, named after
  /// its file.
  std::uint32_t add_document(std::string name);
  /// Sets the source a document speaks for, before its statements are added: `id` (empty:
  /// the file name without extension), its `name` (empty: the file name) and `role`.
  /// Documents with one source id are one source; the first names it and gives its role.
  /// Returns that source.
  const SourceInfo& set_document_source(std::uint32_t document, std::string name, std::string id,
                                        std::string role);
  /// Declares ids that judgements say name one entity: their statements become one
  /// entity, with the id stated first in load order, that answers to all of them.
  void join_ids(const std::vector<std::string>& ids);
  /// The documents added from now on are a request (a screening): they may refer to the
  /// registry's entities by id, but not define them again.
  void begin_request();
  /// The graph built will answer its property and spatial lookups from `base`'s indexes
  /// (Graph::share_indexes_of): `base` is the registry this builder's base was copied from.
  void share_indexes_of(std::shared_ptr<const Graph> base) { index_base_ = std::move(base); }

  /// Starts an entity; its properties follow through add_entity_property().
  void begin_entity(Sym id, KindId kind, Sym name, SourceRef where);
  void add_entity_property(Sym key, Value value);
  /// Sets the name of the entity begun last.
  void set_entity_name(Sym name);
  /// Records the id of an entity that was dropped for an error, so that relations
  /// naming it are not reported again as unresolved.
  void add_dropped_entity(Sym id);
  /// Stops unresolved references from being reported, after a whole document was lost.
  void suppress_unresolved() { suppress_unresolved_ = true; }

  /// Starts a relation between the entities with ids `from` and `to` (resolved at
  /// build time, so they may be defined later). `id` is 0 when the relation has none.
  void begin_relation(Sym id, RelKindId kind, Sym from, SourceRef from_where, Sym to,
                      SourceRef to_where, SourceRef where);
  void add_relation_property(Sym key, Value value);
  /// Makes one end of the relation begun last a reference by name (and optionally
  /// kinds) rather than by id; it is matched to an entity's name or alias at build time.
  void refer_by_name(bool target_end, std::string name, KindMask kinds);

  /// Stores list elements; the returned reference goes into a list Value.
  ListRef add_list(std::span<const Value> elements);

  /// What has been added up to a moment, to return to with rollback(): a reader that
  /// gives up on a document part way takes back all it added of it.
  struct Mark {
    std::size_t entities = 0;
    std::size_t entity_props = 0;
    std::size_t relations = 0;
    std::size_t relation_props = 0;
    std::size_t list_values = 0;
    std::size_t name_references = 0;
    std::size_t dropped_entities = 0;
    std::uint32_t document = 0;
    std::string document_source_name;
    std::uint32_t document_source = 0;
    std::size_t sources = 0;
    std::size_t roles_given = 0;
    util::StringPool::Mark strings;
  };
  /// A mark taken after `document` was added (add_document) and before any of it was.
  [[nodiscard]] Mark mark(std::uint32_t document) const;
  /// Takes back everything added since `mark`, the interned strings included.
  void rollback(const Mark& mark);

  [[nodiscard]] std::size_t document_count() const { return a_.documents.size(); }
  [[nodiscard]] std::size_t entity_count() const { return a_.entity_kind.size(); }
  [[nodiscard]] std::size_t relation_count() const {
    return base_relations_ + relation_from_id_.size();
  }

  /// Resolves and checks everything; reports each problem to `diagnostics`.
  /// Returns the graph, or nullptr when an error was found.
  std::shared_ptr<const Graph> build(diag::Diagnostics& diagnostics);

 private:
  [[nodiscard]] diag::SourceLocation where(SourceRef ref) const;
  void index_ids(diag::Diagnostics& diagnostics);
  void resolve_relations(diag::Diagnostics& diagnostics);
  // Resolves every relation's ends on two threads when none has a problem; false at the
  // first problem (resolve_relations() then resolves them again in order, reporting).
  bool resolve_relations_quietly();
  // Reports relation ids given twice; returns the naming of the relations without an id.
  std::function<void()> name_relations(diag::Diagnostics& diagnostics);
  void index_kinds();
  // index_kinds() of a builder extending a base graph: only the added entities are placed.
  void extend_kind_index();
  void resolve_names(diag::Diagnostics& diagnostics);
  // The relation of the base graph with id `sym`, or UINT32_MAX (a scan; used only when
  // extending).
  [[nodiscard]] RelationId base_relation_with_id(Sym sym) const;
  [[nodiscard]] std::string_view id(VertexId v) const { return a_.strings.str(a_.entity_id[v]); }
  // The name reports show (as Graph::name()).
  [[nodiscard]] std::string_view name(VertexId v) const;
  // The vertex with id `sym` among those indexed so far, if any.
  [[nodiscard]] std::optional<VertexId> find(Sym sym) const;
  // The source of `document` (its own, named after its file, when none was set).
  std::uint32_t source_of(std::uint32_t document);
  // The set of the source of `document`, for the statements being added.
  SourceSetId statement_sources(std::uint32_t document);

  std::shared_ptr<const Schema> schema_;
  GraphArrays a_;  // the graph being built; a Graph is made of them by build()
  bool extending_ = false;
  // What the base graph held; the arrays below describe the relations added after it
  // (relation base_relations_ + i at index i).
  VertexId base_entities_ = 0;
  RelationId base_relations_ = 0;
  Sym base_strings_ = 0;
  // Columns rather than vectors: they grow by remapping, without copying what they hold
  // (a registry of a million entities states a few million relations).
  util::Column<Sym> relation_from_id_;
  util::Column<Sym> relation_to_id_;
  util::Column<SourceRef> relation_from_where_;
  util::Column<SourceRef> relation_to_where_;
  struct NameReference {
    RelationId relation;  // index into the builder's arrays
    bool target_end;
    std::string name;
    KindMask kinds;
  };
  std::vector<NameReference> name_references_;
  std::vector<Sym> dropped_entities_;
  bool suppress_unresolved_ = false;
  std::unique_ptr<SourceSetTable> sets_;
  std::uint32_t current_document_ = UINT32_MAX;
  SourceSetId current_sources_ = 0;
  std::vector<std::vector<Sym>> same_ids_;
  std::uint32_t request_from_ = UINT32_MAX;
  std::shared_ptr<const Graph> index_base_;
  /// Sources by id (the first `indexed_sources_` of a_.sources), so that a folder of
  /// 20,000 documents does not compare each source id with all those before it.
  std::unordered_map<std::string, std::uint32_t> source_index_;
  std::size_t indexed_sources_ = 0;
  /// Sources whose role a later document gave (set_document_source), in order: what a
  /// rollback takes back, rather than a copy of every source per mark.
  std::vector<std::uint32_t> roles_given_;
};

}  // namespace twinscan::model
