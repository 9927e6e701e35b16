// Relations hold for the period their since and until give: in_force() reads it, and the
// ownership sums count only holdings in force on the as-of date, so a stake sold or one
// agreed for later does not make a firm state-controlled today.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzer/model/date.h"
#include "analyzer/query/query_engine.h"
#include "query_rows.h"

namespace {

using namespace twinscan;

// firm:a is held by the state 0.6 until 2015 (sold), by a person 0.7 since 2016;
// firm:b is held by the state through holding:h, whose own state stake ended in 2020-06;
// firm:c is held by the state from 2030 (agreed, not yet held) and 0.2 with no dates;
// firm:d is held by firm:e in a range only.
constexpr const char* kRegistry = R"({
  "format": "twinscan/1",
  "entities": [
    {"id": "gov:s", "kind": "ForeignGovernment", "name": "State Assets", "country": "CN"},
    {"id": "person:p", "kind": "Person", "name": "P. Buyer"},
    {"id": "firm:a", "kind": "Firm", "name": "A"},
    {"id": "holding:h", "kind": "Firm", "name": "H"},
    {"id": "firm:b", "kind": "Firm", "name": "B"},
    {"id": "firm:c", "kind": "Firm", "name": "C"},
    {"id": "firm:d", "kind": "Firm", "name": "D"},
    {"id": "firm:e", "kind": "Firm", "name": "E"},
    {"id": "mun:m", "kind": "Municipality", "name": "M", "country": "IL"},
    {"id": "city:t", "kind": "ForeignCity", "name": "T", "country": "CN"}
  ],
  "relations": [
    {"kind": "OWNED_BY", "from": "firm:a", "to": "gov:s", "share": 0.6, "until": "2015"},
    {"kind": "OWNED_BY", "from": "firm:a", "to": "person:p", "share": 0.7, "since": "2016"},
    {"kind": "OWNED_BY", "from": "holding:h", "to": "gov:s", "share": 1.0, "until": "2020-06"},
    {"kind": "OWNED_BY", "from": "firm:b", "to": "holding:h", "share": 0.9},
    {"kind": "OWNED_BY", "from": "firm:c", "to": "gov:s", "share": 0.8, "since": "2030-01-01"},
    {"kind": "OWNED_BY", "from": "firm:c", "to": "person:p", "share": 0.2},
    {"kind": "OWNED_BY", "from": "firm:d", "to": "firm:e", "share_min": 0.5, "share_max": 0.75},
    {"kind": "OWNED_BY", "from": "firm:e", "to": "gov:s", "share": 0.8, "share_min": 0.1},
    {"kind": "TWINNED_WITH", "from": "mun:m", "to": "city:t", "since": "2001-05-10", "until": "2012"}
  ]
})";

const model::Graph& graph() {
  static const auto g = testing::load_registry_text("periods.json", kRegistry);
  return *g;
}

std::vector<std::string> rows(const std::string& text, const char* as_of) {
  return testing::query_rows(graph(), text, *model::parse_date(as_of));
}

std::string share(const char* firm, const char* owner, const char* as_of) {
  const auto r = rows(std::string("MATCH (f {id: '") + firm + "'}), (o {id: '" + owner +
                          "'}) RETURN round(effective_share(f, o) * 100)",
                      as_of);
  REQUIRE(r.size() == 1);
  return r[0];
}

std::string owned(const char* firm, const char* as_of) {
  const auto r = rows(std::string("MATCH (f {id: '") + firm +
                          "'}) RETURN round(outgoing_sum(f, 'OWNED_BY', 'share') * 100)",
                      as_of);
  REQUIRE(r.size() == 1);
  return r[0];
}

}  // namespace

TEST_CASE("a stake sold no longer counts, one agreed for later does not count yet", "[periods]") {
  // Before the sale (a year-only until holds for every day of its year) and after it.
  CHECK(share("firm:a", "gov:s", "2015-12-31") == "60.0");
  CHECK(share("firm:a", "gov:s", "2016-01-01") == "0.0");
  CHECK(share("firm:a", "person:p", "2015-12-31") == "0.0");
  CHECK(share("firm:a", "person:p", "2016-01-01") == "70.0");
  // Through a chain: one ended link ends the chain.
  CHECK(share("firm:b", "gov:s", "2020-06-30") == "90.0");
  CHECK(share("firm:b", "gov:s", "2020-07-01") == "0.0");
  // A holding that begins later.
  CHECK(share("firm:c", "gov:s", "2029-12-31") == "0.0");
  CHECK(share("firm:c", "gov:s", "2030-01-01") == "80.0");
  // The owners' shares add up to what is held on the day, not to what was ever recorded.
  CHECK(owned("firm:a", "2015-06-01") == "60.0");
  CHECK(owned("firm:a", "2026-11-22") == "70.0");
  CHECK(owned("firm:c", "2026-11-22") == "20.0");
  CHECK(owned("firm:c", "2031-01-01") == "100.0");
}

TEST_CASE("in_force() reads a relation's period on the as-of date or within a date's period",
          "[periods]") {
  const std::string q = "MATCH (:Municipality)-[t:TWINNED_WITH]-() RETURN in_force(t)";
  CHECK(rows(q, "2001-05-09") == std::vector<std::string>{"false"});
  CHECK(rows(q, "2001-05-10") == std::vector<std::string>{"true"});
  CHECK(rows(q, "2012-12-31") == std::vector<std::string>{"true"});
  CHECK(rows(q, "2013-01-01") == std::vector<std::string>{"false"});
  // A date's period overlaps the relation's: some day of 2001 and of 2012 had the tie.
  const std::string in =
      "MATCH (:Municipality)-[t:TWINNED_WITH]-() RETURN in_force(t, '2001'), "
      "in_force(t, '2001-04'), in_force(t, '2012'), in_force(t, '2013'), "
      "in_force(t, null)";
  CHECK(rows(in, "2026-11-22") == std::vector<std::string>{"true | false | true | false | null"});
  // Relations without dates always hold.
  CHECK(rows("MATCH (f {id: 'firm:b'})-[r:OWNED_BY]->() RETURN in_force(r)", "1900-01-01") ==
        std::vector<std::string>{"true"});
}

TEST_CASE("in_force() of something other than a relation is an error that names it", "[periods]") {
  std::vector<query::QueryMessage> messages;
  query::CompileOptions options;
  options.require_return = true;
  const auto compiled = query::prepare_query("MATCH (m:Municipality) RETURN in_force(m)", graph(),
                                             {}, options, messages);
  REQUIRE(compiled);
  CHECK_THROWS_WITH(query::run_query(graph(), *compiled, {graph(), {2026, 11, 22}}),
                    Catch::Contains("in_force() takes a relation; got a"));
}

TEST_CASE("a share given only as a range counts at its declared lower bound", "[periods]") {
  // firm:d is 50..75 % held by firm:e, itself 80 % held by the state: the chain counts at
  // 0.5 * 0.8; a given share wins over the range's bound.
  CHECK(share("firm:d", "firm:e", "2026-11-22") == "50.0");
  CHECK(share("firm:d", "gov:s", "2026-11-22") == "40.0");
  CHECK(owned("firm:d", "2026-11-22") == "50.0");
  CHECK(owned("firm:e", "2026-11-22") == "80.0");
}
