#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/identity/blocking.h"
#include "analyzer/identity/identity_clusters.h"
#include "analyzer/identity/judgements.h"
#include "analyzer/identity/name_forms.h"
#include "analyzer/identity/resolver.h"
#include "analyzer/identity/string_similarity.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"

using twinscan::diag::Diagnostics;
using twinscan::diag::SourceText;
using twinscan::identity::Candidate;
using twinscan::identity::IdentityClusters;
using twinscan::identity::Judgement;
using twinscan::identity::NameFolder;
using twinscan::identity::ResolveOptions;
using twinscan::identity::Script;
using twinscan::model::Graph;
namespace identity = twinscan::identity;

namespace {

const std::string kMap = std::string(TWINSCAN_SOURCE_DIR) + "/tests/data/national-map";

std::shared_ptr<const Graph> load_path(const std::string& path) {
  Diagnostics diagnostics;
  bool missing = false;
  twinscan::io::RegistryLoader loader(twinscan::io::load_schema({}, diagnostics, missing),
                                      diagnostics);
  loader.add_path(path);
  auto graph = loader.finish();
  REQUIRE(graph);
  return graph;
}

std::shared_ptr<const Graph> load_text(const std::string& text) {
  Diagnostics diagnostics;
  bool missing = false;
  twinscan::io::RegistryLoader loader(twinscan::io::load_schema({}, diagnostics, missing),
                                      diagnostics);
  loader.add_source(SourceText("test.json", text));
  auto graph = loader.finish();
  REQUIRE(graph);
  return graph;
}

const Graph& national_map() {
  static const auto graph = load_path(kMap + "/registry");
  return *graph;
}

using IdPair = std::pair<std::string, std::string>;

std::vector<IdPair> id_pairs(const Graph& g, const std::vector<Candidate>& candidates) {
  std::vector<IdPair> out;
  for (const auto& c : candidates) out.emplace_back(g.id(c.a), g.id(c.b));
  return out;
}

const Candidate* find(const Graph& g, const std::vector<Candidate>& candidates,
                      const std::string& a, const std::string& b) {
  for (const auto& c : candidates) {
    if ((g.id(c.a) == a && g.id(c.b) == b) || (g.id(c.a) == b && g.id(c.b) == a)) return &c;
  }
  return nullptr;
}

ResolveOptions at_least(double min_score) {
  ResolveOptions o;
  o.min_score = min_score;
  return o;
}

}  // namespace

TEST_CASE("name forms: names in other scripts are written in Latin letters", "[resolve]") {
  NameFolder folder;
  const auto freiburg = folder.fold("弗赖堡", false);
  CHECK(freiburg.script == Script::kHan);
  CHECK(freiburg.tokens == std::vector<std::string>{"fulaibao"});  // one word, not three
  const auto tel_aviv = folder.fold("Tel Aviv-Yafo", false);
  CHECK(tel_aviv.tokens == std::vector<std::string>{"tel", "aviv", "yafo"});
  CHECK(tel_aviv.joined == "telavivyafo");
  CHECK(folder.fold("Санкт-Петербург", true).tokens ==
        std::vector<std::string>{"sankt", "peterburg"});
  CHECK(folder.fold("Zürich", false).joined == "zurich");
  CHECK(folder.fold("Straße", false).joined == "strasse");
  const auto hebrew = folder.fold("אשדוד", true);
  CHECK(hebrew.script == Script::kHebrew);
  CHECK(hebrew.alias);
  // An abjad writes few vowels: the consonants meet those of the Latin spelling.
  CHECK(hebrew.skeleton == folder.fold("Ashdod", false).skeleton);
  CHECK(folder.fold("اصفهان", false).skeleton == folder.fold("Isfahan", false).skeleton);
  CHECK(folder.fold("תל אביב-יפו", false).skeleton == tel_aviv.skeleton);
  CHECK(folder.fold("--", false).tokens.empty());
}

TEST_CASE("jaro-winkler: equal, typo, transposition, unrelated", "[resolve]") {
  CHECK(identity::jaro_winkler("freiburg", "freiburg") == 1.0);
  CHECK(identity::jaro_winkler("freiburg", "frieburg") > 0.9);
  CHECK(identity::jaro_winkler("munchen", "muenchen") > 0.88);
  CHECK(identity::jaro_winkler("hamburg", "shanghai") < 0.7);
  CHECK(identity::jaro_winkler("", "x") == 0.0);
  CHECK(identity::jaro_winkler("martha", "marhta") == Approx(0.9611).epsilon(0.001));
}

TEST_CASE("resolve: cross-script names meet their Latin spellings", "[resolve]") {
  const Graph& g = national_map();
  const auto candidates = identity::resolve(g, ResolveOptions{});
  for (const auto& [a, b] : std::vector<IdPair>{{"city:shanghai", "cn:shanghai"},  // Chinese
                                                {"city:st-petersburg", "ru:spb"},  // Russian
                                                {"city:kyiv", "ua:kyiv"},          // Ukrainian
                                                {"city:tel-aviv", "il:tlv"},       // Hebrew
                                                {"city:isfahan", "ir:esfahan"},    // Persian
                                                {"mun:munich", "dst:002"},         // Latin
                                                {"mun:hamburg", "dst:001"},
                                                {"mun:hamburg", "cn:hanbao"}}) {
    INFO(a << " ~ " << b);
    const Candidate* c = find(g, candidates, a, b);
    REQUIRE(c);
    CHECK(c->score >= 0.6);
    CHECK(c->score <= 1.0);
    CHECK(g.id(c->a) == a);  // the one first in load order comes first
  }
  const Candidate* tlv = find(g, candidates, "city:tel-aviv", "il:tlv");
  CHECK(tlv->name.how == "consonants agree");
  CHECK(tlv->name.b == "תל אביב-יפו");
  CHECK(tlv->country_a == "IL");
  CHECK(tlv->country_b == "IL");
  REQUIRE(tlv->distance_km);
  CHECK(*tlv->distance_km < 1);
  REQUIRE(tlv->shared_neighbours.size() == 1);
  CHECK(g.id(tlv->shared_neighbours[0]) == "mun:freiburg");
  CHECK_FALSE(tlv->same_source);
  const Candidate* hamburg = find(g, candidates, "mun:hamburg", "cn:hanbao");
  CHECK(hamburg->name.b == "Hamburg");
  CHECK(hamburg->name.b_alias);
  CHECK_FALSE(hamburg->distance_km);
  for (const auto& c : candidates) CHECK(g.kind(c.a) == g.kind(c.b));
}

TEST_CASE("resolve: two Freiburgs are both candidates for 弗赖堡", "[resolve]") {
  const Graph& g = national_map();
  const auto candidates = identity::resolve(g, ResolveOptions{});
  const Candidate* breisgau = find(g, candidates, "mun:freiburg", "cn:fulaibao");
  const Candidate* elbe = find(g, candidates, "mun:freiburg-elbe", "cn:fulaibao");
  REQUIRE(breisgau);
  REQUIRE(elbe);
  // Ambiguity is shown, not guessed away: the evidence cannot tell them apart.
  CHECK(breisgau->score == elbe->score);
  CHECK(breisgau->name.b == "Freiburg");
  CHECK(breisgau->name.how == "words contained");
  // The register itself says they are two: one source, 650 km apart.
  const auto all = identity::resolve(g, at_least(0.0));
  const Candidate* both = find(g, all, "mun:freiburg", "mun:freiburg-elbe");
  REQUIRE(both);
  CHECK(both->same_source);
  CHECK(both->score < 0.2);
}

TEST_CASE("resolve: judged pairs are not offered again", "[resolve]") {
  const Graph& g = national_map();
  Diagnostics diagnostics;
  std::vector<Judgement> judgements;
  REQUIRE(identity::read_judgements(kMap + "/judgements.json", judgements, diagnostics) ==
          identity::JudgementsStatus::kOk);
  const auto clusters = IdentityClusters::build(
      judgements,
      [&g](std::string_view id) -> std::uint64_t {
        const auto v = g.find(id);
        return v ? *v : UINT64_MAX;
      },
      diagnostics);
  REQUIRE_FALSE(diagnostics.has_errors());
  CHECK(clusters.canonical("dst:001") == "mun:hamburg");
  ResolveOptions options = at_least(0.0);
  const auto before = identity::resolve(g, options);
  CHECK(find(g, before, "mun:hamburg", "dst:001"));
  CHECK(find(g, before, "mun:freiburg", "mun:freiburg-elbe"));
  CHECK(find(g, before, "dst:001", "cn:hanbao"));
  options.judged = &clusters;
  identity::ResolveStats stats;
  const auto after = identity::resolve(g, options, &stats);
  CHECK_FALSE(find(g, after, "mun:hamburg", "dst:001"));             // judged the same
  CHECK_FALSE(find(g, after, "mun:freiburg", "mun:freiburg-elbe"));  // judged different
  CHECK(stats.judged == 2);
  // Hamburg is one entity now: 汉堡 is offered once for it, by its best-matching id.
  CHECK(find(g, after, "mun:hamburg", "cn:hanbao"));
  CHECK_FALSE(find(g, after, "dst:001", "cn:hanbao"));
  CHECK(find(g, after, "mun:freiburg", "cn:fulaibao"));
  CHECK(find(g, after, "mun:freiburg-elbe", "cn:fulaibao"));
}

TEST_CASE("resolve: ranked by score, then by ids; --limit keeps the best", "[resolve]") {
  const Graph& g = national_map();
  const auto candidates = identity::resolve(g, at_least(0.0));
  REQUIRE(candidates.size() >= 3);
  for (std::size_t i = 1; i < candidates.size(); ++i) {
    const auto& x = candidates[i - 1];
    const auto& y = candidates[i];
    CHECK((x.score > y.score || (x.score == y.score && std::pair(g.id(x.a), g.id(x.b)) <
                                                           std::pair(g.id(y.a), g.id(y.b)))));
  }
  ResolveOptions limited = at_least(0.0);
  limited.limit = 2;
  const auto all = id_pairs(g, candidates);
  CHECK(id_pairs(g, identity::resolve(g, limited)) ==
        std::vector<IdPair>(all.begin(), all.begin() + 2));
  ResolveOptions strict = at_least(0.95);
  for (const auto& c : identity::resolve(g, strict)) CHECK(c.score >= 0.95);
}

TEST_CASE("resolve: evidence moves the score the documented way", "[resolve]") {
  using identity::combine_evidence;
  CHECK(combine_evidence(0.5, 0, std::nullopt, 0, false) == 0.5);
  CHECK(combine_evidence(0.5, 1, std::nullopt, 0, false) == Approx(0.55));
  CHECK(combine_evidence(0.5, -1, std::nullopt, 0, false) == Approx(0.2));
  CHECK(combine_evidence(0.5, 0, 5.0, 0, false) == Approx(0.75));
  CHECK(combine_evidence(0.5, 0, 30.0, 0, false) == Approx(0.625));
  CHECK(combine_evidence(0.5, 0, 100.0, 0, false) == 0.5);
  CHECK(combine_evidence(0.5, 0, 500.0, 0, false) == Approx(0.375));
  CHECK(combine_evidence(0.5, 0, 5000.0, 0, false) == Approx(0.25));
  CHECK(combine_evidence(0.5, 0, std::nullopt, 2, false) == Approx(0.82));
  CHECK(combine_evidence(0.5, 0, std::nullopt, 0, true) == Approx(0.35));
  CHECK(combine_evidence(1.0, 1, 1.0, 5, false) == 1.0);
  // Neighbours back a likeness of names in proportion to it: two ministries of one country
  // notified of the same three agreements, whose names share only "Ministry of", stay
  // below the default threshold (they scored 0.82 when neighbours counted alone).
  CHECK(combine_evidence(0.05, 1, std::nullopt, 3, false) < 0.3);
  CHECK(combine_evidence(0.25, 1, std::nullopt, 3, false) == Approx(1 - 0.675 * 0.8 * 0.8 * 0.8));
  CHECK(combine_evidence(0.5, 1, std::nullopt, 3, false) > 0.9);
}

TEST_CASE("blocking: a hub word does not make the pairs explode", "[resolve]") {
  // 120 municipalities whose names share "city of" and nothing else, and one misspelt twin.
  std::string text = R"({"format": "twinscan/1", "entities": [)";
  for (int i = 0; i < 120; ++i) {
    std::string word;
    for (int k = i; k > 0 || word.empty(); k /= 20) word += static_cast<char>('b' + k % 20);
    text += R"({"id": "m)" + std::to_string(i) +
            R"(", "kind": "Municipality", "name": "City of Q)" + word + word + R"(x"},)";
  }
  text += R"({"id": "twin", "kind": "Municipality", "name": "City of Qbcbcxx"}], "relations": []})";
  const auto g = load_text(text);
  const auto forms = identity::entity_name_forms(*g);
  const identity::TokenWeights weights(*g, forms);
  identity::BlockingStats stats;
  const auto pairs = identity::candidate_pairs(*g, forms, weights, {}, &stats);
  CHECK(stats.skipped_blocks >= 2);  // "city" and "of"
  CHECK(pairs.size() < 121 * 120 / 2 / 10);
  const auto m20 = *g->find("m20");  // "City of Qbcbcx", which "twin" misspells
  const auto twin = *g->find("twin");
  CHECK(std::find(pairs.begin(), pairs.end(), std::pair(m20, twin)) != pairs.end());
}

TEST_CASE("resolve: a typo, swapped words and dropped accents still meet", "[resolve]") {
  const auto g = load_text(R"({"format": "twinscan/1", "entities": [
    {"id": "a1", "kind": "Firm", "name": "Société Générale de Transports Maritimes"},
    {"id": "b1", "kind": "Firm", "name": "Generale Societe de Transprots Maritimes"},
    {"id": "a2", "kind": "Person", "name": "Ronit Katz"},
    {"id": "b2", "kind": "Organization", "name": "Ronit Katz"}
  ], "relations": []})");
  const auto candidates = identity::resolve(*g, ResolveOptions{});
  REQUIRE(candidates.size() == 1);  // a person and an organization are never a pair
  CHECK(g->id(candidates[0].a) == "a1");
  CHECK(candidates[0].name.how == "similar words");
  CHECK(candidates[0].score > 0.6);
}
