#include "analyzer/identity/resolver.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <tuple>
#include <unordered_map>

#include "analyzer/identity/token_weights.h"
#include "analyzer/query/functions.h"

namespace twinscan::identity {
namespace {

/// Each entity's neighbours (either direction, any relation), as canonical vertices,
/// sorted and distinct.
std::vector<std::vector<model::VertexId>> neighbours_of(
    const model::Graph& graph, const std::vector<model::VertexId>& canonical) {
  std::vector<std::vector<model::VertexId>> out(graph.entity_count());
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
    auto& n = out[v];
    auto add = [&](model::VertexId other) {
      if (graph.out_edges(other).size() + graph.in_edges(other).size() <= kHubDegree)
        n.push_back(canonical[other]);
    };
    for (const auto& e : graph.out_edges(v)) add(e.other);
    for (const auto& e : graph.in_edges(v)) add(e.other);
    std::sort(n.begin(), n.end());
    n.erase(std::unique(n.begin(), n.end()), n.end());
  }
  return out;
}

std::string_view string_property(const model::Graph& graph, model::VertexId v,
                                 std::initializer_list<model::Sym> keys) {
  for (const model::Sym key : keys) {
    if (key == 0) continue;
    const model::Value* value = graph.property(v, key);
    if (value && value->type == model::ValueType::kString) return graph.str(value->string);
  }
  return {};
}

model::Sym symbol(const model::Graph& graph, std::string_view text) {
  model::Sym s = 0;
  return graph.strings().find(text, s) ? s : 0;
}

double round2(double x) {
  return std::round(x * 100) / 100;
}

}  // namespace

double combine_evidence(double name_similarity, int country_agrees,
                        std::optional<double> distance_km, std::size_t shared_neighbours,
                        bool same_source) {
  double p = name_similarity;
  auto support = [&p](double strength) { p += (1 - p) * strength; };
  if (country_agrees > 0) support(0.1);
  if (country_agrees < 0) p *= 0.4;
  if (distance_km) {
    if (*distance_km <= 10) {
      support(0.5);
    } else if (*distance_km <= 50) {
      support(0.25);
    } else if (*distance_km > 1000) {
      p *= 0.5;
    } else if (*distance_km > 200) {
      p *= 0.75;
    }
  }
  // Neighbours in common back a likeness of names; they do not make one. Two ministries
  // that receive the same notifications share every neighbour, yet are two bodies: the
  // support scales with the names' similarity, in full from 0.5 up.
  const double neighbour_strength = 0.4 * std::min(1.0, 2 * name_similarity);
  for (std::size_t i = 0; i < shared_neighbours; ++i) support(neighbour_strength);
  if (same_source) p *= 0.7;
  return std::clamp(p, 0.0, 1.0);
}

std::vector<Candidate> resolve(const model::Graph& graph, const ResolveOptions& options,
                               ResolveStats* stats) {
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  ResolveStats s;
  auto start = Clock::now();
  auto forms = entity_name_forms(graph);
  const TokenWeights weights(graph, forms);
  weights.assign(graph, forms);
  s.forms_seconds = seconds_since(start);
  start = Clock::now();
  const auto pairs = candidate_pairs(graph, forms, weights, options.blocking, &s.blocking);
  s.blocking_seconds = seconds_since(start);
  start = Clock::now();

  // Entities judged the same answer as one: by their cluster's canonical vertex.
  std::vector<model::VertexId> canonical(graph.entity_count());
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
    canonical[v] = v;
    if (!options.judged) continue;
    const std::string_view c = options.judged->canonical(graph.id(v));
    if (c != graph.id(v)) {
      if (const auto found = graph.find(c)) canonical[v] = *found;
    }
  }
  const auto neighbours = neighbours_of(graph, canonical);
  const model::Sym country_key = symbol(graph, "country");
  const model::Sym nationality_key = symbol(graph, "nationality");
  const model::Sym location_key = symbol(graph, "location");
  // Read once, not once per pair.
  std::vector<std::string_view> countries(graph.entity_count());
  std::vector<const model::Value*> locations(graph.entity_count(), nullptr);
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
    countries[v] = string_property(graph, v, {country_key, nationality_key});
    if (location_key == 0) continue;
    const model::Value* l = graph.property(v, location_key);
    if (l && l->type == model::ValueType::kLocation) locations[v] = l;
  }

  WordSimilarity word_similarity;
  std::vector<Candidate> out;
  // One candidate per pair of clusters: the best pair of their members.
  std::unordered_map<std::uint64_t, std::size_t> by_clusters;
  for (const auto& [a, b] : pairs) {
    if (graph.kind(a) != graph.kind(b)) continue;
    if (options.judged && options.judged->is_judged(graph.id(a), graph.id(b))) {
      ++s.judged;
      continue;
    }
    ++s.scored;
    const NameMatch name = compare_names(forms[a], forms[b], &word_similarity);
    if (name.similarity <= 0) continue;
    Candidate c;
    c.a = a;
    c.b = b;
    const NameForm& fa = forms[a][name.form_a];
    const NameForm& fb = forms[b][name.form_b];
    // How many other entities of the kind bear these names.
    const std::uint32_t bearers = std::max(fa.bearers, fb.bearers);
    const std::uint32_t own = fa.joined == fb.joined ? 2 : 1;
    const std::uint32_t shared_by = bearers > own ? bearers - own : 0;
    const double similarity =
        name.similarity / (1 + 0.15 * std::log2(1 + static_cast<double>(shared_by)));
    c.country_a = countries[a];
    c.country_b = countries[b];
    const int country = c.country_a.empty() || c.country_b.empty() ? 0
                        : c.country_a == c.country_b               ? 1
                                                                   : -1;
    if (locations[a] && locations[b])
      c.distance_km = query::haversine_km(locations[a]->location, locations[b]->location);
    std::set_intersection(neighbours[a].begin(), neighbours[a].end(), neighbours[b].begin(),
                          neighbours[b].end(), std::back_inserter(c.shared_neighbours));
    // Copies: a lambda may not capture structured bindings before C++20 compilers
    // caught up (clang 14).
    const model::VertexId canonical_a = canonical[a], canonical_b = canonical[b];
    std::erase_if(c.shared_neighbours,
                  [&](model::VertexId n) { return n == canonical_a || n == canonical_b; });
    c.same_source = graph.source(a).document == graph.source(b).document;
    const double score = round2(combine_evidence(similarity, country, c.distance_km,
                                                 c.shared_neighbours.size(), c.same_source));
    if (score < options.min_score) continue;
    c.score = score;
    c.name = {round2(similarity), fa.text, fb.text, fa.alias, fb.alias, name.how, shared_by};
    const std::uint64_t clusters = static_cast<std::uint64_t>(std::min(canonical[a], canonical[b]))
                                       << 32 |
                                   std::max(canonical[a], canonical[b]);
    auto [it, added] = by_clusters.emplace(clusters, out.size());
    if (added) {
      out.push_back(std::move(c));
    } else if (c.score > out[it->second].score) {
      out[it->second] = std::move(c);
    }
  }
  std::sort(out.begin(), out.end(), [&](const Candidate& x, const Candidate& y) {
    if (x.score != y.score) return x.score > y.score;
    return std::pair(graph.id(x.a), graph.id(x.b)) < std::pair(graph.id(y.a), graph.id(y.b));
  });
  if (options.limit != 0 && out.size() > options.limit) out.resize(options.limit);
  s.scoring_seconds = seconds_since(start);
  if (stats) *stats = s;
  return out;
}

}  // namespace twinscan::identity
