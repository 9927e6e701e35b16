#include "analyzer/model/graph.h"

#include <algorithm>

namespace twinscan::model {

Graph::Graph(std::shared_ptr<const Schema> schema, GraphArrays arrays)
    : schema_(std::move(schema)), a_(std::move(arrays)) {
  has_since_key_ = a_.strings.find("since", since_key_);
  has_until_key_ = a_.strings.find("until", until_key_);
}

Graph::~Graph() = default;

GraphArrays Graph::take_apart(std::unique_ptr<Graph> graph) {
  return std::move(graph->a_);
}

std::string_view Graph::name(VertexId v) const {
  if (const Sym name = name_or_title_sym(v); name != 0) return a_.strings.str(name);
  return id(v);
}
namespace {

// Bytes of a column, mapped or owned: what it makes resident once read.
template <typename T>
std::size_t bytes_of(const util::Column<T>& v) {
  return v.bytes();
}

}  // namespace

std::span<const Adjacency> Graph::of_kind(std::span<const Adjacency> edges, RelKindId kind) {
  // Most vertices have a handful of edges: a linear scan beats a binary search there.
  if (edges.size() <= 16) {
    std::size_t begin = 0;
    while (begin < edges.size() && edges[begin].kind < kind) ++begin;
    std::size_t end = begin;
    while (end < edges.size() && edges[end].kind == kind) ++end;
    return edges.subspan(begin, end - begin);
  }
  const auto lower = std::partition_point(edges.begin(), edges.end(),
                                          [&](const Adjacency& a) { return a.kind < kind; });
  const auto upper =
      std::partition_point(lower, edges.end(), [&](const Adjacency& a) { return a.kind <= kind; });
  return {lower, upper};
}

std::span<const Adjacency> Graph::reaching(std::span<const Adjacency> run, VertexId to) {
  const auto lower = std::partition_point(run.begin(), run.end(),
                                          [&](const Adjacency& a) { return a.other < to; });
  const auto upper =
      std::partition_point(lower, run.end(), [&](const Adjacency& a) { return a.other <= to; });
  return {lower, upper};
}

namespace {

// The disagreements recorded on entities (0) or on relations (1): a range of the list,
// which is sorted by (on_relation, subject).
std::span<const Disagreement> disagreements_on(const util::Column<Disagreement>& all,
                                               std::uint32_t on_relation) {
  const auto lower = std::partition_point(
      all.begin(), all.end(), [&](const Disagreement& d) { return d.on_relation < on_relation; });
  const auto upper = std::partition_point(
      lower, all.end(), [&](const Disagreement& d) { return d.on_relation <= on_relation; });
  return {lower, upper};
}

}  // namespace

std::size_t Graph::disagreement_count(bool on_relations) const {
  return disagreements_on(a_.disagreements, on_relations ? 1 : 0).size();
}

const std::vector<VertexId>& Graph::disagreeing_vertices(bool on_relations) const {
  const int which = on_relations ? 1 : 0;
  std::call_once(disagreeing_once_[which], [&] {
    std::vector<VertexId>& out = disagreeing_[which];
    for (const Disagreement& d : disagreements_on(a_.disagreements, on_relations ? 1 : 0)) {
      if (on_relations) {
        out.push_back(relation_source(d.subject));
        out.push_back(relation_target(d.subject));
      } else {
        out.push_back(d.subject);
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  });
  return disagreeing_[which];
}

std::span<const Disagreement> Graph::disagreements_of(std::uint32_t subject,
                                                      std::uint32_t on_relation) const {
  const auto& all = a_.disagreements;
  if (all.empty()) return {};
  auto before = [](const Disagreement& d, std::pair<std::uint32_t, std::uint32_t> key) {
    return std::pair(d.on_relation, d.subject) < key;
  };
  const auto key = std::pair(on_relation, subject);
  const auto lower = std::lower_bound(all.begin(), all.end(), key, before);
  auto upper = lower;
  while (upper != all.end() && upper->on_relation == on_relation && upper->subject == subject)
    ++upper;
  return {lower, upper};
}

std::optional<VertexId> Graph::find(std::string_view id) const {
  Sym sym = 0;
  if (!a_.strings.find(id, sym)) return std::nullopt;
  return find(sym);
}

std::string Graph::relation_id(RelationId r) const {
  std::string out;
  append_relation_id(r, out);
  return out;
}

void Graph::append_made_relation_id(RelationId r, std::string& out) const {
  model::append_made_relation_id(id(a_.relation_from[r]),
                                 schema_->relation(a_.relation_kind[r]).name, id(a_.relation_to[r]),
                                 made_relation_number(a_.relation_id[r]), out);
}

std::optional<RelationId> Graph::find_made_relation(std::string_view text) const {
  return model::find_made_relation(a_, *schema_, text, relation_count(), entity_count());
}

std::optional<RelationId> Graph::find_relation(std::string_view text) const {
  if (std::optional<RelationId> made = find_made_relation(text)) return made;
  Sym sym = 0;
  if (!a_.strings.find(text, sym)) return std::nullopt;
  for (RelationId r = 0; r < relation_count(); ++r) {
    if (a_.relation_id[r] == sym) return r;
  }
  return std::nullopt;
}

namespace {

// An indexable value as one word: its type in the top bits, its payload below.
std::uint64_t index_key(const Value& v) {
  std::uint64_t payload = 0;
  switch (v.type) {
    case ValueType::kString:
      payload = v.string;
      break;
    case ValueType::kBool:
      payload = v.boolean ? 1 : 0;
      break;
    case ValueType::kDate:
      payload = static_cast<std::uint64_t>(static_cast<std::uint16_t>(v.date.year)) << 16 |
                static_cast<std::uint64_t>(v.date.month) << 8 | v.date.day;
      break;
    default:
      break;
  }
  return static_cast<std::uint64_t>(v.type) << 56 | payload;
}

}  // namespace

void Graph::share_indexes_of(std::shared_ptr<const Graph> base) {
  indexed_by_base_ = static_cast<VertexId>(std::min(base->entity_count(), entity_count()));
  index_base_ = std::move(base);
}

const std::vector<VertexId>* Graph::vertices_with(Sym key, const Value& value) const {
  if (!indexable(value.type)) return nullptr;
  if (index_base_) return vertices_with_over_base(key, value);
  std::lock_guard<std::mutex> lock(property_index_mutex_);
  auto [it, inserted] = property_indexes_.try_emplace(key);
  auto& index = it->second;
  if (inserted) {
    for (VertexId v = 0; v < entity_count(); ++v) {
      if (const Value* p = property(v, key); p && indexable(p->type))
        index[index_key(*p)].push_back(v);
    }
  }
  static const std::vector<VertexId> kNone;
  auto found = index.find(index_key(value));
  return found == index.end() ? &kNone : &found->second;
}

const std::vector<VertexId>* Graph::vertices_with_over_base(Sym key, const Value& value) const {
  const std::vector<VertexId>* from_base = index_base_->vertices_with(key, value);
  const std::uint64_t wanted = index_key(value);
  std::vector<VertexId> added;
  for (VertexId v = indexed_by_base_; v < entity_count(); ++v) {
    if (const Value* p = property(v, key); p && indexable(p->type) && index_key(*p) == wanted)
      added.push_back(v);
  }
  if (added.empty()) return from_base;
  std::lock_guard<std::mutex> lock(property_index_mutex_);
  auto& merged = property_indexes_[key][wanted];
  if (merged.empty()) {
    // The added entities come after the base's, so the union stays ascending.
    merged.reserve(from_base->size() + added.size());
    merged.assign(from_base->begin(), from_base->end());
    merged.insert(merged.end(), added.begin(), added.end());
  }
  return &merged;
}

const SpatialIndex& Graph::spatial_index(KindMask kinds) const {
  std::lock_guard<std::mutex> lock(spatial_mutex_);
  auto& index = spatial_[kinds];
  if (index) return *index;
  // Over a base graph, only the added entities are indexed here; the base's index
  // answers for the rest.
  index =
      std::make_unique<SpatialIndex>(index_base_ ? &index_base_->spatial_index(kinds) : nullptr);
  Sym key = 0;
  if (!a_.strings.find("location", key)) return *index;
  for (KindId k = 0; k < schema_->kinds().size(); ++k) {
    if (kinds != 0 && !(kinds >> k & 1U)) continue;
    const auto of_kind = vertices_of_kind(k);
    const auto first = std::lower_bound(of_kind.begin(), of_kind.end(), indexed_by_base_);
    for (auto it = first; it != of_kind.end(); ++it) {
      if (const Value* p = property(*it, key); p && p->type == ValueType::kLocation)
        index->add(*it, p->location);
    }
  }
  return *index;
}

GraphMemory Graph::memory() const {
  GraphMemory m;
  m.entities = bytes_of(a_.entity_id) + bytes_of(a_.entity_kind) + bytes_of(a_.entity_name) +
               bytes_of(a_.entity_prop_start) + bytes_of(a_.entity_source) +
               bytes_of(a_.entity_sources);
  m.relations = bytes_of(a_.relation_id) + bytes_of(a_.relation_kind) + bytes_of(a_.relation_from) +
                bytes_of(a_.relation_to) + bytes_of(a_.relation_prop_start) +
                bytes_of(a_.relation_source_ref) + bytes_of(a_.relation_sources);
  m.properties = bytes_of(a_.entity_props) + bytes_of(a_.relation_props) + bytes_of(a_.list_pool) +
                 bytes_of(a_.disagreements) + bytes_of(a_.source_set_start) +
                 bytes_of(a_.source_set_members);
  m.adjacency = adjacency_bytes();
  m.indexes = bytes_of(a_.vertex_of_sym) + bytes_of(a_.by_kind) + bytes_of(a_.kind_start);
  m.strings = a_.strings.memory_bytes();
  return m;
}

std::size_t Graph::adjacency_bytes() const {
  return a_.out_range.bytes() + a_.out_adj.bytes() + a_.in_range.bytes() + a_.in_adj.bytes();
}

}  // namespace twinscan::model
