// A rule's search for findings matches each far end of an unread walk once (breadth
// first), while the gathering of evidence enumerates every path: both must find the
// same binding sets, on a generated registry large enough for the planner to sample.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "analyzer/gen/registry_generator.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/query/executor.h"
#include "analyzer/rules/compiled_rule.h"
#include "analyzer/rules/rule_reader.h"

namespace {

using namespace twinscan;
namespace fs = std::filesystem;

const std::string kRoot = TWINSCAN_SOURCE_DIR;

// The sets of (variable, id) bindings of every match of `compiled`.
std::set<std::vector<std::string>> binding_sets(const model::Graph& graph,
                                                const rules::CompiledRule& compiled) {
  std::set<std::vector<std::string>> out;
  query::Executor executor(graph, compiled.query,
                           query::FunctionContext{graph, *model::parse_date("2026-11-22")});
  executor.match([&](const std::vector<query::Value>& frame) {
    std::vector<std::string> row;
    for (const auto& [name, slot] : compiled.bindings) {
      const query::Value& v = frame[slot];
      std::string id;
      if (v.type == query::Type::kNode) id = graph.id(v.node);
      if (v.type == query::Type::kRelation) id = graph.relation_id(v.relation);
      row.push_back(name + "=" + id);
    }
    out.insert(std::move(row));
    return true;
  });
  return out;
}

bool reads_ends_only(const query::SubPlan& plan) {
  return std::any_of(plan.edges.begin(), plan.edges.end(),
                     [](const query::PatternEdge& e) { return e.endpoints_only; });
}

}  // namespace

TEST_CASE("rules find the same binding sets by reach as by every path", "[rules][scan]") {
  const fs::path dir =
      fs::temp_directory_path() / ("twinscan-rule-search-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  gen::GeneratorOptions options;
  options.seed = 3;
  options.entities = 20'000;
  gen::generate_registry(options, dir.string());

  diag::Diagnostics d;
  bool missing = false;
  io::RegistryLoader loader(io::load_schema({}, d, missing), d);
  loader.add_path(dir.string());
  const auto graph = loader.finish();
  fs::remove_all(dir);
  if (!graph) {
    std::ostringstream out;
    d.print(out);
    FAIL(out.str());
  }
  const auto rules = rules::load_rules({kRoot + "/rules"}, d, missing);
  REQUIRE_FALSE(d.has_errors());

  int by_reach = 0;
  std::size_t findings = 0;
  for (const auto& rule : rules) {
    INFO(rule.id);
    auto search = rules::compile_rule(rule, *graph, {}, d);
    auto evidence =
        rules::compile_rule(rule, *graph, {}, d, {}, rules::RuleQueryUse::kGatherEvidence);
    REQUIRE(search);
    REQUIRE(evidence);
    CHECK_FALSE(reads_ends_only(evidence->query.plan));
    if (reads_ends_only(search->query.plan)) ++by_reach;
    const auto found = binding_sets(*graph, *search);
    CHECK(found == binding_sets(*graph, *evidence));
    findings += found.size();
  }
  // The comparison means something only if some rules search by reach and find much.
  CHECK(by_reach >= 1);
  CHECK(findings > 1000);
}
