#pragma once

// Small random registries for differential and property tests: a plain description
// of entities and relations (independent of the engine's Graph), and its JSON text in
// the "twinscan/1" format, which the registry loader reads. Everything is drawn from
// one seeded generator, so a seed names a registry on every platform.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace twinscan::testing {

/// A deterministic random source. The helpers use plain modular arithmetic rather than
/// the standard distributions, whose results differ between standard libraries.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }
  /// Uniform in [0, n); n > 0.
  int below(int n) { return static_cast<int>(engine_() % static_cast<std::uint64_t>(n)); }
  /// Uniform in [lo, hi].
  int range(int lo, int hi) { return lo + below(hi - lo + 1); }
  /// True with probability p.
  bool chance(double p) { return static_cast<double>(engine_() >> 11) * 0x1.0p-53 < p; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))];
  }

 private:
  std::mt19937_64 engine_;
};

struct RandomEntity {
  std::string id;
  std::string kind;
  std::string name;
  std::optional<std::string> country;
  std::optional<std::int64_t> population;  ///< ForeignCity only.
  std::optional<bool> state_owned;         ///< Firm only.
};

struct RandomRelation {
  std::string kind;
  int from = 0;  ///< Index into RandomRegistry::entities.
  int to = 0;
  std::optional<double> share;  ///< OWNED_BY only.
};

struct RandomRegistry {
  std::vector<RandomEntity> entities;
  std::vector<RandomRelation> relations;

  /// The registry as one "twinscan/1" document, one entity or relation a line.
  [[nodiscard]] std::string to_json() const {
    auto quote = [](const std::string& s) {
      std::string out = "\"";
      for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    };
    std::string out = "{\"format\": \"twinscan/1\",\n \"entities\": [";
    for (std::size_t i = 0; i < entities.size(); ++i) {
      const auto& e = entities[i];
      out += i == 0 ? "\n  " : ",\n  ";
      out += "{\"id\": " + quote(e.id) + ", \"kind\": " + quote(e.kind) +
             ", \"name\": " + quote(e.name);
      if (e.country) out += ", \"country\": " + quote(*e.country);
      if (e.population) out += ", \"population\": " + std::to_string(*e.population);
      if (e.state_owned)
        out += std::string(", \"state_owned\": ") + (*e.state_owned ? "true" : "false");
      out += "}";
    }
    out += "],\n \"relations\": [";
    for (std::size_t i = 0; i < relations.size(); ++i) {
      const auto& r = relations[i];
      out += i == 0 ? "\n  " : ",\n  ";
      out += "{\"kind\": " + quote(r.kind) + ", \"from\": " + quote(entities[r.from].id) +
             ", \"to\": " + quote(entities[r.to].id);
      if (r.share) out += ", \"share\": " + format_share(*r.share);
      out += "}";
    }
    return out + "]}\n";
  }

  /// A share as a JSON number that reads back as a float ("0.5", "1.0").
  static std::string format_share(double share) {
    std::string s = std::to_string(share);
    while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
    return s;
  }
};

/// The entity kinds the generator uses, and an id prefix for each.
inline const std::vector<std::pair<std::string, std::string>>& random_entity_kinds() {
  static const std::vector<std::pair<std::string, std::string>> kinds = {
      {"Firm", "firm"},        {"ForeignGovernment", "gov"}, {"Organization", "org"},
      {"Person", "person"},    {"Project", "prj"},           {"Municipality", "mun"},
      {"ForeignCity", "city"},
  };
  return kinds;
}

/// The relation kinds the generator uses, with the entity kinds allowed at each end
/// (a subset of data/schema.json; an empty `to` means any kind).
struct RandomRelationKind {
  std::string name;
  std::vector<std::string> from;
  std::vector<std::string> to;
};

inline const std::vector<RandomRelationKind>& random_relation_kinds() {
  static const std::vector<RandomRelationKind> kinds = {
      {"OWNED_BY",
       {"Firm"},
       {"Firm", "ForeignGovernment", "ForeignCity", "Organization", "Person"}},
      {"CONTROLLED_BY",
       {"ForeignCity", "ForeignGovernment", "Organization"},
       {"ForeignGovernment"}},
      {"BIDDER_ON", {"Firm", "ForeignGovernment"}, {"Project"}},
      {"CONTRACTOR_OF", {"Firm", "ForeignGovernment"}, {"Project"}},
      {"LOCATED_IN", {"Project", "Firm", "Organization"}, {"Municipality", "ForeignCity"}},
      {"REPRESENTS", {"Person"}, {}},
  };
  return kinds;
}

/// Names are drawn from a small pool so that equal names are common.
inline const std::vector<std::string>& random_names() {
  static const std::vector<std::string> names = {"Alpha", "Beta", "Gamma", "O'Hara"};
  return names;
}

inline const std::vector<std::string>& random_countries() {
  static const std::vector<std::string> countries = {"CN", "IL", "US"};
  return countries;
}

inline const std::vector<double>& random_shares() {
  static const std::vector<double> shares = {0.1, 0.25, 0.5, 0.75, 1.0};
  return shares;
}

inline const std::vector<std::int64_t>& random_populations() {
  static const std::vector<std::int64_t> populations = {1000, 5000, 20000};
  return populations;
}

struct RegistryShape {
  int min_entities = 3;
  int max_entities = 12;
  int max_relations = 25;
  double self_loop = 0.08;  ///< Chance that a relation that may be a self-loop is one.
  double parallel = 0.12;   ///< Chance that a relation repeats an earlier one's ends.
  double reverse = 0.08;    ///< Chance that a relation reverses an earlier one (cycles).
};

/// A random registry whose entities and relations satisfy the built-in schema.
inline RandomRegistry random_registry(Rng& rng, const RegistryShape& shape = {}) {
  RandomRegistry reg;
  const auto& kinds = random_entity_kinds();
  const int n = rng.range(shape.min_entities, shape.max_entities);
  for (int i = 0; i < n; ++i) {
    const auto& [kind, prefix] =
        kinds[static_cast<std::size_t>(rng.below(static_cast<int>(kinds.size())))];
    RandomEntity e;
    e.id = prefix + ":" + std::to_string(i);
    e.kind = kind;
    e.name = rng.pick(random_names());
    if (rng.chance(0.7)) e.country = rng.pick(random_countries());
    if (kind == "ForeignCity" && rng.chance(0.7)) e.population = rng.pick(random_populations());
    if (kind == "Firm" && rng.chance(0.7)) e.state_owned = rng.chance(0.5);
    reg.entities.push_back(std::move(e));
  }
  auto of_kinds = [&](const std::vector<std::string>& allowed) {
    std::vector<int> out;
    for (int i = 0; i < n; ++i) {
      const auto& k = reg.entities[static_cast<std::size_t>(i)].kind;
      if (allowed.empty() || std::find(allowed.begin(), allowed.end(), k) != allowed.end()) {
        out.push_back(i);
      }
    }
    return out;
  };
  auto fits = [&](const RandomRelationKind& spec, int from, int to) {
    auto in = [](const std::vector<std::string>& allowed, const std::string& k) {
      return allowed.empty() || std::find(allowed.begin(), allowed.end(), k) != allowed.end();
    };
    return in(spec.from, reg.entities[static_cast<std::size_t>(from)].kind) &&
           in(spec.to, reg.entities[static_cast<std::size_t>(to)].kind);
  };
  auto spec_of = [&](const std::string& name) -> const RandomRelationKind& {
    for (const auto& s : random_relation_kinds()) {
      if (s.name == name) return s;
    }
    return random_relation_kinds().front();
  };
  const int wanted = rng.range(0, shape.max_relations);
  for (int attempt = 0; attempt < wanted * 4 && static_cast<int>(reg.relations.size()) < wanted;
       ++attempt) {
    RandomRelation r;
    if (!reg.relations.empty() && rng.chance(shape.parallel)) {
      r = rng.pick(reg.relations);  // same kind and ends: a parallel relation
    } else if (!reg.relations.empty() && rng.chance(shape.reverse)) {
      const RandomRelation& old = rng.pick(reg.relations);
      if (!fits(spec_of(old.kind), old.to, old.from)) continue;
      r = old;
      std::swap(r.from, r.to);
    } else {
      const auto& spec = rng.pick(random_relation_kinds());
      const auto froms = of_kinds(spec.from);
      if (froms.empty()) continue;
      r.kind = spec.name;
      r.from = rng.pick(froms);
      if (fits(spec, r.from, r.from) && rng.chance(shape.self_loop)) {
        r.to = r.from;
      } else {
        const auto tos = of_kinds(spec.to);
        if (tos.empty()) continue;
        r.to = rng.pick(tos);
      }
    }
    if (r.kind == "OWNED_BY") {
      r.share = rng.chance(0.8) ? std::optional<double>(rng.pick(random_shares())) : std::nullopt;
    }
    reg.relations.push_back(r);
  }
  return reg;
}

}  // namespace twinscan::testing
