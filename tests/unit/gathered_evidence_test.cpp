// A finding built from the evidence its search gathered (GatheredEvidence) equals the
// finding the evidence search builds (FindingsBuilder::build(bound)): the same message,
// entities, relations and fingerprint. Checked for every binding set of every bundled rule
// on both generator profiles, with the search on one thread and split over three, and on
// a hand-made registry whose sets have several matches each, symmetric matches and a
// message that reads more than the bindings, and a walk matched once per far end whose
// paths the finding lists from its ends.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analyzer/gen/registry_generator.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/rules/home_country.h"
#include "analyzer/rules/rule_reader.h"
#include "analyzer/rules/rule_runner.h"
#include "analyzer/rules/shared_params.h"
#include "analyzer/rules/work_board.h"

namespace {

using namespace twinscan;
namespace fs = std::filesystem;

const std::string kRoot = TWINSCAN_SOURCE_DIR;

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("twinscan-gathered-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::shared_ptr<const model::Graph> load(const fs::path& dir) {
  diag::Diagnostics d;
  bool missing = false;
  auto schema = io::load_schema({}, d, missing);
  REQUIRE(schema);
  io::RegistryLoader loader(schema, d);
  loader.add_path(dir.string());
  auto graph = loader.finish();
  REQUIRE(graph);
  return graph;
}

std::shared_ptr<const model::Graph> generated(const fs::path& dir, gen::Profile profile) {
  gen::GeneratorOptions options;
  options.seed = 11;
  options.entities = 12'000;
  options.profile = profile;
  gen::generate_registry(options, dir.string());
  return load(dir);
}

std::vector<rules::Rule> rules_in(const std::string& path) {
  diag::Diagnostics d;
  bool missing = false;
  auto rules = rules::load_rules({path}, d, missing);
  REQUIRE_FALSE(d.has_errors());
  return rules;
}

rules::ScanOptions options_for(const model::Graph& graph) {
  rules::ScanOptions o;
  o.as_of = *model::parse_date("2026-11-22");
  const rules::HomeCountry home = rules::resolve_home_country(graph, {});
  o.params[std::string(rules::kHomeCountryParam)] = query::Value::of_string(home.code);
  return o;
}

struct Tally {
  std::size_t gathered = 0;  ///< Sets built from gathered evidence.
  std::size_t searched = 0;  ///< Sets whose evidence had to be searched for.
};

// Builds every set `runner` found both ways and requires the same finding.
void require_gathered_equals_searched(const model::Graph& graph, const rules::Rule& rule,
                                      const rules::ScanOptions& options,
                                      const rules::RuleRunner& runner, Tally& tally) {
  rules::FindingsBuilder builder(graph, rule, runner.evidence_form(),
                                 query::FunctionContext{graph, options.as_of}, {});
  const rules::FoundSets& sets = runner.found_sets();
  for (std::size_t i = 0; i < sets.size(); ++i) {
    const rules::FoundSet& set = sets[i];
    if (!set.evidence.complete) {
      ++tally.searched;
      continue;
    }
    ++tally.gathered;
    const rules::Finding from_search =
        builder.build(set.bound, set.evidence, runner.evidence_plan().end_walks);
    const rules::Finding searched = builder.build(set.bound);
    INFO(rule.id << ": " << searched.message);
    REQUIRE(from_search.message == searched.message);
    REQUIRE(from_search.bindings == searched.bindings);
    REQUIRE(from_search.entities == searched.entities);
    REQUIRE(from_search.relations == searched.relations);
    REQUIRE(from_search.fingerprint == searched.fingerprint);
  }
}

}  // namespace

TEST_CASE("findings built from the evidence the search gathered equal searched ones",
          "[scan][evidence]") {
  const auto rules = rules_in(kRoot + "/rules");
  for (const gen::Profile profile : {gen::Profile::kNational, gen::Profile::kDense}) {
    TempDir dir;
    const auto graph = generated(dir.path, profile);
    const rules::ScanOptions options = options_for(*graph);
    Tally one_thread, split;
    std::size_t rules_gathering = 0;
    for (const auto& rule : rules) {
      diag::Diagnostics d;
      rules::RuleRunner runner(*graph, rule, options, d);
      REQUIRE(runner.compile());
      if (!runner.main().cannot_judge.empty()) continue;
      if (runner.evidence_plan().gathers) ++rules_gathering;
      runner.search_all(nullptr);
      require_gathered_equals_searched(*graph, rule, options, runner, one_thread);

      rules::WorkBoard board;
      rules::HelperThreads helpers(board, 2);
      rules::RuleRunner chunked(*graph, rule, options, d);
      REQUIRE(chunked.compile());
      chunked.search_all(&board);
      require_gathered_equals_searched(*graph, rule, options, chunked, split);
    }
    INFO("profile " << static_cast<int>(profile) << ": " << rules_gathering << " rules gather, "
                    << one_thread.gathered << " sets built from the search, " << one_thread.searched
                    << " searched");
    // Most rules read their bindings only; the ownership rules that walk once per far end
    // search for their evidence.
    CHECK(rules_gathering >= 15);
    CHECK(one_thread.gathered >= 1000);
    CHECK(split.gathered == one_thread.gathered);
    CHECK(split.searched == one_thread.searched);
  }
}

TEST_CASE("sets of several matches, symmetric matches and messages beyond the bindings",
          "[scan][evidence]") {
  TempDir dir;
  fs::create_directories(dir.path / "registry");
  fs::create_directories(dir.path / "rules");
  std::ofstream(dir.path / "registry" / "r.json") << R"({"format": "twinscan/1",
  "entities": [
    {"id": "mun:a", "kind": "Municipality", "name": "Alpha", "country": "IL"},
    {"id": "mun:b", "kind": "Municipality", "name": "Beta", "country": "IL"},
    {"id": "city:x", "kind": "ForeignCity", "name": "Xi", "country": "CN"},
    {"id": "city:y", "kind": "ForeignCity", "name": "Yu", "country": "CN"},
    {"id": "city:z", "kind": "ForeignCity", "name": "Zed", "country": "RU"},
    {"id": "agr:1", "kind": "Agreement", "name": "First"},
    {"id": "agr:2", "kind": "Agreement", "name": "Second"},
    {"id": "agr:3", "kind": "Agreement", "name": "Third"},
    {"id": "firm:a", "kind": "Firm", "name": "Acme", "country": "IL"},
    {"id": "firm:b", "kind": "Firm", "name": "Bolt", "country": "IL"},
    {"id": "firm:c", "kind": "Firm", "name": "Crane", "country": "IL"},
    {"id": "gov:g", "kind": "ForeignGovernment", "name": "Ministry", "country": "CN"}
  ],
  "relations": [
    {"kind": "PARTY_TO", "from": "mun:a", "to": "agr:1"},
    {"kind": "PARTY_TO", "from": "city:x", "to": "agr:1"},
    {"kind": "PARTY_TO", "from": "mun:a", "to": "agr:2"},
    {"kind": "PARTY_TO", "from": "city:x", "to": "agr:2"},
    {"kind": "PARTY_TO", "from": "mun:b", "to": "agr:3"},
    {"kind": "PARTY_TO", "from": "city:y", "to": "agr:3"},
    {"kind": "TWINNED_WITH", "from": "city:x", "to": "city:y"},
    {"kind": "TWINNED_WITH", "from": "city:z", "to": "city:y"},
    {"kind": "OWNED_BY", "from": "firm:a", "to": "firm:b", "share": 0.5},
    {"kind": "OWNED_BY", "from": "firm:a", "to": "firm:c", "share": 0.3},
    {"kind": "OWNED_BY", "from": "firm:b", "to": "gov:g", "share": 1.0},
    {"kind": "OWNED_BY", "from": "firm:c", "to": "gov:g", "share": 1.0},
    {"kind": "OWNED_BY", "from": "firm:a", "to": "gov:g", "share": 0.2}
  ]})";
  auto rule_file = [&](const std::string& id, const std::string& match,
                       const std::string& message) {
    std::ofstream(dir.path / "rules" / (id + ".json"))
        << R"({"format": "twinscan-rule/1", "id": ")" << id
        << R"(", "title": "t", "category": "linkage", "severity": "low", "precision": "low",
  "rationale": "r", "references": ["a test"], "match": [")"
        << match << R"("], "message": ")" << message
        << R"(", "tests": [{"registry": "bad.json", "expect": []},
                           {"registry": "good.json", "expect": []}]})";
  };
  // Two agreements join Alpha and Xi: one set, two matches, both agreements in evidence.
  rule_file("several-matches",
            "MATCH q = (m:Municipality)-[:PARTY_TO]->(:Agreement)<-[:PARTY_TO]-(c:ForeignCity)",
            "{m.name} and {c.name}");
  // Each tie between two foreign cities matches in both directions.
  rule_file("symmetric", "MATCH (a:ForeignCity)-[t:TWINNED_WITH]-(b:ForeignCity)",
            "{a.name} twinned with {b.name} ({t.kind})");
  // The message reads the path, which the bindings do not hold.
  rule_file("message-reads-path",
            "MATCH q = (m:Municipality)-[:PARTY_TO]->(:Agreement)<-[:PARTY_TO]-(c:ForeignCity)",
            "{m.name} and {c.name} in {length(q)} steps");
  // Acme is held by the ministry directly and through Bolt and through Crane: three walks,
  // which the search matches once (once per far end) and the finding lists all of.
  rule_file("walk-once-per-far-end", "MATCH (f:Firm)-[:OWNED_BY*1..4]->(g:ForeignGovernment)",
            "{f.name} owned by {g.name}");
  const auto graph = load(dir.path / "registry");
  const auto rules = rules_in((dir.path / "rules").string());
  REQUIRE(rules.size() == 4);
  const rules::ScanOptions options = options_for(*graph);
  for (const auto& rule : rules) {
    INFO(rule.id);
    diag::Diagnostics d;
    rules::RuleRunner runner(*graph, rule, options, d);
    REQUIRE(runner.compile());
    runner.search_all(nullptr);
    Tally tally;
    require_gathered_equals_searched(*graph, rule, options, runner, tally);
    const auto findings = runner.findings(1U);
    if (rule.id == "several-matches") {
      CHECK(runner.evidence_plan().gathers);
      CHECK(tally.gathered == 2);
      CHECK(tally.searched == 0);
      REQUIRE(findings.size() == 2);
      // Alpha–Xi: Alpha, Xi and both agreements; four PARTY_TO relations.
      const auto& alpha = findings[0].message == "Alpha and Xi" ? findings[0] : findings[1];
      CHECK(alpha.message == "Alpha and Xi");
      CHECK(alpha.entities.size() == 4);
      CHECK(alpha.relations.size() == 4);
    } else if (rule.id == "symmetric") {
      CHECK(runner.evidence_plan().gathers);
      // Both ties were found both ways round: their evidence is searched for.
      CHECK(tally.gathered == 0);
      CHECK(tally.searched == 2);
      REQUIRE(findings.size() == 2);
      for (const auto& f : findings) {
        CHECK(f.entities.size() == 2);
        CHECK(f.relations.size() == 1);
      }
    } else if (rule.id == "walk-once-per-far-end") {
      CHECK(runner.evidence_plan().gathers);
      CHECK(runner.evidence_plan().end_walks.size() == 1);
      CHECK(tally.gathered == 3);
      REQUIRE(findings.size() == 3);
      std::size_t acme = 0;
      for (const auto& f : findings) {
        if (f.message != "Acme owned by Ministry") continue;
        ++acme;
        CHECK(f.entities.size() == 4);   // Acme, Bolt, Crane, the ministry
        CHECK(f.relations.size() == 5);  // every holding on the three walks
      }
      CHECK(acme == 1);
    } else {
      CHECK_FALSE(runner.evidence_plan().gathers);
      CHECK(tally.gathered == 0);
      REQUIRE(findings.size() == 2);
      CHECK((findings[0].message == "Alpha and Xi in 2 steps" ||
             findings[1].message == "Alpha and Xi in 2 steps"));
    }
  }
}

TEST_CASE("gathered evidence gives up beyond the matches a finding lists", "[scan][evidence]") {
  rules::GatheredEvidence e;
  rules::GatheredEvidence other;
  other.matches = rules::FindingsBuilder::kMaxEvidenceMatches;
  other.entities = {3, 1, 2};
  e.matches = 1;
  e.entities = {5};
  e.merge(std::move(other));
  CHECK_FALSE(e.complete);
  CHECK(e.entities.empty());

  rules::GatheredEvidence a, b;
  a.matches = 2;
  a.entities = {7, 3};
  a.relations = {9};
  b.matches = 3;
  b.entities = {3, 1};
  b.relations = {9, 4};
  a.merge(std::move(b));
  CHECK(a.complete);
  CHECK(a.matches == 5);
  CHECK(a.entities == std::vector<model::VertexId>{1, 3, 7});
  CHECK(a.relations == std::vector<model::RelationId>{4, 9});
}

TEST_CASE("the walks of a finding in cross-holdings are listed from the end with fewer",
          "[scan][evidence]") {
  // Forty firms that all hold 1% of each other, and a government that holds 62% of one of
  // them, which bids on a port. From that firm, the simple paths through the others number 39^9;
  // from the government there is one relation to follow.
  TempDir dir;
  std::string json = R"({"format": "twinscan/1", "entities": [
    {"id": "gov:g", "kind": "ForeignGovernment", "name": "Ministry", "country": "CN"},
    {"id": "proj:p", "kind": "Project", "name": "Port", "sector": "port"})";
  constexpr int kFirms = 40;
  for (int i = 0; i < kFirms; ++i) {
    json += ",\n{\"id\": \"firm:" + std::to_string(i) +
            "\", \"kind\": \"Firm\", \"name\": \"Firm " + std::to_string(i) +
            "\", \"country\": \"CN\"}";
  }
  json += R"(], "relations": [
    {"kind": "OWNED_BY", "from": "firm:0", "to": "gov:g", "share": 0.62},
    {"kind": "BIDDER_ON", "from": "firm:0", "to": "proj:p"})";
  for (int i = 0; i < kFirms; ++i) {
    for (int j = 0; j < kFirms; ++j) {
      if (i == j) continue;
      json += ",\n{\"kind\": \"OWNED_BY\", \"from\": \"firm:" + std::to_string(i) +
              "\", \"to\": \"firm:" + std::to_string(j) + "\", \"share\": 0.01}";
    }
  }
  json += "]}";
  std::ofstream(dir.path / "r.json") << json;
  const auto graph = load(dir.path);
  const auto rules = rules_in(kRoot + "/rules/foreign-government-control");
  REQUIRE(rules.size() == 1);
  rules::ScanOptions options = options_for(*graph);
  // Far fewer relations than the paths out of firm:0 would take to follow.
  options.limits.max_expansions = 5'000'000;
  diag::Diagnostics d;
  rules::RuleRunner runner(*graph, rules[0], options, d);
  REQUIRE(runner.compile());
  REQUIRE(runner.evidence_plan().end_walks.size() == 1);
  runner.search_all(nullptr);
  const auto findings = runner.findings(1U);
  std::size_t controlled = 0;
  for (const auto& f : findings) {
    CHECK_FALSE(f.incomplete);
    if (f.bindings ==
        std::vector<std::pair<std::string, std::string>>{{"f", "firm:0"}, {"g", "gov:g"}}) {
      ++controlled;
      CHECK(f.relations.size() == 1);
      CHECK(f.entities.size() == 2);
    }
  }
  CHECK(controlled == 1);
}
