#include "analyzer/model/graph.h"

#include <algorithm>

namespace twinscan::model {
namespace {

template <typename T>
std::size_t bytes_of(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
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
  const auto upper = std::partition_point(lower, edges.end(),
                                          [&](const Adjacency& a) { return a.kind <= kind; });
  return {lower, upper};
}

std::optional<VertexId> Graph::find(std::string_view id) const {
  Sym sym = 0;
  if (!strings_.find(id, sym)) return std::nullopt;
  return find(sym);
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
