#include "analyzer/identity/token_weights.h"

#include <algorithm>
#include <cmath>

namespace twinscan::identity {

std::string TokenWeights::key(model::KindId kind, std::string_view token) {
  std::string k;
  k.reserve(token.size() + 2);
  k += static_cast<char>(kind & 0xff);
  k += static_cast<char>(kind >> 8);
  k += token;
  return k;
}

TokenWeights::TokenWeights(const model::Graph& graph,
                           const std::vector<std::vector<NameForm>>& forms)
    : entities_(graph.schema().kinds().size(), 0) {
  std::vector<std::string_view> seen;
  for (model::VertexId v = 0; v < forms.size(); ++v) {
    const model::KindId kind = graph.kind(v);
    ++entities_[kind];
    seen.clear();
    for (const auto& f : forms[v]) seen.insert(seen.end(), f.tokens.begin(), f.tokens.end());
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (const auto t : seen) ++frequency_[key(kind, t)];
    seen.clear();
    for (const auto& f : forms[v]) seen.push_back(f.joined);
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (const auto n : seen) ++name_frequency_[key(kind, n)];
  }
}

std::uint32_t TokenWeights::frequency(model::KindId kind, std::string_view token) const {
  auto it = frequency_.find(key(kind, token));
  return it == frequency_.end() ? 0 : it->second;
}

std::uint32_t TokenWeights::name_frequency(model::KindId kind, std::string_view joined) const {
  auto it = name_frequency_.find(key(kind, joined));
  return it == name_frequency_.end() ? 0 : it->second;
}

double TokenWeights::weight(model::KindId kind, std::string_view token) const {
  const double n = std::max<std::uint32_t>(frequency(kind, token), 1);
  return std::log(1.0 + static_cast<double>(entities_[kind]) / n);
}

void TokenWeights::assign(const model::Graph& graph,
                          std::vector<std::vector<NameForm>>& forms) const {
  for (model::VertexId v = 0; v < forms.size(); ++v) {
    for (auto& f : forms[v]) {
      f.weights.clear();
      f.bearers = name_frequency(graph.kind(v), f.joined);
      double sum = 0;
      for (const auto& t : f.tokens) {
        const double w = weight(graph.kind(v), t);
        f.weights.push_back(static_cast<float>(w));
        sum += w * w;
      }
      f.norm = static_cast<float>(std::sqrt(sum));
    }
  }
}

}  // namespace twinscan::identity
