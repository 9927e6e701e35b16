// EXISTS subqueries that read an outer property only in `inner.p = outer.q` are answered
// from the texts inner.p takes over the subquery's other conditions, collected once per
// outer entity (SubPlan::value_conjunct). Each answer must be the one the subquery gives
// when run for that value alone: sure, undecided (with the same reasons) or none.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzer/model/date.h"
#include "analyzer/query/executor.h"
#include "tests/unit/query_rows.h"

namespace {

using namespace twinscan;
using Rows = std::vector<std::string>;

// Three partner cities (China, Germany, one of no known country) and four firms: one held
// by a Chinese government body and a German state firm, one held by an owner of no
// country, one held by a Chinese body since a year that holds the date asked about (so
// that the comparison is open), one held by the same body twice over, since a year
// before and since that year.
const char* kOwners = R"({"format": "twinscan/1", "entities": [
  {"id": "fc:cn", "kind": "ForeignCity", "name": "Wuhan", "country": "CN", "population": 100},
  {"id": "fc:de", "kind": "ForeignCity", "name": "Erfurt", "country": "DE", "population": 200},
  {"id": "fc:none", "kind": "ForeignCity", "name": "Nowhere", "population": 300},
  {"id": "gov:cn", "kind": "ForeignGovernment", "name": "Assets Commission", "country": "CN",
   "population": 100},
  {"id": "firm:de-state", "kind": "Firm", "name": "DE State Works", "country": "DE",
   "state_owned": true},
  {"id": "firm:anon", "kind": "Firm", "name": "Anonymous Holding"},
  {"id": "firm:a", "kind": "Firm", "name": "A", "country": "IL"},
  {"id": "firm:b", "kind": "Firm", "name": "B", "country": "IL"},
  {"id": "firm:c", "kind": "Firm", "name": "C", "country": "IL"},
  {"id": "firm:d", "kind": "Firm", "name": "D", "country": "IL"}],
  "relations": [
    {"kind": "OWNED_BY", "from": "firm:a", "to": "gov:cn", "share": 0.6, "since": "2001-01-01"},
    {"kind": "OWNED_BY", "from": "firm:a", "to": "firm:de-state", "share": 0.1,
     "since": "2002-01-01"},
    {"kind": "OWNED_BY", "from": "firm:b", "to": "firm:anon", "share": 1.0,
     "since": "2003-01-01"},
    {"kind": "OWNED_BY", "from": "firm:c", "to": "gov:cn", "share": 0.5, "since": "2011"},
    {"kind": "OWNED_BY", "from": "firm:d", "to": "gov:cn", "share": 0.2, "since": "2011"},
    {"kind": "OWNED_BY", "from": "firm:d", "to": "firm:de-state", "share": 0.2,
     "since": "2010-01-01"}]})";

std::shared_ptr<const model::Graph> owners() {
  return testing::load_registry_text("owners.json", kOwners);
}

// Every (city, firm) pair for which `exists` holds, one query per form.
Rows pairs(const model::Graph& graph, const std::string& exists) {
  return testing::query_rows(graph, "MATCH (c:ForeignCity), (x:Firm) WHERE EXISTS { " + exists +
                                        " } RETURN c.id, x.id ORDER BY c.id, x.id");
}

}  // namespace

TEST_CASE("an EXISTS joined to the outer match by one property is answered from its values",
          "[query][exists]") {
  const auto graph = owners();
  const std::string keyed = "(x)-[:OWNED_BY*1..3]->(o) WHERE o.country = c.country";
  CHECK(testing::query_plan(
            *graph, "MATCH (c:ForeignCity), (x:Firm) WHERE EXISTS { " + keyed + " } RETURN c, x")
            .find("asked once per x: the values of") != std::string::npos);
  const Rows expected = {"fc:cn | firm:a", "fc:cn | firm:c", "fc:cn | firm:d", "fc:de | firm:a",
                         "fc:de | firm:d"};
  CHECK(pairs(*graph, keyed) == expected);
  // Written the other way round, and as a pattern's property map: the same answers.
  CHECK(pairs(*graph, "(x)-[:OWNED_BY*1..3]->(o) WHERE c.country = o.country") == expected);
  CHECK(pairs(*graph, "(x)-[:OWNED_BY]->({country: c.country})") == expected);
  // The same subquery reading the outer property twice is answered as any other: the
  // same answers (a city of no country equals none).
  const std::string plain =
      "(x)-[:OWNED_BY*1..3]->(o) WHERE o.country = c.country AND c.country IS NOT NULL";
  CHECK(testing::query_plan(
            *graph, "MATCH (c:ForeignCity), (x:Firm) WHERE EXISTS { " + plain + " } RETURN c, x")
            .find("asked once per x: the values of") == std::string::npos);
  CHECK(pairs(*graph, plain) == expected);
  // NOT EXISTS: every other pair, the city of no country with every firm.
  const Rows none = testing::query_rows(
      *graph, "MATCH (c:ForeignCity), (x:Firm) WHERE NOT EXISTS { " + keyed +
                  " } AND x.country = 'IL' RETURN c.id, x.id ORDER BY c.id, x.id");
  CHECK(none == Rows{"fc:cn | firm:b", "fc:de | firm:b", "fc:de | firm:c", "fc:none | firm:a",
                     "fc:none | firm:b", "fc:none | firm:c", "fc:none | firm:d"});
}

TEST_CASE("the other conditions of a value-keyed EXISTS decide per value", "[query][exists]") {
  const auto graph = owners();
  // Only holdings of a share of at least a quarter, from state owners: firm:a's German
  // owner holds 10%, firm:d's Chinese owner 20%.
  CHECK(pairs(*graph,
              "(x)-[:OWNED_BY*1..3]->(o) WHERE o.country = c.country "
              "AND (o.kind <> 'Firm' OR o.state_owned = true) "
              "AND effective_share(x, o) >= 0.25") == Rows{"fc:cn | firm:a", "fc:cn | firm:c"});
}

TEST_CASE("values of another type than text are compared as written", "[query][exists]") {
  const auto graph = owners();
  // Populations are numbers: the subquery is answered as any other (the plan still says
  // it may be answered by values; the first number met gives that up for the firm).
  CHECK(testing::query_rows(*graph,
                            "MATCH (c:ForeignCity), (x:Firm) WHERE EXISTS { "
                            "(x)-[:OWNED_BY]->(o) WHERE o.population = c.population } "
                            "RETURN c.id, x.id ORDER BY c.id, x.id") ==
        Rows{"fc:cn | firm:a", "fc:cn | firm:c", "fc:cn | firm:d"});
}

TEST_CASE("a value-keyed EXISTS left open by a partial date is undecided for that value only",
          "[query][exists]") {
  const auto graph = owners();
  const std::string query =
      "MATCH (c:ForeignCity), (x:Firm) WHERE EXISTS { (x)-[r:OWNED_BY]->(o) "
      "WHERE o.country = c.country AND r.since <= date('2011-06-01') } RETURN c, x";
  std::vector<query::QueryMessage> messages;
  const auto compiled = query::prepare_query(query, *graph, {}, {}, messages);
  REQUIRE(compiled);
  query::Executor executor(*graph, *compiled, {*graph, *model::parse_date("2026-11-22")});
  Rows sure, undecided;
  std::vector<std::size_t> reasons;
  auto pair = [&](const std::vector<query::Value>& f) {
    return std::string(graph->id(f[0].node)) + " | " + std::string(graph->id(f[1].node));
  };
  executor.match(
      [&](const std::vector<query::Value>& f) {
        sure.push_back(pair(f));
        return true;
      },
      [&](const std::vector<query::Value>& f) {
        undecided.push_back(pair(f));
        reasons.push_back(executor.imprecisions().size());
        return true;
      });
  std::sort(sure.begin(), sure.end());
  std::sort(undecided.begin(), undecided.end());
  // firm:c's only Chinese holding dates from "2011": open. firm:d's German holding
  // (2010) is sure, its Chinese one open: sure for Germany, undecided for China.
  CHECK(sure == Rows{"fc:cn | firm:a", "fc:de | firm:a", "fc:de | firm:d"});
  CHECK(undecided == Rows{"fc:cn | firm:c", "fc:cn | firm:d"});
  CHECK(std::all_of(reasons.begin(), reasons.end(), [](std::size_t n) { return n > 0; }));
}

TEST_CASE("an equality that drives a look-up is not answered by values", "[query][exists]") {
  // The government is found by its country through the property index: the look-up reads
  // the city's country, so a collection made for one city would hold only its country.
  const auto graph = testing::load_registry_text("lookup.json", R"({"format": "twinscan/1",
    "entities": [
      {"id": "fc:cn", "kind": "ForeignCity", "name": "Wuhan", "country": "CN"},
      {"id": "fc:de", "kind": "ForeignCity", "name": "Erfurt", "country": "DE"},
      {"id": "gov:cn", "kind": "ForeignGovernment", "name": "CN body", "country": "CN"},
      {"id": "gov:de", "kind": "ForeignGovernment", "name": "DE body", "country": "DE"},
      {"id": "firm:a", "kind": "Firm", "name": "A"}],
    "relations": [{"kind": "OWNED_BY", "from": "firm:a", "to": "gov:cn"}]})");
  const std::string query =
      "MATCH (c:ForeignCity), (x:Firm) WHERE EXISTS { (x)-[:OWNED_BY]->(), "
      "(g:ForeignGovernment {country: c.country}) } RETURN c.id, x.id ORDER BY c.id";
  CHECK(testing::query_plan(*graph, query).find("asked once per") == std::string::npos);
  CHECK(testing::query_rows(*graph, query) == Rows{"fc:cn | firm:a", "fc:de | firm:a"});
}

TEST_CASE("a condition that fails only for another value's match does not fail the question",
          "[query][exists]") {
  // The German owner's rank is a text: `o.rank + 1` fails for it. Asked about China
  // only, the subquery never evaluates it (the equality fails first) and answers; asked
  // about Germany, it fails, as it always did.
  const auto graph = testing::load_registry_text("ranks.json", R"({"format": "twinscan/1",
    "entities": [
      {"id": "fc:cn", "kind": "ForeignCity", "name": "Wuhan", "country": "CN"},
      {"id": "fc:de", "kind": "ForeignCity", "name": "Erfurt", "country": "DE"},
      {"id": "gov:cn", "kind": "ForeignGovernment", "name": "CN body", "country": "CN",
       "rank": 5},
      {"id": "gov:de", "kind": "ForeignGovernment", "name": "DE body", "country": "DE",
       "rank": "n/a"},
      {"id": "firm:a", "kind": "Firm", "name": "A"},
      {"id": "firm:b", "kind": "Firm", "name": "B"}],
    "relations": [
      {"kind": "OWNED_BY", "from": "firm:a", "to": "gov:de"},
      {"kind": "OWNED_BY", "from": "firm:a", "to": "gov:cn"},
      {"kind": "OWNED_BY", "from": "firm:b", "to": "gov:cn"}]})");
  const std::string exists =
      "EXISTS { (x)-[:OWNED_BY]->(o) WHERE o.country = c.country AND o.rank + 1 > 1 }";
  CHECK(testing::query_plan(*graph,
                            "MATCH (c:ForeignCity), (x:Firm) WHERE " + exists + " RETURN c, x")
            .find("asked once per x") != std::string::npos);
  CHECK(testing::query_rows(*graph, "MATCH (c:ForeignCity {id: 'fc:cn'}), (x:Firm) WHERE " +
                                        exists + " RETURN x.id ORDER BY x.id") ==
        Rows{"firm:a", "firm:b"});
  CHECK_THROWS_WITH(
      testing::query_rows(
          *graph, "MATCH (c:ForeignCity {id: 'fc:de'}), (x:Firm) WHERE " + exists + " RETURN x.id"),
      Catch::Contains("arithmetic takes numbers"));
}

TEST_CASE("a collection given up in a nested subquery leaves no relation bound",
          "[query][exists]") {
  // Collecting for firm:a reaches firm:de, whose nested walk de -> p -> q1 fails on q1's
  // text rank; the walk p -> q1 -> q2 that firm:de's own question needs must still be
  // free afterwards.
  const auto graph = testing::load_registry_text("nested.json", R"({"format": "twinscan/1",
    "entities": [
      {"id": "firm:a", "kind": "Firm", "name": "A"},
      {"id": "firm:de", "kind": "Firm", "name": "DE", "country": "DE"},
      {"id": "firm:p", "kind": "Firm", "name": "P", "country": "CN"},
      {"id": "firm:q1", "kind": "Firm", "name": "Q1", "rank": "n/a"},
      {"id": "firm:q2", "kind": "Firm", "name": "Q2", "rank": 5},
      {"id": "fc:cn", "kind": "ForeignCity", "name": "Wuhan", "country": "CN"}],
    "relations": [
      {"kind": "OWNED_BY", "from": "firm:a", "to": "firm:de"},
      {"kind": "OWNED_BY", "from": "firm:de", "to": "firm:p"},
      {"kind": "OWNED_BY", "from": "firm:p", "to": "firm:q1"},
      {"kind": "OWNED_BY", "from": "firm:q1", "to": "firm:q2"}]})");
  CHECK(testing::query_rows(*graph,
                            "MATCH (c:ForeignCity), (x:Firm) WHERE EXISTS { "
                            "(x)-[:OWNED_BY]->(o) WHERE o.country = c.country AND EXISTS { "
                            "(o)-[:OWNED_BY]->(p)-[:OWNED_BY]->(q) WHERE q.rank + 1 > 1 } } "
                            "RETURN x.id") == Rows{"firm:de"});
}
