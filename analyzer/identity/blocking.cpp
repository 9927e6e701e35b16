#include "analyzer/identity/blocking.h"

#include <algorithm>
#include <functional>
#include <string>

namespace twinscan::identity {
namespace {

constexpr std::size_t kRareWords = 2;  // words per form whose one-letter-dropped variants are keys
constexpr std::size_t kMinTypoWord = 4;

std::uint64_t key_of(model::KindId kind, char space, std::string_view text) {
  const std::uint64_t h = std::hash<std::string_view>{}(text);
  // Mix the kind and the key space in; a collision only adds a pair to score.
  return h ^ ((static_cast<std::uint64_t>(kind) << 8 | static_cast<unsigned char>(space)) *
              0x9e3779b97f4a7c15ULL);
}

}  // namespace

std::vector<std::pair<model::VertexId, model::VertexId>> candidate_pairs(
    const model::Graph& graph, const std::vector<std::vector<NameForm>>& forms,
    const TokenWeights& weights, const BlockingOptions& options, BlockingStats* stats) {
  struct Entry {
    std::uint64_t key;
    model::VertexId vertex;
  };
  std::vector<Entry> entries;
  std::vector<std::uint64_t> keys;
  std::string variant;
  std::vector<std::pair<std::uint32_t, std::size_t>> rarest;  // (frequency, token)
  for (model::VertexId v = 0; v < forms.size(); ++v) {
    const model::KindId kind = graph.kind(v);
    keys.clear();
    for (const auto& f : forms[v]) {
      keys.push_back(key_of(kind, 'j', f.joined));
      if (f.skeleton.size() >= 3) keys.push_back(key_of(kind, 's', f.skeleton));
      rarest.clear();
      for (std::size_t t = 0; t < f.tokens.size(); ++t) {
        keys.push_back(key_of(kind, 't', f.tokens[t]));
        if (f.tokens[t].size() >= kMinTypoWord)
          rarest.emplace_back(weights.frequency(kind, f.tokens[t]), t);
      }
      std::sort(rarest.begin(), rarest.end());
      if (rarest.size() > kRareWords) rarest.resize(kRareWords);
      for (const auto& [frequency, t] : rarest) {
        const std::string& word = f.tokens[t];
        keys.push_back(key_of(kind, 'd', word));
        for (std::size_t i = 0; i < word.size(); ++i) {
          variant.assign(word, 0, i);
          variant.append(word, i + 1);
          keys.push_back(key_of(kind, 'd', variant));
        }
      }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const auto k : keys) entries.push_back({k, v});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.key != b.key ? a.key < b.key : a.vertex < b.vertex;
  });
  BlockingStats s;
  s.keys = entries.size();
  std::vector<std::uint64_t> pairs;
  for (std::size_t begin = 0; begin < entries.size();) {
    std::size_t end = begin + 1;
    while (end < entries.size() && entries[end].key == entries[begin].key) ++end;
    const std::size_t n = end - begin;
    if (n >= 2) {
      ++s.blocks;
      if (n > options.max_block) {
        ++s.skipped_blocks;
      } else {
        for (std::size_t i = begin; i < end; ++i) {
          for (std::size_t j = i + 1; j < end; ++j) {
            pairs.push_back(static_cast<std::uint64_t>(entries[i].vertex) << 32 |
                            entries[j].vertex);
          }
        }
      }
    }
    begin = end;
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  s.pairs = pairs.size();
  if (stats) *stats = s;
  std::vector<std::pair<model::VertexId, model::VertexId>> out;
  out.reserve(pairs.size());
  for (const auto p : pairs)
    out.emplace_back(static_cast<model::VertexId>(p >> 32), static_cast<model::VertexId>(p));
  return out;
}

}  // namespace twinscan::identity
