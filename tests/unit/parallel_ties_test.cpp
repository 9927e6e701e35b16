// A tie stated by many parallel relations (one twinning recorded again and again) is
// read once per pair of entities in a run, not once per relation: every match of the
// pattern gets the same statements it would get alone.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/unit/query_rows.h"

namespace twinscan {
namespace {

// mun:a and city:x twinned by `n` parallel relations, the first ending in 2015; mun:a and
// city:y by one.
std::string parallel_ties(int n) {
  std::string relations =
      R"({"kind": "TWINNED_WITH", "from": "mun:a", "to": "city:x", "until": "2015"},)"
      R"({"kind": "TWINNED_WITH", "from": "mun:a", "to": "city:y", "since": "2001"})";
  for (int i = 1; i < n; ++i)
    relations += R"(,{"kind": "TWINNED_WITH", "from": "mun:a", "to": "city:x"})";
  return R"({"format": "twinscan/1", "source": {"id": "mfa", "name": "Ministry"},
    "entities": [
      {"id": "mun:a", "kind": "Municipality", "name": "A", "country": "IL"},
      {"id": "city:x", "kind": "ForeignCity", "name": "X", "country": "CN"},
      {"id": "city:y", "kind": "ForeignCity", "name": "Y", "country": "CN"}],
    "relations": [)" +
         relations + "]}";
}

}  // namespace

TEST_CASE("each relation of a tie stated many times reads the tie's own statements", "[ties]") {
  const auto g = testing::load_registry_text("parallel.json", parallel_ties(500));
  const auto rows =
      testing::query_rows(*g,
                          "MATCH (m:Municipality)-[:TWINNED_WITH]-(c:ForeignCity) "
                          "RETURN c.id, size(tie_sources(m, c)), size(tie_ended_in(m, c)), "
                          "size(tie_disagreements(m, c)) ORDER BY c.id");
  REQUIRE(rows.size() == 501);
  // Every one of the 500 relations to city:x, and the one to city:y, answers alike.
  for (std::size_t i = 0; i < 500; ++i) CHECK(rows[i] == "city:x | 1 | 1 | 0");
  CHECK(rows[500] == "city:y | 1 | 0 | 0");
}

}  // namespace twinscan
