#include "analyzer/model/source_sets.h"

#include <algorithm>

#include "analyzer/util/hash.h"

namespace twinscan::model {

namespace {

std::uint64_t hash_set(std::span<const std::uint32_t> sources) {
  return util::hash_bytes(sources.data(), sources.size_bytes());
}

}  // namespace

SourceSetTable::SourceSetTable(GraphArrays& arrays) : a_(arrays) {
  if (a_.source_set_start.size() == 0) a_.source_set_start.push_back(0);
  const auto sets = static_cast<SourceSetId>(a_.source_set_start.size() - 1);
  for (SourceSetId s = 0; s < sets; ++s) by_hash_[hash_set(a_.source_set(s))].push_back(s);
}

SourceSetId SourceSetTable::intern(std::span<const std::uint32_t> sources) {
  auto& bucket = by_hash_[hash_set(sources)];
  for (const SourceSetId s : bucket) {
    const auto members = a_.source_set(s);
    if (std::equal(members.begin(), members.end(), sources.begin(), sources.end())) return s;
  }
  a_.source_set_members.append(sources.begin(), sources.end());
  a_.source_set_start.push_back(static_cast<std::uint32_t>(a_.source_set_members.size()));
  const auto id = static_cast<SourceSetId>(a_.source_set_start.size() - 2);
  bucket.push_back(id);
  return id;
}

SourceSetId SourceSetTable::singleton(std::uint32_t source) {
  if (source >= singletons_.size()) singletons_.resize(source + 1, UINT32_MAX);
  if (singletons_[source] == UINT32_MAX) {
    const std::uint32_t one[] = {source};
    singletons_[source] = intern(one);
  }
  return singletons_[source];
}

SourceSetId SourceSetTable::unite_all(std::span<const SourceSetId> sets) {
  if (sets.empty()) return 0;
  if (sets.size() == 1) return sets[0];
  if (sets.size() == 2) return unite(sets[0], sets[1]);
  std::vector<std::uint32_t> merged;
  for (const SourceSetId set : sets) {
    const auto members = a_.source_set(set);
    merged.insert(merged.end(), members.begin(), members.end());
  }
  std::sort(merged.begin(), merged.end());
  merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  return intern(merged);
}

SourceSetId SourceSetTable::unite(SourceSetId a, SourceSetId b) {
  if (a == b) return a;
  if (a > b) std::swap(a, b);
  const std::uint64_t key = std::uint64_t{a} << 32 | b;
  if (auto it = unions_.find(key); it != unions_.end()) return it->second;
  std::vector<std::uint32_t> merged;
  const auto x = a_.source_set(a);
  const auto y = a_.source_set(b);
  std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(merged));
  const SourceSetId out = intern(merged);
  unions_.emplace(key, out);
  return out;
}

}  // namespace twinscan::model
