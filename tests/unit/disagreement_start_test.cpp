// A search for disagreements between sources starts at the entities (or the ends of the
// relations) the graph lists as disagreeing, rather than at every entity: the same rows
// as the scan, for entities and relations, either direction, with kinds and ignored keys.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/query/planner.h"
#include "analyzer/query/projection.h"
#include "analyzer/query/query_engine.h"

namespace {

using namespace twinscan;

// Two sources: they disagree on a firm's country, on one ownership's share (both ways
// round the firm), on another's notes only, and on a government's country; the rest agree.
constexpr const char* kFirst = R"({"format": "twinscan/1", "source": {"id": "corp"},
  "entities": [
    {"id": "firm:x", "kind": "Firm", "name": "X", "country": "CN"},
    {"id": "firm:y", "kind": "Firm", "name": "Y", "country": "CN"},
    {"id": "firm:p", "kind": "Firm", "name": "P"},
    {"id": "gov:cn", "kind": "ForeignGovernment", "name": "State", "country": "CN"},
    {"id": "prj:a", "kind": "Project", "name": "Port A"}],
  "relations": [
    {"kind": "OWNED_BY", "from": "firm:x", "to": "firm:p", "share": 0.3},
    {"kind": "OWNED_BY", "from": "firm:p", "to": "gov:cn", "share": 0.6},
    {"kind": "OWNED_BY", "from": "firm:y", "to": "firm:p", "share": 0.2, "notes": "filing"},
    {"kind": "CONTRACTOR_OF", "from": "firm:y", "to": "prj:a"}]})";
constexpr const char* kSecond = R"({"format": "twinscan/1", "source": {"id": "press"},
  "entities": [
    {"id": "firm:x", "kind": "Firm", "country": "HK"},
    {"id": "gov:cn", "kind": "ForeignGovernment", "country": "TW"}],
  "relations": [
    {"kind": "OWNED_BY", "from": "firm:x", "to": "firm:p", "share": 0.45},
    {"kind": "OWNED_BY", "from": "firm:y", "to": "firm:p", "share": 0.2, "notes": "press"},
    {"kind": "CONTRACTOR_OF", "from": "firm:y", "to": "prj:a"}]})";

std::shared_ptr<const model::Graph> load(std::vector<const char*> documents) {
  diag::Diagnostics diagnostics;
  bool missing = false;
  auto schema = io::load_schema({}, diagnostics, missing);
  REQUIRE(schema);
  io::RegistryLoader loader(schema, diagnostics);
  int n = 0;
  for (const char* text : documents) {
    loader.add_source(diag::SourceText("source" + std::to_string(n++) + ".json", text));
  }
  auto graph = loader.finish();
  REQUIRE(graph);
  return graph;
}

struct Run {
  std::vector<std::string> rows;  // sorted
  std::vector<std::string> in_order;
  std::string plan;
};

Run run(const model::Graph& graph, const std::string& text) {
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled = query::prepare_query(text, graph, {}, options, messages);
  REQUIRE(compiled);
  Run out;
  out.plan = query::explain_query(*compiled, graph, text);
  const auto table = query::run_query(graph, *compiled, {graph, {2026, 11, 22}});
  for (const auto& values : table.rows) {
    std::string line;
    for (const auto& v : values) line += query::to_display(graph, v) + " | ";
    out.rows.push_back(line);
  }
  out.in_order = out.rows;
  std::sort(out.rows.begin(), out.rows.end());
  return out;
}

}  // namespace

TEST_CASE("A search for disagreements starts at those listed and finds what a scan finds",
          "[query]") {
  const auto graph = load({kFirst, kSecond});
  REQUIRE(graph->disagreement_count(false) == 2);  // the firm's, the government's country
  REQUIRE(graph->disagreement_count(true) == 2);   // a share, and notes
  // Each condition written as the planner reads it, and written so that it cannot (the
  // same truth: NOT of a null is null, as > 0 of a null is).
  // (Where a kind has fewer entities than the list, the planner scans the kind.)
  struct Pattern {
    std::string match, subject, returned;
    bool starts_at_list = true;
  };
  const std::vector<Pattern> patterns = {
      {"MATCH (e)", "e", "e"},
      {"MATCH (e:Firm)", "e", "e"},
      {"MATCH ()-[r]->()", "r", "r"},
      {"MATCH (a)<-[r]-(b)", "r", "a, r, b"},
      {"MATCH (a)-[r]-(b)", "r", "a, r, b"},
      {"MATCH (a:Firm)-[r:OWNED_BY]->(b:Firm)", "r", "a, r, b", false},
      {"MATCH (a:ForeignGovernment)<-[r]-(b)", "r", "a, r, b", false},
  };
  for (const auto& [pattern, subject, returned, starts_at_list] : patterns) {
    for (const std::string ignored : {"[]", "['notes']", "['share', 'notes']"}) {
      const std::string condition = "size(disagreements(" + subject + ", " + ignored + "))";
      const std::string listed = pattern + " WHERE " + condition + " > 0 RETURN " + returned;
      const std::string scanned = pattern + " WHERE NOT " + condition + " = 0 RETURN " + returned;
      INFO(listed);
      const Run a = run(*graph, listed);
      const Run b = run(*graph, scanned);
      CHECK((a.plan.find("[disagreements]") != std::string::npos) == starts_at_list);
      CHECK(b.plan.find("[disagreements]") == std::string::npos);
      CHECK(a.rows == b.rows);
    }
  }
  // What is found, by name.
  CHECK(run(*graph, "MATCH (e) WHERE size(disagreements(e)) >= 1 RETURN e.id").rows ==
        std::vector<std::string>{"firm:x | ", "gov:cn | "});
  CHECK(run(*graph,
            "MATCH (a)-[r]->(b) WHERE size(disagreements(r, ['notes'])) > 0 RETURN a.id, b.id")
            .rows == std::vector<std::string>{"firm:x | firm:p | "});
  // Over several kinds, in the order a scan gives: kind by kind.
  const Run kinds = run(*graph,
                        "MATCH (e:ForeignGovernment|Firm) WHERE size(disagreements(e)) > 0 "
                        "RETURN e.id");
  CHECK(kinds.plan.find("[disagreements]") != std::string::npos);
  CHECK(kinds.in_order ==
        run(*graph,
            "MATCH (e:ForeignGovernment|Firm) WHERE NOT size(disagreements(e)) = 0 RETURN e.id")
            .in_order);
  // One source: nothing disagrees, and nothing is scanned to find that out.
  const auto single = load({kFirst});
  const Run none = run(*single, "MATCH ()-[r]->() WHERE size(disagreements(r)) > 0 RETURN r");
  CHECK(none.rows.empty());
  CHECK(none.plan.find("[disagreements]") != std::string::npos);
  // Keys to leave out that are not a list are an error, whether or not anything
  // disagrees: such a condition is not read as a start.
  const std::string wrong = "MATCH (e) WHERE size(disagreements(e, 'notes')) > 0 RETURN e";
  CHECK_THROWS(run(*single, wrong));
  CHECK_THROWS(run(*graph, wrong));
}
