// The clauses after the leading MATCH: WITH (projection, aggregation, DISTINCT, ORDER
// BY, SKIP, LIMIT, WHERE, chaining), OPTIONAL MATCH and UNWIND, run over a small
// registry whose answers are known by heart; and their errors.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/query/projection.h"
#include "analyzer/query/query_engine.h"
#include "query_rows.h"

namespace {

using namespace twinscan;

// Three municipalities (Ashdod with two twins, Eilat with one, Haifa with none), three
// foreign cities (one nameless, twinned with nobody).
constexpr const char* kRegistry = R"({
  "format": "twinscan/1",
  "entities": [
    {"id": "mun:ashdod", "kind": "Municipality", "name": "Ashdod", "country": "IL", "population": 220000},
    {"id": "mun:eilat", "kind": "Municipality", "name": "Eilat", "country": "IL", "population": 52000},
    {"id": "mun:haifa", "kind": "Municipality", "name": "Haifa", "country": "IL"},
    {"id": "fc:wuhan", "kind": "ForeignCity", "name": "Wuhan", "country": "CN"},
    {"id": "fc:erfurt", "kind": "ForeignCity", "name": "Erfurt", "country": "DE"},
    {"id": "fc:x", "kind": "ForeignCity", "country": "CN"}
  ],
  "relations": [
    {"kind": "TWINNED_WITH", "from": "mun:ashdod", "to": "fc:wuhan"},
    {"kind": "TWINNED_WITH", "from": "mun:ashdod", "to": "fc:erfurt"},
    {"kind": "TWINNED_WITH", "from": "mun:eilat", "to": "fc:wuhan"}
  ]
})";

const model::Graph& graph() {
  static const auto g = testing::load_registry_text("clauses.json", kRegistry);
  return *g;
}

/// The rows of a query, each value as `twinscan query` shows it, joined by " | ".
std::vector<std::string> rows(const std::string& text) {
  return testing::query_rows(graph(), text);
}

/// The first error message a query compiles to (it must fail).
std::string error_of(const std::string& text, bool rule = false) {
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = !rule;
  options.allow_return = !rule;
  const auto compiled = query::prepare_query(text, graph(), {}, options, messages);
  CHECK_FALSE(compiled);
  for (const auto& m : messages) {
    if (m.severity == diag::Severity::kError) return m.message;
  }
  return "";
}

using Rows = std::vector<std::string>;

}  // namespace

TEST_CASE("WITH groups by its other items: the degree distribution", "[clauses]") {
  CHECK(rows("MATCH (c:Municipality)-[:TWINNED_WITH]-(f) WITH c, count(*) AS d "
             "RETURN d, count(*) AS cities ORDER BY d") == Rows{"1 | 1", "2 | 1"});
  CHECK(rows("MATCH (f:ForeignCity)-[:TWINNED_WITH]-(c) WITH f, count(c) AS d "
             "RETURN f.id, d ORDER BY f.id") == Rows{"fc:erfurt | 1", "fc:wuhan | 2"});
}

TEST_CASE("WITH aggregates: count, collect, sum, avg, min, max, with DISTINCT", "[clauses]") {
  CHECK(rows("MATCH (c:Municipality)-[:TWINNED_WITH]-(f) "
             "WITH count(*) AS n, count(DISTINCT c) AS cs, collect(DISTINCT f.name) AS fs, "
             "sum(c.population) AS s, avg(c.population) AS a, min(f.name) AS lo, "
             "max(f.name) AS hi RETURN n, cs, size(fs), s, a, lo, hi") ==
        Rows{"3 | 2 | 2 | 492000 | 164000.0 | Erfurt | Wuhan"});
}

TEST_CASE("WITH over no rows: count is 0, collect is [], groups are none", "[clauses]") {
  CHECK(rows("MATCH (c:Municipality) WHERE c.name = 'Nowhere' "
             "WITH count(*) AS n, count(c) AS k, collect(c.name) AS names, sum(c.population) AS s "
             "RETURN n, k, names, s") == Rows{"0 | 0 | [] | 0"});
  CHECK(rows("MATCH (c:Municipality) WHERE c.name = 'Nowhere' WITH c, count(*) AS n "
             "RETURN c, n")
            .empty());
}

TEST_CASE("WITH keeps null as a grouping key and skips nulls in aggregates", "[clauses]") {
  CHECK(rows("MATCH (f:ForeignCity) WITH f.name AS name, count(*) AS n "
             "RETURN name, n ORDER BY name") == Rows{"Erfurt | 1", "Wuhan | 1", "null | 1"});
  CHECK(rows("MATCH (c:Municipality) WITH count(c.population) AS known, count(*) AS all, "
             "collect(c.population) AS values RETURN known, all, size(values)") ==
        Rows{"2 | 3 | 2"});
}

TEST_CASE("WITH DISTINCT, ORDER BY, SKIP, LIMIT and WHERE", "[clauses]") {
  CHECK(rows("MATCH (c:Municipality)-[:TWINNED_WITH]-(f) WITH DISTINCT f RETURN f.id ORDER BY "
             "f.id") == Rows{"fc:erfurt", "fc:wuhan"});
  // ORDER BY may read a variable the WITH drops when nothing is aggregated.
  CHECK(rows("MATCH (c:Municipality) WITH c.id AS id ORDER BY c.name DESC SKIP 1 LIMIT 1 "
             "RETURN id") == Rows{"mun:eilat"});
  CHECK(rows("MATCH (c:Municipality)-[:TWINNED_WITH]-(f) WITH c, count(*) AS d WHERE d > 1 "
             "RETURN c.name, d") == Rows{"Ashdod | 2"});
  // WHERE filters the rows the page kept.
  CHECK(rows("MATCH (c:Municipality) WITH c ORDER BY c.name LIMIT 2 WHERE c.name <> 'Ashdod' "
             "RETURN c.name") == Rows{"Eilat"});
  // ORDER BY an aggregate's name, and an expression of the names.
  CHECK(rows("MATCH (c:Municipality)-[:TWINNED_WITH]-(f) WITH c.name AS name, count(*) AS d "
             "ORDER BY -d LIMIT 1 RETURN name") == Rows{"Ashdod"});
}

TEST_CASE("WITH chains several parts", "[clauses]") {
  CHECK(rows("MATCH (c:Municipality) WITH c ORDER BY c.name LIMIT 2 "
             "MATCH (c)-[:TWINNED_WITH]-(f) WITH c, f.name AS twin "
             "MATCH (g:ForeignCity {name: twin})-[:TWINNED_WITH]-(other) "
             "RETURN c.name, twin, count(other) AS ties ORDER BY c.name, twin") ==
        Rows{"Ashdod | Erfurt | 1", "Ashdod | Wuhan | 2", "Eilat | Wuhan | 2"});
  CHECK(rows("WITH 2 AS two UNWIND [1, two, 3] AS x WITH x * two AS y WHERE y > 2 "
             "RETURN collect(y) AS ys") == Rows{"[4, 6]"});
}

TEST_CASE("OPTIONAL MATCH gives nulls when nothing matches", "[clauses]") {
  CHECK(rows("MATCH (c:Municipality) OPTIONAL MATCH (c)-[:TWINNED_WITH]-(f) "
             "RETURN c.name, f.name ORDER BY c.name, f.name") ==
        Rows{"Ashdod | Erfurt", "Ashdod | Wuhan", "Eilat | Wuhan", "Haifa | null"});
  // Its WHERE belongs to it: a row failing it leaves nulls, not no row.
  CHECK(rows("MATCH (c:Municipality) OPTIONAL MATCH (c)-[:TWINNED_WITH]-(f) WHERE f.country = "
             "'DE' RETURN c.name, f.name ORDER BY c.name") ==
        Rows{"Ashdod | Erfurt", "Eilat | null", "Haifa | null"});
  // count() skips the nulls: a degree of 0 for the untwinned.
  CHECK(rows("MATCH (c:Municipality) OPTIONAL MATCH (c)-[:TWINNED_WITH]-(f) "
             "RETURN c.name, count(f) AS d ORDER BY c.name") ==
        Rows{"Ashdod | 2", "Eilat | 1", "Haifa | 0"});
  CHECK(rows("OPTIONAL MATCH (c:Municipality {name: 'Nowhere'}) RETURN c") == Rows{"null"});
}

TEST_CASE("UNWIND gives one row per element", "[clauses]") {
  CHECK(rows("UNWIND ['mun:eilat', 'fc:nowhere', 'mun:ashdod'] AS id MATCH (c {id: id}) "
             "RETURN c.name") == Rows{"Eilat", "Ashdod"});
  CHECK(rows("UNWIND [] AS x RETURN x").empty());
  CHECK(rows("UNWIND null AS x RETURN x").empty());
  CHECK(rows("UNWIND 5 AS x RETURN x") == Rows{"5"});
  CHECK(rows("UNWIND [1, null, [2, 3]] AS x RETURN x") == Rows{"1", "null", "[2, 3]"});
  CHECK(rows("MATCH (c:Municipality)-[:TWINNED_WITH]-(f) WITH c, collect(f.name) AS twins "
             "UNWIND twins AS t RETURN c.name, t ORDER BY c.name, t") ==
        Rows{"Ashdod | Erfurt", "Ashdod | Wuhan", "Eilat | Wuhan"});
}

TEST_CASE("errors of WITH, OPTIONAL MATCH and UNWIND", "[clauses]") {
  CHECK(error_of("MATCH (c:Municipality) WITH c.name RETURN c") ==
        "WITH c.name needs a name: write WITH c.name AS name");
  CHECK(error_of("MATCH (c:Municipality)-[:TWINNED_WITH]-(f) WITH c RETURN f") ==
        "variable 'f' is not carried past WITH; list it there: WITH ..., f");
  CHECK(error_of("MATCH (c:Municipality) WITH c, c.name AS c RETURN c") == "WITH names 'c' twice");
  CHECK(error_of("MATCH (c:Municipality) UNWIND [1] AS c RETURN c")
            .rfind("'c' is already bound", 0) == 0);
  CHECK(error_of("MATCH (c:Municipality) WITH c, count(*) AS n ORDER BY c.name, f RETURN c")
            .rfind("variable 'f' is not defined", 0) == 0);
  CHECK(error_of("MATCH (c:Municipality) WITH c RETURN c", true) ==
        "a rule's match is MATCH clauses only; WITH is for twinscan query");
  CHECK(error_of("MATCH (c:Municipality) OPTIONAL MATCH (c)--(f)", true) ==
        "a rule's match is MATCH clauses only; OPTIONAL MATCH is for twinscan query");
}

TEST_CASE("CASE: the simple form compares, the generic form tests, null without ELSE",
          "[clauses]") {
  CHECK(rows("MATCH (c:Municipality) RETURN c.name, CASE c.name WHEN 'Ashdod' THEN 1 "
             "WHEN 'Eilat' THEN 2 END AS code ORDER BY c.name") ==
        Rows{"Ashdod | 1", "Eilat | 2", "Haifa | null"});
  CHECK(rows("MATCH (c:Municipality) OPTIONAL MATCH (c)-[:TWINNED_WITH]-(f) "
             "WITH c, count(f) AS d RETURN c.name, CASE WHEN d > 1 THEN 'many' WHEN d = 1 "
             "THEN 'one' ELSE 'none' END ORDER BY c.name") ==
        Rows{"Ashdod | many", "Eilat | one", "Haifa | none"});
  // null never equals a WHEN value, and a null condition is not true.
  CHECK(rows("RETURN CASE null WHEN null THEN 'same' ELSE 'other' END, "
             "CASE WHEN null THEN 1 ELSE 2 END") == Rows{"other | 2"});
  CHECK(rows("UNWIND [1, 2] AS case RETURN case") == Rows{"1", "2"});
}

TEST_CASE("list comprehensions filter and project; null lists give null", "[clauses]") {
  CHECK(rows("RETURN [x IN [1, 2, null, 3] WHERE x > 1 | x * 10] AS a, [x IN [1, 2]] AS b, "
             "[x IN [1, 2] | x + 1] AS c, [x IN [] | x] AS d, [x IN null | x] AS e") ==
        Rows{"[20, 30] | [1, 2] | [2, 3] | [] | null"});
  CHECK(rows("MATCH (c:Municipality)-[:TWINNED_WITH]-(f) WITH c, collect(f) AS twins "
             "RETURN c.name, [t IN twins WHERE t.country = 'CN' | t.name] ORDER BY c.name") ==
        Rows{"Ashdod | [Wuhan]", "Eilat | [Wuhan]"});
  // The comprehension's variable is its own: an outer one of the same name is untouched.
  CHECK(rows("UNWIND [5] AS x RETURN [x IN [1, 2] | x], x") == Rows{"[1, 2] | 5"});
}

TEST_CASE("COUNT { } counts the matches of its pattern for each row", "[clauses]") {
  CHECK(rows("MATCH (c:Municipality) RETURN c.name, COUNT { (c)-[:TWINNED_WITH]-() } AS d, "
             "COUNT { MATCH (c)-[:TWINNED_WITH]-(f) WHERE f.country = 'DE' } AS de "
             "ORDER BY c.name") == Rows{"Ashdod | 2 | 1", "Eilat | 1 | 0", "Haifa | 0 | 0"});
  CHECK(rows("MATCH (c:Municipality) WHERE COUNT { (c)--() } >= 1 RETURN c.name ORDER BY c.name") ==
        Rows{"Ashdod", "Eilat"});
  // Every path counts, not every far end: the walk is enumerated.
  CHECK(rows("MATCH (c:Municipality {name: 'Eilat'}) "
             "RETURN COUNT { (c)-[:TWINNED_WITH*1..3]-(x) }") == Rows{"3"});
}

TEST_CASE("errors of CASE, list comprehensions and COUNT { }", "[clauses]") {
  CHECK(error_of("RETURN CASE WHEN true THEN 1") ==
        "expected WHEN, ELSE or END in CASE, found "
        "the end of the input");
  CHECK(error_of("RETURN CASE 1 END") == "expected WHEN in CASE, found 'END'");
  CHECK(error_of("RETURN CASE WHEN true 1 END") ==
        "expected THEN after the WHEN condition, "
        "found '1'");
  CHECK(error_of("RETURN [x IN [1] WHERE x > 0 x]") ==
        "expected WHERE, '|' or ']' to close the list comprehension, found 'x'");
  CHECK(error_of("MATCH (c:Municipality) RETURN COUNT { (c)--() ") ==
        "expected ',', WHERE or '}' to close COUNT { ... }, found the end of the input");
  CHECK(error_of("RETURN [x IN [1] | y]") == "variable 'y' is not defined; did you mean 'x'?");
}

TEST_CASE("shortestPath and allShortestPaths: breadth-first within the pattern's bound",
          "[clauses]") {
  const std::string ends = "MATCH (a {id: 'fc:erfurt'}), (b {id: 'mun:eilat'}) ";
  CHECK(rows(ends + "MATCH p = shortestPath((a)-[:TWINNED_WITH*]-(b)) "
                    "RETURN length(p), [n IN nodes(p) | n.id]") ==
        Rows{"3 | [fc:erfurt, mun:ashdod, fc:wuhan, mun:eilat]"});
  CHECK(rows(ends + "MATCH p = allShortestPaths((a)-[*..6]-(b)) RETURN length(p)") == Rows{"3"});
  // The hop bound and the direction of the pattern hold.
  CHECK(rows(ends + "MATCH p = shortestPath((a)-[*..2]-(b)) RETURN p").empty());
  CHECK(rows(ends + "MATCH p = shortestPath((a)-[*]->(b)) RETURN p").empty());
  // With one end bound: every entity reached, nearest first, each once.
  CHECK(rows("MATCH (a {id: 'mun:eilat'}) MATCH p = shortestPath((a)-[:TWINNED_WITH*]-(x)) "
             "RETURN x.id, length(p)") == Rows{"fc:wuhan | 1", "mun:ashdod | 2", "fc:erfurt | 3"});
  // OPTIONAL MATCH gives a null path when none exists.
  CHECK(rows("MATCH (a {id: 'mun:haifa'}), (b {id: 'mun:eilat'}) "
             "OPTIONAL MATCH p = shortestPath((a)-[*]-(b)) RETURN a.name, p") ==
        Rows{"Haifa | null"});
  // A relation variable is the list of the path's relations.
  CHECK(rows(ends + "MATCH shortestPath((a)-[r*]-(b)) RETURN size(r)") == Rows{"3"});
}

TEST_CASE("errors of shortestPath", "[clauses]") {
  CHECK(error_of("MATCH p = shortestPath((a)-[*2..5]-(b)) RETURN p") ==
        "a shortest path is searched with a minimum of 0 or 1 hops; filter on length(p) for more");
  CHECK(error_of("MATCH p = shortestPath((a)-->(b)-->(c)) RETURN p") ==
        "shortestPath() takes one relationship pattern, such as (a)-[:KIND*..6]-(b)");
  CHECK(error_of("MATCH p = allShortestPaths((a)) RETURN p") ==
        "expected a relationship pattern in allShortestPaths(), found ')'");
}

TEST_CASE("range() makes the integers between its bounds, step apart", "[clauses]") {
  CHECK(rows("RETURN range(1, 3), range(10, 0, -3), range(1, 0), range(5, 5), range(1, null)") ==
        Rows{"[1, 2, 3] | [10, 7, 4, 1] | [] | [5] | null"});
  // The extremes of the integers, without overflow.
  CHECK(rows("RETURN range(-9223372036854775807, 9223372036854775807, 9223372036854775807)") ==
        Rows{"[-9223372036854775807, 0, 9223372036854775807]"});
  CHECK(rows("UNWIND range(1, 4) AS i WITH i WHERE i % 2 = 0 RETURN collect(i)") == Rows{"[2, 4]"});
}

TEST_CASE("a null entity from OPTIONAL MATCH matches nothing in later patterns", "[clauses]") {
  CHECK(rows("MATCH (c {id: 'mun:haifa'}) OPTIONAL MATCH (c)-[:TWINNED_WITH]-(f) "
             "OPTIONAL MATCH (f)-[:TWINNED_WITH]-(g) RETURN c.name, f, count(g)") ==
        Rows{"Haifa | null | 0"});
  CHECK(rows("MATCH (c {id: 'mun:haifa'}) OPTIONAL MATCH (c)-[:TWINNED_WITH]-(f) "
             "WITH f MATCH (f)--(g) RETURN count(*)") == Rows{"0"});
  CHECK(rows("MATCH (c {id: 'mun:haifa'}) OPTIONAL MATCH (c)-[:TWINNED_WITH]-(f) "
             "RETURN EXISTS { (f)--() }, COUNT { (f)-[*1..2]-() }") == Rows{"false | 0"});
  CHECK(rows("MATCH (c {id: 'mun:haifa'}), (d {id: 'mun:eilat'}) "
             "OPTIONAL MATCH (c)-[:TWINNED_WITH]-(f) "
             "OPTIONAL MATCH p = shortestPath((f)-[*]-(d)) RETURN p") == Rows{"null"});
}

TEST_CASE("a null entity carried by WITH does not match a lone node pattern", "[clauses]") {
  CHECK(rows("MATCH (c {id: 'mun:haifa'}) OPTIONAL MATCH (c)-[:TWINNED_WITH]-(f) "
             "WITH f MATCH (f) RETURN count(*)") == Rows{"0"});
  CHECK(rows("MATCH (c {id: 'mun:ashdod'}) OPTIONAL MATCH (c)-[:TWINNED_WITH]-(f) "
             "WITH f MATCH (f) RETURN count(*)") == Rows{"2"});
}

TEST_CASE("ORDER BY with LIMIT over many rows keeps only those it may return, in the same order",
          "[clauses]") {
  // 6^5 = 7,776 rows, with many equal keys: the rows held are cut to SKIP + LIMIT as they
  // come, and what is returned is the slice of the fully sorted rows, ties in arrival
  // order.
  const std::string match = "MATCH (a), (b), (c), (d), (e) RETURN a.id, b.id, c.id, d.id, e.id ";
  const std::string order = "ORDER BY a.country, e.id DESC ";
  const auto all = rows(match + order);
  REQUIRE(all.size() == 7776);
  for (const auto& [skip, limit] : {std::pair{0, 1}, {5, 20}, {4000, 100}, {7770, 10}}) {
    INFO("SKIP " << skip << " LIMIT " << limit);
    const auto some =
        rows(match + order + "SKIP " + std::to_string(skip) + " LIMIT " + std::to_string(limit));
    const auto end = std::min<std::size_t>(all.size(), static_cast<std::size_t>(skip + limit));
    CHECK(some == std::vector<std::string>(all.begin() + skip, all.begin() + end));
  }
}

namespace {

// Firms f0..f(F-1) bidding on projects p0..p(P-1) where (i + j) % 7 == 0, and each firm
// owning a share of firm f0 where i % 3 == 0.
std::string bidding_registry(int firms, int projects) {
  std::string text = R"({"format": "twinscan/1", "entities": [)";
  for (int i = 0; i < firms; ++i)
    text += R"({"id": "f)" + std::to_string(i) + R"(", "kind": "Firm", "name": "F)" +
            std::to_string(i) + R"("},)";
  for (int j = 0; j < projects; ++j)
    text += R"({"id": "p)" + std::to_string(j) + R"(", "kind": "Project", "name": "P)" +
            std::to_string(j) + R"("})" + (j + 1 < projects ? "," : "");
  text += R"(], "relations": [)";
  bool first = true;
  for (int i = 0; i < firms; ++i) {
    for (int j = 0; j < projects; ++j) {
      if ((i + j) % 7 != 0) continue;
      text += std::string(first ? "" : ",") + R"({"kind": "BIDDER_ON", "from": "f)" +
              std::to_string(i) + R"(", "to": "p)" + std::to_string(j) + R"("})";
      first = false;
    }
  }
  return text + "]}";
}

}  // namespace

TEST_CASE("EXISTS answers stay right when its outer values never repeat and it stops remembering",
          "[query][exists]") {
  // 120 × 60 = 7,200 distinct (firm, project) questions, past the trial after which a
  // memo that is never hit is dropped: the answers after that are asked afresh.
  constexpr int kFirms = 120;
  constexpr int kProjects = 60;
  int expected = 0;
  for (int i = 0; i < kFirms; ++i)
    for (int j = 0; j < kProjects; ++j) expected += (i + j) % 7 == 0 ? 1 : 0;
  const auto graph =
      twinscan::testing::load_registry_text("bids.json", bidding_registry(kFirms, kProjects));
  CHECK(twinscan::testing::query_rows(
            *graph,
            "MATCH (f:Firm), (p:Project) WHERE EXISTS { (f)-[:BIDDER_ON]->(p) } RETURN count(*)") ==
        std::vector<std::string>{std::to_string(expected)});
  CHECK(twinscan::testing::query_rows(*graph,
                                      "MATCH (f:Firm), (p:Project) WHERE NOT EXISTS { "
                                      "(f)-[:BIDDER_ON]->(p) } RETURN count(*)") ==
        std::vector<std::string>{std::to_string(kFirms * kProjects - expected)});
  // The same question asked twice per binding (a second pattern doubles each): the memo
  // is hit half the time and kept.
  CHECK(twinscan::testing::query_rows(*graph,
                                      "MATCH (f:Firm), (p:Project), (k:Project) WHERE k.id IN "
                                      "['p0', 'p1'] AND EXISTS { (f)-[:BIDDER_ON]->(p) } "
                                      "RETURN count(*)") ==
        std::vector<std::string>{std::to_string(2 * expected)});
}

TEST_CASE("EXISTS answers keyed by an outer property's value match a join, whatever its type",
          "[query][exists]") {
  // The memo keys a question by the outer entity and by the value of c.country or
  // c.capital: texts of the graph by their symbol, other values spelled out. Cities share
  // countries (one text, several entities), lack them (null), or hold 1 and 1.0 (equal
  // numbers of two types); each answer must be what a join gives.
  const char* const countries[] = {R"("CN")", R"("DE")", R"("JP")", nullptr, "1", "1.0"};
  std::string text = R"({"format": "twinscan/1", "entities": [)";
  for (int i = 0; i < 24; ++i) {
    text += R"({"id": "c)" + std::to_string(i) + R"(", "kind": "ForeignCity", "name": "C)" +
            std::to_string(i) + R"(", "capital": )" + (i % 4 == 0 ? "true" : "false");
    if (const char* country = countries[i % 6]) text += R"(, "score": )" + std::string(country);
    text += "},";
  }
  for (int i = 0; i < 40; ++i) {
    text += R"({"id": "f)" + std::to_string(i) + R"(", "kind": "Firm", "name": "F)" +
            std::to_string(i) + R"("})" + (i + 1 < 40 ? "," : "");
  }
  text += R"(], "relations": [)";
  for (int i = 0; i < 40; ++i) {
    text += std::string(i ? "," : "") + R"({"kind": "LOCATED_IN", "from": "f)" + std::to_string(i) +
            R"(", "to": "c)" + std::to_string((i * 7) % 24) + R"("})";
  }
  text += "]}";
  INFO(text);
  const auto graph = twinscan::testing::load_registry_text("cities.json", text);
  for (const std::string key : {"score", "capital"}) {
    INFO("key " << key);
    const auto by_exists = twinscan::testing::query_rows(
        *graph, "MATCH (f:Firm), (c:ForeignCity) WHERE EXISTS { (f)-[:LOCATED_IN]->(l) WHERE l." +
                    key + " = c." + key + " } RETURN f.id, c.id ORDER BY f.id, c.id");
    const auto by_join = twinscan::testing::query_rows(
        *graph, "MATCH (f:Firm)-[:LOCATED_IN]->(l), (c:ForeignCity) WHERE l." + key + " = c." +
                    key + " RETURN DISTINCT f.id, c.id ORDER BY f.id, c.id");
    CHECK(by_exists.size() > 40);
    CHECK(by_exists == by_join);
  }
}

namespace {

// Two holdings of one firm in one government (told apart by their ids), and owners with
// tied numbers of holdings.
constexpr const char* kHoldings = R"({
  "format": "twinscan/1",
  "entities": [
    {"id": "firm:a", "kind": "Firm", "name": "A"},
    {"id": "firm:b", "kind": "Firm", "name": "B"},
    {"id": "firm:c", "kind": "Firm", "name": "C"},
    {"id": "gov:x", "kind": "ForeignGovernment", "name": "X", "country": "CN"},
    {"id": "gov:y", "kind": "ForeignGovernment", "name": "Y", "country": "CN"},
    {"id": "gov:z", "kind": "ForeignGovernment", "name": "Z", "country": "CN"}
  ],
  "relations": [
    {"id": "h1", "kind": "OWNED_BY", "from": "firm:a", "to": "gov:x", "share": 0.2},
    {"id": "h2", "kind": "OWNED_BY", "from": "firm:a", "to": "gov:x", "share": 0.3},
    {"kind": "OWNED_BY", "from": "firm:b", "to": "gov:y", "share": 0.5},
    {"kind": "OWNED_BY", "from": "firm:c", "to": "gov:y", "share": 0.5},
    {"kind": "OWNED_BY", "from": "firm:c", "to": "gov:z", "share": 0.5}
  ]
})";

Rows holdings_rows(const std::string& text) {
  static const auto g = testing::load_registry_text("holdings.json", kHoldings);
  return testing::query_rows(*g, text);
}

}  // namespace

TEST_CASE("DISTINCT and grouping tell entities, relations and paths apart by identity",
          "[clauses]") {
  // Two relations with the same ends and kind are two relations, and two paths.
  CHECK(holdings_rows("MATCH (f {id: 'firm:a'})-[r:OWNED_BY]->(g) "
                      "RETURN count(DISTINCT r), count(DISTINCT f), count(DISTINCT g)") ==
        Rows{"2 | 1 | 1"});
  CHECK(holdings_rows("MATCH q = (f {id: 'firm:a'})-[:OWNED_BY]->(g) RETURN count(DISTINCT q)") ==
        Rows{"2"});
  CHECK(holdings_rows("MATCH q = (f {id: 'firm:a'})-[:OWNED_BY]->(g) "
                      "WITH DISTINCT nodes(q) AS n RETURN count(*)") == Rows{"1"});
  CHECK(holdings_rows("MATCH (f:Firm)-[:OWNED_BY]->(g) RETURN g, count(*) AS n ORDER BY g") ==
        Rows{"gov:x | 2", "gov:y | 2", "gov:z | 1"});
  CHECK(holdings_rows("MATCH (f:Firm)-[:OWNED_BY]->(g) WITH DISTINCT f, g "
                      "RETURN f.id, g.id ORDER BY f.id, g.id") ==
        Rows{"firm:a | gov:x", "firm:b | gov:y", "firm:c | gov:y", "firm:c | gov:z"});
}

TEST_CASE("ORDER BY with LIMIT gives the first rows of the whole order, ties in arrival order",
          "[clauses]") {
  for (const std::string tail :
       {"RETURN g.id AS g, count(*) AS n ORDER BY n DESC", "RETURN f.id AS f, g.id AS g ORDER BY g",
        "RETURN r.share AS s, f.id AS f ORDER BY s"}) {
    const std::string query = "MATCH (f:Firm)-[r:OWNED_BY]->(g) " + tail;
    const Rows all = holdings_rows(query);
    REQUIRE(all.size() >= 3);
    for (std::size_t limit = 0; limit <= all.size(); ++limit) {
      INFO(query << " LIMIT " << limit);
      CHECK(holdings_rows(query + " LIMIT " + std::to_string(limit)) ==
            Rows(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(limit)));
      if (limit >= 1) {
        CHECK(holdings_rows(query + " SKIP 1 LIMIT " + std::to_string(limit)) ==
              Rows(all.begin() + 1,
                   all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), limit + 1))));
      }
    }
  }
}

TEST_CASE("DISTINCT and grouping take numbers as ORDER BY does", "[clauses]") {
  // Integers past 2^53 that differ by one are two values; 0, 0.0 and -0.0 are one.
  CHECK(rows("UNWIND [9007199254740992, 9007199254740993, 9007199254740993] AS x "
             "RETURN count(DISTINCT x)") == Rows{"2"});
  CHECK(rows("UNWIND [0, 0.0, -0.0, 1, 1.0] AS x RETURN count(DISTINCT x)") == Rows{"2"});
  CHECK(rows("UNWIND [0.0, -0.0] AS x RETURN x = 0, count(*)") == Rows{"true | 2"});
  // NaN (0.0 / 0.0) sorts after every other number, and is one value.
  CHECK(rows("UNWIND [2.0, 0.0 / 0.0, 1, 0.0 / 0.0, 3.5] AS x RETURN DISTINCT x ORDER BY x") ==
        Rows{"1", "2.0", "3.5", "NaN"});
}

TEST_CASE("SKIP and LIMIT near the largest integer, and LIMIT 0", "[clauses]") {
  const std::string big = "4611686018427387904";
  CHECK(rows("MATCH (c:Municipality) RETURN c.id ORDER BY c.id SKIP " + big + " LIMIT " + big)
            .empty());
  CHECK(rows("MATCH (c:Municipality) RETURN c.id ORDER BY c.id LIMIT 9223372036854775807") ==
        Rows{"mun:ashdod", "mun:eilat", "mun:haifa"});
  CHECK(rows("MATCH (c:Municipality) RETURN c.id SKIP 1 LIMIT 9223372036854775807").size() == 2);
  CHECK(rows("MATCH (c:Municipality) RETURN count(*) LIMIT 0").empty());
  CHECK(rows("MATCH (c:Municipality) RETURN c.id ORDER BY c.id LIMIT 0").empty());
}
