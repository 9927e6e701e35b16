// A rule's findings built on several threads (RuleRunner::findings with threads > 1:
// runs of consecutive binding sets, each with its own evidence executor) equal the
// findings one thread builds, field by field and in the same order, and a whole scan
// on 1 job equals one on 3 jobs. The registry is the generator's dense profile, whose
// hubs and ownership chains give the ownership rules thousands of binding sets.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "analyzer/gen/registry_generator.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/rules/home_country.h"
#include "analyzer/rules/rule_reader.h"
#include "analyzer/rules/rule_runner.h"
#include "analyzer/rules/scanner.h"
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
           ("twinscan-partition-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::remove_all(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::shared_ptr<const model::Graph> dense_graph(const fs::path& dir) {
  gen::GeneratorOptions options;
  options.seed = 5;
  options.entities = 20'000;
  options.profile = gen::Profile::kDense;
  gen::generate_registry(options, dir.string());
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

std::vector<rules::Rule> bundled_rules() {
  diag::Diagnostics d;
  bool missing = false;
  auto rules = rules::load_rules({kRoot + "/rules"}, d, missing);
  REQUIRE_FALSE(d.has_errors());
  return rules;
}

rules::ScanOptions options_with(unsigned jobs, const model::Graph& graph) {
  rules::ScanOptions o;
  o.as_of = *model::parse_date("2026-11-22");
  o.jobs = jobs;
  const rules::HomeCountry home = rules::resolve_home_country(graph, {});
  o.params[std::string(rules::kHomeCountryParam)] = query::Value::of_string(home.code);
  return o;
}

void require_same(const rules::FindingList& a, const rules::FindingList& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("finding " << i << ": " << a[i].fingerprint << " / " << b[i].fingerprint);
    CHECK(a[i].fingerprint == b[i].fingerprint);
    CHECK(a[i].message == b[i].message);
    CHECK(a[i].bindings == b[i].bindings);
    CHECK(a[i].entities == b[i].entities);
    CHECK(a[i].relations == b[i].relations);
    CHECK(a[i].severity == b[i].severity);
    CHECK(a[i].incomplete == b[i].incomplete);
  }
}

}  // namespace

TEST_CASE("a rule's findings built on several threads equal those built on one, in order",
          "[scan][partition]") {
  TempDir dir;
  const auto graph = dense_graph(dir.path);
  const auto rules = bundled_rules();
  const rules::ScanOptions options = options_with(1, *graph);
  std::size_t checked = 0;
  for (const char* id : {"foreign-government-control", "foreign-state-party-in-sensitive-project",
                         "partner-city-under-central-government"}) {
    const rules::Rule* rule = nullptr;
    for (const auto& r : rules) {
      if (r.id == id) rule = &r;
    }
    REQUIRE(rule != nullptr);
    auto run = [&](unsigned threads) {
      diag::Diagnostics d;
      rules::RuleRunner runner(*graph, *rule, options, d);
      REQUIRE(runner.compile());
      runner.search([&] { runner.collect(runner.main(), {}); });
      return runner.findings(threads);
    };
    const auto one = run(1);
    INFO(id << ": " << one.size() << " findings");
    // Enough binding sets that the threads are used.
    REQUIRE(one.size() >= rules::RuleRunner::kParallelFindings);
    require_same(one, run(2));
    require_same(one, run(3));
    ++checked;
  }
  CHECK(checked == 3);
}

TEST_CASE("a scan on 3 jobs equals one on 1 job on the dense profile", "[scan][partition]") {
  TempDir dir;
  const auto graph = dense_graph(dir.path);
  const auto rules = bundled_rules();
  diag::Diagnostics d1, d3;
  const auto one = rules::scan(*graph, rules, options_with(1, *graph), d1);
  const auto three = rules::scan(*graph, rules, options_with(3, *graph), d3);
  REQUIRE(one.findings.size() > 5000);
  require_same(one.findings, three.findings);
}

TEST_CASE("a rule's search split over its start candidates finds what one search finds",
          "[scan][partition]") {
  TempDir dir;
  const auto graph = dense_graph(dir.path);
  const auto rules = bundled_rules();
  const rules::ScanOptions options = options_with(1, *graph);
  std::size_t split = 0;
  for (const auto& rule : rules) {
    INFO(rule.id);
    diag::Diagnostics d1, d2;
    rules::RuleRunner one(*graph, rule, options, d1);
    REQUIRE(one.compile());
    if (!one.main().cannot_judge.empty()) continue;
    one.search_all(nullptr);
    CHECK_FALSE(one.split());
    const auto unsplit = one.findings(1U);

    rules::WorkBoard board;
    rules::HelperThreads helpers(board, 2);
    rules::RuleRunner chunked(*graph, rule, options, d2);
    REQUIRE(chunked.compile());
    chunked.search_all(&board);
    if (chunked.split()) ++split;
    require_same(unsplit, chunked.findings(&board));
  }
  // Rules that start with a scan of entities (the ownership rules among them) split.
  CHECK(split >= 3);
}

TEST_CASE("a split search that meets the walk budget stops where one search stops",
          "[scan][partition]") {
  TempDir dir;
  const auto graph = dense_graph(dir.path);
  const auto rules = bundled_rules();
  rules::ScanOptions options = options_with(1, *graph);
  const rules::Rule* rule = nullptr;
  for (const auto& r : rules) {
    if (r.id == "foreign-government-control") rule = &r;
  }
  REQUIRE(rule != nullptr);
  for (const std::uint64_t budget : {2'000ULL, 200'000ULL, 2'000'000ULL}) {
    INFO("budget " << budget);
    options.limits.max_expansions = budget;
    diag::Diagnostics d1, d2;
    rules::RuleRunner one(*graph, *rule, options, d1);
    REQUIRE(one.compile());
    one.search_all(nullptr);
    const auto unsplit = one.findings(1U);
    rules::WorkBoard board;
    rules::HelperThreads helpers(board, 2);
    rules::RuleRunner chunked(*graph, *rule, options, d2);
    REQUIRE(chunked.compile());
    chunked.search_all(&board);
    const auto split = chunked.findings(&board);
    REQUIRE_FALSE(split.empty());
    CHECK(split.back().incomplete == unsplit.back().incomplete);
    require_same(unsplit, split);
  }
}

TEST_CASE("a scan that keeps each reach for every rule reports what one keeping none does",
          "[scan][partition][reach]") {
  TempDir dir;
  const auto graph = dense_graph(dir.path);
  const auto rules = bundled_rules();
  auto scan_keeping = [&](unsigned jobs, std::size_t capacity, std::uint64_t max_expansions) {
    rules::ScanOptions options = options_with(jobs, *graph);
    options.reaches = std::make_shared<query::ReachCache>(graph->entity_count(), capacity);
    options.limits.max_expansions = max_expansions;
    diag::Diagnostics d;
    auto result = rules::scan(*graph, rules, options, d);
    REQUIRE(result.ok);
    return result.findings;
  };
  const std::uint64_t unlimited = query::ExecutionLimits{}.max_expansions;
  const auto keeping_none = scan_keeping(1, 0, unlimited);
  REQUIRE(keeping_none.size() > 5000);
  SECTION("every reach kept, on one job and on three") {
    require_same(keeping_none, scan_keeping(1, query::ReachCache::kDefaultCapacity, unlimited));
    require_same(keeping_none, scan_keeping(3, query::ReachCache::kDefaultCapacity, unlimited));
  }
  SECTION("room for a few reaches only") {
    require_same(keeping_none, scan_keeping(1, 2'000, unlimited));
    require_same(keeping_none, scan_keeping(3, 2'000, unlimited));
  }
  SECTION("a reach found again counts against a rule's budget as though walked") {
    // foreign-government-influence walks the ownership reaches foreign-government-control
    // walked before it. The least budget it needs keeping none is the least it needs
    // with the reaches kept: one less, and it stops either way.
    std::vector<rules::Rule> two;
    for (const auto& r : rules) {
      if (r.id == "foreign-government-control" || r.id == "foreign-government-influence") {
        two.push_back(r);
      }
    }
    REQUIRE(two.size() == 2);
    auto influence_stops = [&](std::size_t capacity, std::uint64_t budget) {
      rules::ScanOptions options = options_with(1, *graph);
      options.reaches = std::make_shared<query::ReachCache>(graph->entity_count(), capacity);
      options.limits.max_expansions = budget;
      diag::Diagnostics d;
      const auto result = rules::scan(*graph, two, options, d);
      return std::any_of(result.findings.begin(), result.findings.end(), [](const auto& f) {
        return f.rule->id == "foreign-government-influence" && f.incomplete;
      });
    };
    std::uint64_t stops = 1, completes = 1'000'000'000;
    REQUIRE(influence_stops(0, stops));
    REQUIRE_FALSE(influence_stops(0, completes));
    while (completes - stops > 1) {
      const std::uint64_t mid = stops + (completes - stops) / 2;
      (influence_stops(0, mid) ? stops : completes) = mid;
    }
    INFO("least budget: " << completes);
    CHECK(influence_stops(query::ReachCache::kDefaultCapacity, stops));
    CHECK_FALSE(influence_stops(query::ReachCache::kDefaultCapacity, completes));
  }
}
