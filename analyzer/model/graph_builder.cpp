#include "analyzer/model/graph_builder.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <numeric>
#include <unordered_map>

#include "analyzer/model/adjacency_csr.h"
#include "analyzer/model/made_relation_id.h"
#include "analyzer/model/name_matching.h"
#include "analyzer/model/relation_id_texts.h"
#include "analyzer/model/relation_runs.h"
#include "analyzer/model/statement_merge.h"
#include "analyzer/util/english.h"
#include "analyzer/util/parallel_for.h"
#include "analyzer/util/prefetch.h"

namespace twinscan::model {

GraphBuilder::GraphBuilder(std::shared_ptr<const Schema> schema) : schema_(std::move(schema)) {
  a_.entity_prop_start.push_back(0);
  a_.relation_prop_start.push_back(0);
  sets_ = std::make_unique<SourceSetTable>(a_);
}

GraphBuilder::GraphBuilder(std::unique_ptr<Graph> base)
    : schema_(base->schema_ptr()), extending_(true) {
  base_entities_ = static_cast<VertexId>(base->entity_count());
  base_relations_ = static_cast<RelationId>(base->relation_count());
  // The indexes a graph builds on demand describe the base only; they go with it, and
  // the built graph makes its own.
  a_ = Graph::take_apart(std::move(base));
  base_strings_ = static_cast<Sym>(a_.strings.size());
  sets_ = std::make_unique<SourceSetTable>(a_);
}

GraphBuilder::~GraphBuilder() = default;

std::string_view GraphBuilder::name(VertexId v) const {
  if (const Sym n = a_.name_or_title_sym(v); n != 0) return a_.strings.str(n);
  return id(v);
}

std::optional<VertexId> GraphBuilder::find(Sym sym) const {
  if (sym >= a_.vertex_of_sym.size() || a_.vertex_of_sym[sym] == kNoVertex) return std::nullopt;
  return a_.vertex_of_sym[sym];
}

std::uint32_t GraphBuilder::add_document(std::string name) {
  a_.document_sources.push_back(name);
  a_.documents.push_back(std::move(name));
  a_.document_source.push_back(UINT32_MAX);
  return static_cast<std::uint32_t>(a_.documents.size() - 1);
}

namespace {

// "data/mfa-register.json" -> "mfa-register".
std::string file_stem(std::string_view path) {
  if (const auto slash = path.find_last_of("/\\"); slash != std::string_view::npos)
    path.remove_prefix(slash + 1);
  if (const auto dot = path.rfind('.'); dot != std::string_view::npos && dot > 0)
    path = path.substr(0, dot);
  return std::string(path);
}

}  // namespace

const SourceInfo& GraphBuilder::set_document_source(std::uint32_t document, std::string name,
                                                    std::string id, std::string role) {
  if (!name.empty()) a_.document_sources.at(document) = name;
  if (id.empty()) id = file_stem(a_.documents.at(document));
  for (; indexed_sources_ < a_.sources.size(); ++indexed_sources_) {
    source_index_.emplace(a_.sources[indexed_sources_].id,
                          static_cast<std::uint32_t>(indexed_sources_));
  }
  if (const auto known = source_index_.find(id); known != source_index_.end()) {
    const std::uint32_t s = known->second;
    if (a_.sources[s].role.empty() && !role.empty()) {
      a_.sources[s].role = std::move(role);
      roles_given_.push_back(s);
    }
    a_.document_source.at(document) = s;
    return a_.sources[s];
  }
  a_.sources.push_back({std::move(id), a_.document_sources.at(document), std::move(role)});
  a_.document_source.at(document) = static_cast<std::uint32_t>(a_.sources.size() - 1);
  return a_.sources.back();
}

std::uint32_t GraphBuilder::source_of(std::uint32_t document) {
  if (a_.document_source.at(document) == UINT32_MAX) set_document_source(document, {}, {}, {});
  return a_.document_source[document];
}

SourceSetId GraphBuilder::statement_sources(std::uint32_t document) {
  if (document != current_document_) {
    current_document_ = document;
    current_sources_ = sets_->singleton(source_of(document));
  }
  return current_sources_;
}

void GraphBuilder::begin_request() {
  request_from_ = static_cast<std::uint32_t>(a_.documents.size());
}

void GraphBuilder::join_ids(const std::vector<std::string>& ids) {
  std::vector<Sym> group;
  for (const auto& id : ids) group.push_back(a_.strings.intern(id));
  same_ids_.push_back(std::move(group));
}

void GraphBuilder::begin_entity(Sym id, KindId kind, Sym name, SourceRef where) {
  GraphArrays& g = a_;
  if (g.entity_kind.size() + 1 >= kNoVertex) throw std::length_error("too many entities");
  g.entity_id.push_back(id);
  g.entity_kind.push_back(kind);
  g.entity_name.push_back(name);
  g.entity_source.push_back(where);
  g.entity_sources.push_back(statement_sources(where.document));
  g.entity_prop_start.push_back(g.entity_prop_start.back());
}

void GraphBuilder::add_entity_property(Sym key, Value value) {
  a_.entity_props.push_back({key, current_sources_, value});
  ++a_.entity_prop_start.back();
}

void GraphBuilder::set_entity_name(Sym name) {
  a_.entity_name.back() = name;
}

void GraphBuilder::add_dropped_entity(Sym id) {
  dropped_entities_.push_back(id);
}

void GraphBuilder::begin_relation(Sym id, RelKindId kind, Sym from, SourceRef from_where, Sym to,
                                  SourceRef to_where, SourceRef where) {
  GraphArrays& g = a_;
  g.relation_id.push_back(id);
  g.relation_kind.push_back(kind);
  g.relation_source_ref.push_back(where);
  g.relation_sources.push_back(statement_sources(where.document));
  g.relation_prop_start.push_back(g.relation_prop_start.back());
  relation_from_id_.push_back(from);
  relation_to_id_.push_back(to);
  relation_from_where_.push_back(from_where);
  relation_to_where_.push_back(to_where);
}

void GraphBuilder::add_relation_property(Sym key, Value value) {
  a_.relation_props.push_back({key, current_sources_, value});
  ++a_.relation_prop_start.back();
}

void GraphBuilder::refer_by_name(bool target_end, std::string name, KindMask kinds) {
  name_references_.push_back(
      {static_cast<RelationId>(relation_from_id_.size() - 1), target_end, std::move(name), kinds});
}

GraphBuilder::Mark GraphBuilder::mark(std::uint32_t document) const {
  Mark m;
  m.entities = a_.entity_kind.size();
  m.entity_props = a_.entity_props.size();
  m.relations = relation_from_id_.size();
  m.relation_props = a_.relation_props.size();
  m.list_values = a_.list_pool.size();
  m.name_references = name_references_.size();
  m.dropped_entities = dropped_entities_.size();
  m.document = document;
  m.document_source_name = a_.document_sources.at(document);
  m.document_source = a_.document_source.at(document);
  m.sources = a_.sources.size();
  m.roles_given = roles_given_.size();
  m.strings = a_.strings.mark();
  return m;
}

void GraphBuilder::rollback(const Mark& m) {
  GraphArrays& g = a_;
  g.entity_id.resize(m.entities);
  g.entity_kind.resize(m.entities);
  g.entity_name.resize(m.entities);
  g.entity_source.resize(m.entities);
  g.entity_sources.resize(m.entities);
  g.entity_prop_start.resize(m.entities + 1);
  g.entity_props.resize(m.entity_props);
  const std::size_t relations = base_relations_ + m.relations;
  g.relation_id.resize(relations);
  g.relation_kind.resize(relations);
  g.relation_source_ref.resize(relations);
  g.relation_sources.resize(relations);
  g.relation_prop_start.resize(relations + 1);
  g.relation_props.resize(m.relation_props);
  relation_from_id_.resize(m.relations);
  relation_to_id_.resize(m.relations);
  relation_from_where_.resize(m.relations);
  relation_to_where_.resize(m.relations);
  g.list_pool.resize(m.list_values);
  name_references_.resize(m.name_references);
  dropped_entities_.resize(m.dropped_entities);
  g.document_sources.at(m.document) = m.document_source_name;
  g.document_source.at(m.document) = m.document_source;
  while (roles_given_.size() > m.roles_given) {
    g.sources[roles_given_.back()].role.clear();
    roles_given_.pop_back();
  }
  for (std::size_t s = m.sources; s < g.sources.size(); ++s) source_index_.erase(g.sources[s].id);
  indexed_sources_ = std::min(indexed_sources_, m.sources);
  g.sources.resize(m.sources);
  g.strings.truncate(m.strings);
  current_document_ = UINT32_MAX;  // the document's source may be set again
}

RelationId GraphBuilder::base_relation_with_id(Sym sym) const {
  // An id the base makes when shown is in no pool.
  if (const std::optional<RelationId> made =
          find_made_relation(a_, *schema_, a_.strings.str(sym), base_relations_, base_entities_)) {
    return *made;
  }
  if (sym >= base_strings_) return UINT32_MAX;  // a string new to the pool names no old relation
  const Sym* ids = a_.relation_id.data();
  const Sym* found = std::find(ids, ids + base_relations_, sym);
  return found == ids + base_relations_ ? UINT32_MAX : static_cast<RelationId>(found - ids);
}

// Turns each by-name reference into an id: one entity whose name or alias matches is
// taken (with a note giving the match and its confidence); several equally good ones
// are an error that lists them.
void GraphBuilder::resolve_names(diag::Diagnostics& diagnostics) {
  if (name_references_.empty()) return;
  GraphArrays& g = a_;
  std::vector<std::vector<std::string_view>> aliases(g.entity_kind.size());
  Sym aliases_key = 0;
  if (g.strings.find("aliases", aliases_key)) {
    for (VertexId v = 0; v < g.entity_kind.size(); ++v) {
      if (const Value* a = g.property(v, aliases_key); a && a->type == ValueType::kList) {
        for (const auto& e : g.list(a->list)) {
          if (e.type == ValueType::kString) aliases[v].push_back(g.strings.str(e.string));
        }
      }
    }
  }
  // An entity without a name is matched by its title.
  std::vector<Sym> names(g.entity_kind.size());
  for (VertexId v = 0; v < names.size(); ++v) names[v] = g.name_or_title_sym(v);
  const NameIndex index(names, g.entity_kind, aliases, g.strings);
  auto describe = [&](const NameCandidate& c) {
    char confidence[16];
    std::snprintf(confidence, sizeof confidence, "%.2f", c.confidence);
    return std::string(id(c.vertex)) + " '" + std::string(name(c.vertex)) + "' (" +
           schema().kind(g.entity_kind[c.vertex]).name + ", " + c.how + ", confidence " +
           confidence + ")";
  };
  for (const auto& ref : name_references_) {
    const RelationKindSpec& spec =
        schema().relation(g.relation_kind[base_relations_ + ref.relation]);
    KindMask allowed = ref.target_end ? spec.to : spec.from;
    if (ref.kinds != 0) allowed &= ref.kinds;
    const SourceRef at =
        ref.target_end ? relation_to_where_[ref.relation] : relation_from_where_[ref.relation];
    const auto candidates = index.lookup(ref.name, allowed);
    if (candidates.empty()) {
      dropped_entities_.push_back(0);
      diagnostics.error(where(at), "no entity named '" + ref.name + "' that a " + spec.name +
                                       " can " + (ref.target_end ? "end" : "start") +
                                       " at; give its id instead, or add the name as an alias");
      continue;
    }
    const bool tie = candidates.size() > 1 && candidates[1].confidence == candidates[0].confidence;
    if (tie) {
      dropped_entities_.push_back(0);
      std::string list;
      for (const auto& c : candidates) list += (list.empty() ? " " : "; ") + describe(c);
      diagnostics.error(where(at), "the name '" + ref.name + "' is ambiguous; it matches" + list +
                                       "; give the id of the one meant");
      continue;
    }
    std::string note = "'" + ref.name + "' is " + describe(candidates[0]);
    if (candidates.size() > 1) {
      note += "; weaker candidates:";
      for (std::size_t i = 1; i < candidates.size(); ++i) note += " " + describe(candidates[i]);
    }
    diagnostics.note(where(at), note);
    (ref.target_end ? relation_to_id_ : relation_from_id_)[ref.relation] =
        g.entity_id[candidates[0].vertex];
  }
}

ListRef GraphBuilder::add_list(std::span<const Value> elements) {
  auto& pool = a_.list_pool;
  const ListRef ref{static_cast<std::uint32_t>(pool.size()),
                    static_cast<std::uint32_t>(elements.size())};
  pool.append(elements.begin(), elements.end());
  return ref;
}

diag::SourceLocation GraphBuilder::where(SourceRef ref) const {
  return {a_.documents.at(ref.document), ref.line, ref.column};
}

void GraphBuilder::index_ids(diag::Diagnostics& diagnostics) {
  GraphArrays& g = a_;
  g.vertex_of_sym.resize(g.strings.size(), kNoVertex);
  for (VertexId v = base_entities_; v < g.entity_id.size(); ++v) {
    VertexId& slot = g.vertex_of_sym[g.entity_id[v]];
    if (slot != kNoVertex) {
      const diag::SourceLocation first = where(g.entity_source[slot]);
      diagnostics.error(where(g.entity_source[v]), slot < base_entities_
                                                       ? restated_in_request(id(v), first)
                                                       : duplicate_entity_id(id(v), first));
      continue;
    }
    slot = v;
  }
}

namespace {

// From this many relations, their ends are resolved on two threads: each end is a look-up
// at random in a table of every symbol, and a thread costs far less than half of them.
constexpr std::size_t kResolveOnTwoThreadsFrom = 100000;
// How many relations a thread resolves between looks at whether the other found a problem.
constexpr std::size_t kResolvedBetweenLooks = 4096;

}  // namespace

bool GraphBuilder::resolve_relations_quietly() {
  GraphArrays& g = a_;
  const Schema& schema = *schema_;
  const std::size_t n = relation_from_id_.size();
  if (n < kResolveOnTwoThreadsFrom) return false;
  std::atomic<bool> clean{true};
  util::parallel_for(2, 2, [&](std::size_t half) {
    const std::size_t begin = half == 0 ? 0 : n / 2;
    const std::size_t end = half == 0 ? n / 2 : n;
    for (std::size_t i = begin; i < end; ++i) {
      if ((i - begin) % kResolvedBetweenLooks == 0 && !clean.load(std::memory_order_relaxed))
        return;
      const RelationId r = base_relations_ + static_cast<RelationId>(i);
      const auto from = find(relation_from_id_[i]);
      const auto to = find(relation_to_id_[i]);
      const RelationKindSpec& spec = schema.relation(g.relation_kind[r]);
      // allows() checks both ends' kinds as well as the pairs.
      if (!from || !to || !spec.allows(g.entity_kind[*from], g.entity_kind[*to])) {
        clean.store(false, std::memory_order_relaxed);
        return;
      }
      g.relation_from[r] = *from;
      g.relation_to[r] = *to;
    }
  });
  return clean.load();
}

void GraphBuilder::resolve_relations(diag::Diagnostics& diagnostics) {
  GraphArrays& g = a_;
  const Schema& schema = *schema_;
  const std::size_t n = relation_from_id_.size();
  std::sort(dropped_entities_.begin(), dropped_entities_.end());
  g.relation_from.resize(base_relations_ + n, kNoVertex);
  g.relation_to.resize(base_relations_ + n, kNoVertex);
  if (resolve_relations_quietly()) return;
  auto resolve = [&](Sym id, SourceRef at, const char* end_name) -> VertexId {
    const auto v = find(id);
    if (!v) {
      const bool dropped =
          std::binary_search(dropped_entities_.begin(), dropped_entities_.end(), id);
      if (suppress_unresolved_ || dropped) return kNoVertex;
      diagnostics.error(where(at), std::string("relation ") + end_name + " '" +
                                       std::string(g.strings.str(id)) +
                                       "' names no entity in the registry (define the entity "
                                       "or correct the id)");
      return kNoVertex;
    }
    return *v;
  };
  for (RelationId i = 0; i < n; ++i) {
    const RelationId r = base_relations_ + i;
    const VertexId from = resolve(relation_from_id_[i], relation_from_where_[i], "source");
    const VertexId to = resolve(relation_to_id_[i], relation_to_where_[i], "target");
    const RelationKindSpec& spec = schema.relation(g.relation_kind[r]);
    if (from != kNoVertex && !(spec.from >> g.entity_kind[from] & 1U)) {
      diagnostics.error(where(relation_from_where_[i]),
                        spec.name + " cannot start at '" + std::string(id(from)) + "', " +
                            util::with_article(schema.kind(g.entity_kind[from]).name) +
                            "; it starts at " +
                            util::with_article(schema.describe_kinds(spec.from)));
    }
    if (to != kNoVertex && !(spec.to >> g.entity_kind[to] & 1U)) {
      diagnostics.error(where(relation_to_where_[i]),
                        spec.name + " cannot end at '" + std::string(id(to)) + "', " +
                            util::with_article(schema.kind(g.entity_kind[to]).name) +
                            "; it ends at " + util::with_article(schema.describe_kinds(spec.to)));
    }
    if (from != kNoVertex && to != kNoVertex && (spec.from >> g.entity_kind[from] & 1U) &&
        (spec.to >> g.entity_kind[to] & 1U) &&
        !spec.allows(g.entity_kind[from], g.entity_kind[to])) {
      std::string allowed;
      for (const auto& [f, t] : spec.pairs) {
        allowed += allowed.empty() ? "" : ", ";
        allowed += schema.kind(f).name + " -> " + schema.kind(t).name;
      }
      diagnostics.error(where(relation_from_where_[i]),
                        spec.name + " cannot join " +
                            util::with_article(schema.kind(g.entity_kind[from]).name) + " ('" +
                            std::string(id(from)) + "') to " +
                            util::with_article(schema.kind(g.entity_kind[to]).name) + " ('" +
                            std::string(id(to)) + "'); it joins " + allowed);
    }
    g.relation_from[r] = from;
    g.relation_to[r] = to;
  }
}

namespace {

// Below this many relations, naming them on a thread beside the indexing costs more in
// starting a thread than it saves.
constexpr std::size_t kNameBesideIndexingFrom = 50000;
// From this many relations to name, their texts are made on a thread of their own while
// this one interns them (RelationIdTexts).
constexpr std::size_t kIdTextsOnAThreadFrom = 50000;

// The relation that owns each relation id. A full build indexes every symbol; an
// extension keys only the relations it adds and asks the base by a scan, needed only for
// a string the pool held before.
struct RelationOwners {
  bool extending = false;
  std::function<RelationId(Sym)> in_base;
  std::vector<RelationId> owner;
  std::unordered_map<Sym, RelationId> added_owner;

  [[nodiscard]] RelationId of(Sym id) const {
    if (!extending) return id < owner.size() ? owner[id] : UINT32_MAX;
    if (auto it = added_owner.find(id); it != added_owner.end()) return it->second;
    return in_base(id);
  }
  void set(Sym id, RelationId r) {
    if (extending) {
      added_owner[id] = r;
      return;
    }
    if (id >= owner.size())
      owner.resize(std::max<std::size_t>(id + 1, owner.size() * 2), UINT32_MAX);
    owner[id] = r;
  }
};

// Whether the relations without an id can be named by ids made when shown: no two made
// ids, and no made id and given one, can then read alike (see made_relation_id.h).
bool made_ids_fit(const GraphArrays& g, const Schema& schema) {
  for (const auto& kind : schema.relations()) {
    if (!kind_fits_made_relation_ids(kind.name)) return false;
  }
  for (const Sym id : g.entity_id) {
    if (!id_fits_made_relation_ids(g.strings.str(id))) return false;
  }
  for (const Sym id : g.relation_id) {
    if (id != 0 && !is_made_relation_id(id) && !given_id_fits_made_relation_ids(g.strings.str(id)))
      return false;
  }
  return true;
}

// Whether relation `r` is to be named (see name_relations()): it has no id, and both its
// ends were found (an end left unresolved has been reported, or its document was; the
// graph is not built then, and the relation needs no id).
bool needs_derived_id(const GraphArrays& g, RelationId r) {
  return g.relation_id[r] == 0 && g.relation_from[r] != kNoVertex && g.relation_to[r] != kNoVertex;
}

// Numbers each relation from `first_relation` on that needs_derived_id() among the
// relations of its kind and ends, in load order, from 1: its id is made from the ends,
// the kind and that number when shown.
void number_made_relation_ids(GraphArrays& g, RelationId first_relation) {
  const auto n = static_cast<RelationId>(g.relation_id.size());
  for_each_run_of_one_kind_and_ends(
      g, first_relation, n, [&](RelationId r) { return needs_derived_id(g, r); },
      [&](RelationId r) { return g.relation_to[r]; },
      [&](std::span<const RelationId> run) {
        if (run.size() == 1) return;  // numbered below
        std::uint32_t number = 0;
        for (const RelationId r : run) g.relation_id[r] = kMadeRelationId | ++number;
      });
  // The relations alone of their kind and ends (most) are each number 1: they are
  // numbered here in load order rather than run by run at random.
  for (RelationId r = first_relation; r < n; ++r) {
    if (needs_derived_id(g, r)) g.relation_id[r] = kMadeRelationId | 1;
  }
}

// Names the relations from `first_relation` on that have no id (see name_relations()).
void derive_relation_ids(GraphArrays& g, const Schema& schema, RelationId first_relation,
                         RelationOwners& owners) {
  const std::size_t n = g.relation_id.size();
  std::vector<RelationId> unnamed;  // the relations to name
  // A full build whose ids allow it names them when shown: nothing to intern or store.
  // (relation_identity() tells relations apart by kMadeRelationId | r: r must stay below
  // the tag.)
  if (!owners.extending && n < kMadeRelationId && made_ids_fit(g, schema)) {
    number_made_relation_ids(g, first_relation);
    return;
  }
  for (RelationId r = first_relation; r < n; ++r) {
    if (needs_derived_id(g, r)) unnamed.push_back(r);
  }
  // Every relation adds one symbol at most (its text, or the first free "#k" of it): with
  // this room the pool's index of texts never moves, as RelationIdTexts requires.
  g.strings.reserve(unnamed.size());
  if (!owners.extending) {
    owners.owner.resize(std::max(owners.owner.size(), g.strings.size() + unnamed.size()),
                        UINT32_MAX);
  }
  std::string candidate;
  std::unordered_map<Sym, int> next_number;  // "#k" to try next, by repeated id
  RelationIdTexts texts(g, schema, unnamed, unnamed.size() >= kIdTextsOnAThreadFrom);
  // The table slots of the texts a few ahead are asked for now, so that their misses
  // overlap (most of these ids are new, each a random slot of a large table). They are
  // interned in order, as one by one.
  constexpr std::size_t kAhead = 16;
  std::size_t done = 0;
  while (std::unique_ptr<RelationIdTexts::Chunk> chunk = texts.next()) {
    const std::size_t count = chunk->size();
    for (std::size_t j = 0; j < std::min(kAhead, count); ++j) g.strings.prefetch(chunk->hashes[j]);
    for (std::size_t j = 0; j < count; ++j) {
      if (j + kAhead < count) g.strings.prefetch(chunk->hashes[j + kAhead]);
      const RelationId r = unnamed[done + j];
      Sym sym = g.strings.intern(chunk->at(j), chunk->hashes[j]);
      if (owners.of(sym) != UINT32_MAX) {
        // The numbers below the one found last for this id are all taken (ids are only
        // ever taken): start there, so that 20,000 repeats of one relation are not
        // numbered in 20,000²/2 tries.
        const Sym base = sym;
        auto next = next_number.try_emplace(base, 2).first;
        candidate = chunk->at(j);
        const std::size_t base_size = candidate.size();
        int k = next->second;
        for (; owners.of(sym) != UINT32_MAX; ++k) {
          candidate.resize(base_size);
          candidate += '#';
          candidate += std::to_string(k);
          sym = g.strings.intern(candidate);
        }
        next->second = k;
      }
      owners.set(sym, r);
      g.relation_id[r] = sym;
    }
    done += count;
    texts.give_back(std::move(chunk));
  }
}

}  // namespace

// A relation without an id gets "FROM-KIND->TO", numbered from #2 when the same pair is
// related twice by the same kind; ids are then stable across unrelated changes.
// Reports relation ids given twice, and returns the naming of the relations without an
// id, which reports nothing and touches only the relations' ids and the string pool (so
// that it may run beside the building of the indexes).
std::function<void()> GraphBuilder::name_relations(diag::Diagnostics& diagnostics) {
  GraphArrays& g = a_;
  const std::size_t n = g.relation_id.size();
  auto owners = std::make_shared<RelationOwners>();
  owners->extending = extending_;
  owners->in_base = [this](Sym id) { return base_relation_with_id(id); };
  owners->owner.assign(extending_ ? 0 : g.strings.size(), UINT32_MAX);
  for (RelationId r = base_relations_; r < n; ++r) {
    const Sym id = g.relation_id[r];
    if (id == 0) continue;
    if (const RelationId first_owner = owners->of(id); first_owner != UINT32_MAX) {
      const SourceRef first = g.relation_source_ref[first_owner];
      diagnostics.error(where(g.relation_source_ref[r]),
                        "duplicate relation id '" + std::string(g.strings.str(id)) +
                            "'; first defined at " + where(first).file + ":" +
                            std::to_string(first.line) + ":" + std::to_string(first.column));
      continue;
    }
    owners->set(id, r);
  }
  return [this, owners] { derive_relation_ids(a_, *schema_, base_relations_, *owners); };
}

void GraphBuilder::index_kinds() {
  GraphArrays& g = a_;
  const std::size_t kinds = schema_->kinds().size();
  if (extending_ && g.kind_start.size() == kinds + 1 && g.by_kind.size() == base_entities_) {
    extend_kind_index();
    return;
  }
  g.kind_start.assign(kinds + 1, 0);
  for (KindId k : g.entity_kind) ++g.kind_start[k + 1];
  std::partial_sum(g.kind_start.begin(), g.kind_start.end(), g.kind_start.begin());
  g.by_kind.resize(g.entity_kind.size());
  std::vector<std::uint32_t> next(g.kind_start.begin(), g.kind_start.end() - 1);
  for (VertexId v = 0; v < g.entity_kind.size(); ++v) g.by_kind[next[g.entity_kind[v]]++] = v;
  // The base's counts stand; only the added relations are counted.
  g.relation_kind_count.resize(schema_->relations().size(), 0);
  for (RelationId r = base_relations_; r < g.relation_kind.size(); ++r)
    ++g.relation_kind_count[g.relation_kind[r]];
}

void GraphBuilder::extend_kind_index() {
  GraphArrays& g = a_;
  const std::size_t kinds = schema_->kinds().size();
  const std::size_t total = g.entity_kind.size();
  // The added entities of each kind go at the end of that kind's run: each run moves up
  // by the number of entities added to the kinds before it. Moving the runs from the
  // last kind down never overwrites a run not yet moved, and leaves the runs before the
  // first kind that grew untouched, so a request's few entities cost a move of part of
  // the index rather than a rebuild of it.
  std::vector<std::uint32_t> added(kinds, 0);
  for (std::size_t v = base_entities_; v < total; ++v) ++added[g.entity_kind[v]];
  std::vector<std::uint32_t> old_start(g.kind_start.begin(), g.kind_start.end());
  std::vector<std::uint32_t> new_start(kinds + 1, 0);
  for (std::size_t k = 0; k < kinds; ++k)
    new_start[k + 1] = new_start[k] + (old_start[k + 1] - old_start[k]) + added[k];
  g.by_kind.resize(total);
  for (std::size_t k = kinds; k-- > 0;) {
    const std::uint32_t length = old_start[k + 1] - old_start[k];
    if (new_start[k] != old_start[k] && length > 0) {
      std::memmove(g.by_kind.data() + new_start[k], g.by_kind.data() + old_start[k],
                   length * sizeof(VertexId));
    }
  }
  std::vector<std::uint32_t> next(kinds);
  for (std::size_t k = 0; k < kinds; ++k)
    next[k] = new_start[k] + (old_start[k + 1] - old_start[k]);
  for (std::size_t v = base_entities_; v < total; ++v)
    g.by_kind[next[g.entity_kind[v]]++] = static_cast<VertexId>(v);
  for (std::size_t k = 0; k <= kinds; ++k) g.kind_start[k] = new_start[k];
  g.relation_kind_count.resize(schema_->relations().size(), 0);
  for (RelationId r = base_relations_; r < g.relation_kind.size(); ++r)
    ++g.relation_kind_count[g.relation_kind[r]];
}

std::shared_ptr<const Graph> GraphBuilder::build(diag::Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  for (std::uint32_t d = 0; d < a_.documents.size(); ++d) source_of(d);
  StatementMerger merger(
      a_, *sets_, [this](SourceRef ref) { return where(ref); }, diagnostics, request_from_);
  if (extending_) {
    index_ids(diagnostics);
  } else {
    merger.merge_entities(same_ids_);
    dropped_entities_.insert(dropped_entities_.end(), merger.dropped_ids().begin(),
                             merger.dropped_ids().end());
  }
  resolve_names(diagnostics);
  resolve_relations(diagnostics);
  // Relation ids given twice are reported whatever else is wrong, so that one run lists
  // every problem.
  if (!extending_) merger.merge_relations();
  const std::function<void()> derive_ids = name_relations(diagnostics);
  if (diagnostics.error_count() > errors_before) return nullptr;
  // An end left unresolved without a report belongs to a document already reported as
  // lost; there is no graph to build then.
  for (RelationId r = base_relations_; r < a_.relation_from.size(); ++r) {
    if (a_.relation_from[r] == kNoVertex || a_.relation_to[r] == kNoVertex) return nullptr;
  }
  if (extending_) {
    derive_ids();
    index_kinds();
    extend_adjacency(a_, base_relations_);
  } else {
    // Naming relations (relation ids and the string pool) and indexing kinds and
    // adjacency (the other arrays, which naming only reads) are apart: with many
    // relations the naming runs on a thread of its own.
    auto index = [this] {
      index_kinds();
      attach_adjacency(a_);
    };
    if (a_.relation_kind.size() < kNameBesideIndexingFrom) {
      derive_ids();
      index();
    } else {
      util::parallel_for(2, 2, [&](std::size_t i) { i == 0 ? derive_ids() : index(); });
    }
  }
  a_.vertex_of_sym.resize(a_.strings.size(), kNoVertex);
  relation_from_id_ = {};
  relation_to_id_ = {};
  relation_from_where_ = {};
  relation_to_where_ = {};
  auto graph = std::make_shared<Graph>(schema_, std::move(a_));
  if (index_base_) graph->share_indexes_of(std::move(index_base_));
  return graph;
}

}  // namespace twinscan::model
