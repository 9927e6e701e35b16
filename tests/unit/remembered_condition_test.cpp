// Conditions that read one entity only are remembered by that entity (Step::remembered_by):
// the matcher answers them again from what it found the first time, and never remembers
// an answer a partial date left open.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/model/date.h"
#include "analyzer/query/executor.h"
#include "tests/unit/query_rows.h"

namespace {

using namespace twinscan;

// Four municipalities, each party to some of three agreements, which several of them
// share: one signed after the date asked about, one before, one in a year that holds
// that date (so that the comparison is open).
const char* kShared = R"({"format": "twinscan/1", "entities": [
  {"id": "mun:1", "kind": "Municipality", "name": "One", "country": "IL"},
  {"id": "mun:2", "kind": "Municipality", "name": "Two", "country": "IL"},
  {"id": "mun:3", "kind": "Municipality", "name": "Three", "country": "IL"},
  {"id": "mun:4", "kind": "Municipality", "name": "Four", "country": "IL"},
  {"id": "agr:after", "kind": "Agreement", "name": "After", "signed_on": "2012-05-01"},
  {"id": "agr:before", "kind": "Agreement", "name": "Before", "signed_on": "2010-05-01"},
  {"id": "agr:year", "kind": "Agreement", "name": "Year only", "signed_on": "2011"}],
  "relations": [
    {"kind": "PARTY_TO", "from": "mun:1", "to": "agr:after"},
    {"kind": "PARTY_TO", "from": "mun:1", "to": "agr:year"},
    {"kind": "PARTY_TO", "from": "mun:2", "to": "agr:year"},
    {"kind": "PARTY_TO", "from": "mun:3", "to": "agr:year"},
    {"kind": "PARTY_TO", "from": "mun:3", "to": "agr:before"},
    {"kind": "PARTY_TO", "from": "mun:4", "to": "agr:before"},
    {"kind": "PARTY_TO", "from": "mun:4", "to": "agr:after"}]})";

constexpr const char* kQuery =
    "MATCH (m:Municipality) WHERE EXISTS { (m)-[:PARTY_TO]->(a:Agreement) "
    "WHERE a.signed_on > date('2011-06-01') } RETURN m";

// The filter steps of the EXISTS subquery in the first condition of `query`'s plan.
std::vector<query::Step> exists_filters(const query::CompiledQuery& compiled) {
  std::vector<query::Step> out;
  for (const auto& c : compiled.plan.conjuncts) {
    if (c->op != query::CompiledExpr::Op::kExists) continue;
    for (const auto& step : c->exists->steps) {
      if (step.kind == query::Step::Kind::kFilter) out.push_back(step);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a condition on an entity reached from several starts is remembered by it",
          "[query][remembered]") {
  const auto graph = testing::load_registry_text("shared.json", kShared);
  std::vector<query::QueryMessage> messages;
  const auto compiled = query::prepare_query(kQuery, *graph, {}, {}, messages);
  REQUIRE(compiled);
  const auto filters = exists_filters(*compiled);
  REQUIRE(filters.size() == 1);
  CHECK(filters[0].remembered_by != query::kNoSlot);

  // Each municipality asks about the agreements it is party to, in turn, with one
  // executor: the answers for agr:after and agr:before are found once and remembered;
  // agr:year's stays open, and is asked again by every municipality party to it.
  query::Executor executor(*graph, *compiled, {*graph, *model::parse_date("2026-11-22")});
  std::vector<std::string> sure, undecided;
  executor.match(
      [&](const std::vector<query::Value>& f) {
        sure.emplace_back(graph->id(f[0].node));
        return true;
      },
      [&](const std::vector<query::Value>& f) {
        undecided.emplace_back(graph->id(f[0].node));
        return true;
      });
  std::sort(sure.begin(), sure.end());
  std::sort(undecided.begin(), undecided.end());
  CHECK(sure == std::vector<std::string>{"mun:1", "mun:4"});
  // mun:3 is undecided only if agr:year's open answer was not remembered as "no" when
  // mun:2 asked first.
  CHECK(undecided == std::vector<std::string>{"mun:2", "mun:3"});
}

TEST_CASE("a condition on the entities a query scans first is not remembered",
          "[query][remembered]") {
  // Each agreement comes once to a condition placed right after the scan of agreements:
  // a remembered answer would never be asked for again.
  const auto graph = testing::load_registry_text("shared.json", kShared);
  std::vector<query::QueryMessage> messages;
  const auto compiled =
      query::prepare_query("MATCH (a:Agreement) WHERE a.signed_on > date('2011-06-01') RETURN a",
                           *graph, {}, {}, messages);
  REQUIRE(compiled);
  const auto& steps = compiled->plan.steps;
  REQUIRE(steps.size() >= 2);
  CHECK(steps[0].kind == query::Step::Kind::kScan);
  CHECK(steps[1].kind == query::Step::Kind::kFilter);
  CHECK(steps[1].remembered_by == query::kNoSlot);
  CHECK(testing::query_rows(*graph,
                            "MATCH (a:Agreement) WHERE a.signed_on > "
                            "date('2011-06-01') RETURN a.id") ==
        std::vector<std::string>{"agr:after"});
}

TEST_CASE("a subquery reading an outer variable in a relation's properties depends on it",
          "[query][remembered]") {
  // Two firms owned by one holding: whether the holding is party to an agreement in the
  // role of the firm's country depends on the firm too, so the answer cannot be
  // remembered by the holding alone (nor the subquery run before the firm is bound).
  const auto graph = testing::load_registry_text("roles.json", R"({"format": "twinscan/1",
    "entities": [
      {"id": "firm:a", "kind": "Firm", "name": "A", "country": "FR"},
      {"id": "firm:b", "kind": "Firm", "name": "B", "country": "CN"},
      {"id": "firm:c", "kind": "Firm", "name": "C", "country": "DE"},
      {"id": "firm:g", "kind": "Firm", "name": "Holding", "country": "CN"},
      {"id": "agr:x", "kind": "Agreement", "name": "X"}],
    "relations": [
      {"kind": "OWNED_BY", "from": "firm:a", "to": "firm:g"},
      {"kind": "OWNED_BY", "from": "firm:b", "to": "firm:g"},
      {"kind": "OWNED_BY", "from": "firm:c", "to": "firm:g"},
      {"kind": "PARTY_TO", "from": "firm:g", "to": "agr:x", "role": "CN"}]})");
  const std::string pattern = "(g)-[:PARTY_TO {role: f.country}]->(:Agreement)";
  const std::string match = "MATCH (f:Firm)-[:OWNED_BY]->(g:Firm) WHERE ";
  const std::string order = " RETURN f.id ORDER BY f.id";
  CHECK(testing::query_rows(*graph, match + "EXISTS { " + pattern + " }" + order) ==
        std::vector<std::string>{"firm:b"});
  CHECK(testing::query_rows(*graph, match + "NOT EXISTS { " + pattern + " }" + order) ==
        std::vector<std::string>{"firm:a", "firm:c"});
  CHECK(testing::query_rows(*graph, match + "COUNT { " + pattern + " } > 0" + order) ==
        std::vector<std::string>{"firm:b"});
}
