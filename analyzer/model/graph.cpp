#include "analyzer/model/graph.h"

#include <algorithm>

namespace twinscan::model {

Sym Graph::name_or_title_sym(VertexId v) const {
  if (const Sym name = entity_name_[v]; name != 0) return name;
  Sym title_key = 0;
  if (!strings_.find("title", title_key)) return 0;
  const Value* title = property(v, title_key);
  return title && title->type == ValueType::kString ? title->string : 0;
}

std::string_view Graph::name(VertexId v) const {
  if (const Sym name = name_or_title_sym(v); name != 0) return strings_.str(name);
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

std::optional<VertexId> Graph::find(std::string_view id) const {
  Sym sym = 0;
  if (!strings_.find(id, sym)) return std::nullopt;
  return find(sym);
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

const std::vector<VertexId>* Graph::vertices_with(Sym key, const Value& value) const {
  if (!indexable(value.type)) return nullptr;
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

const SpatialIndex& Graph::spatial_index(KindMask kinds) const {
  std::lock_guard<std::mutex> lock(spatial_mutex_);
  auto& index = spatial_[kinds];
  if (index) return *index;
  index = std::make_unique<SpatialIndex>();
  Sym key = 0;
  if (!strings_.find("location", key)) return *index;
  for (KindId k = 0; k < schema_->kinds().size(); ++k) {
    if (kinds != 0 && !(kinds >> k & 1U)) continue;
    for (VertexId v : vertices_of_kind(k)) {
      if (const Value* p = property(v, key); p && p->type == ValueType::kLocation)
        index->add(v, p->location);
    }
  }
  return *index;
}

GraphMemory Graph::memory() const {
  GraphMemory m;
  m.entities = bytes_of(entity_id_) + bytes_of(entity_kind_) + bytes_of(entity_name_) +
               bytes_of(entity_prop_start_) + bytes_of(entity_source_);
  m.relations = bytes_of(relation_id_) + bytes_of(relation_kind_) + bytes_of(relation_from_) +
                bytes_of(relation_to_) + bytes_of(relation_prop_start_) +
                bytes_of(relation_source_ref_);
  m.properties = bytes_of(entity_props_) + bytes_of(relation_props_) + bytes_of(list_pool_);
  m.adjacency = adjacency_bytes();
  m.indexes = bytes_of(vertex_of_sym_) + bytes_of(by_kind_) + bytes_of(kind_start_);
  m.strings = strings_.memory_bytes();
  return m;
}

}  // namespace twinscan::model
