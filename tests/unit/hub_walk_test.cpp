// A hub (one municipality party to thousands of agreements) is not walked once per
// partner: an EXISTS joining two outer entities starts from the one with fewer
// relations, and a relation between two bound entities is found by binary search. Both
// must give the answers, and the order of relations, that walking from the hub gives.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzer/query/planner.h"
#include "tests/unit/query_rows.h"

namespace twinscan {
namespace {

// mun:hub is party to `n` agreements, each with one foreign city; city i also twins with
// the hub when i % 3 == 0, and with mun:small when i % 5 == 0. Cities 0 and 1 hold
// several relations of both directions with the hub (parallel relations).
std::string hub_registry(int n) {
  std::string text =
      R"({"format": "twinscan/1", "entities": [)"
      R"({"id": "mun:hub", "kind": "Municipality", "name": "Hub", "country": "IL"},)"
      R"({"id": "mun:small", "kind": "Municipality", "name": "Small", "country": "IL"})";
  std::string relations;
  auto relation = [&](const std::string& id, const std::string& kind, const std::string& from,
                      const std::string& to) {
    relations += std::string(relations.empty() ? "" : ",") + R"({"id": ")" + id +
                 R"(", "kind": ")" + kind + R"(", "from": ")" + from + R"(", "to": ")" + to +
                 R"("})";
  };
  for (int i = 0; i < n; ++i) {
    const std::string city = "city:" + std::to_string(i);
    const std::string agreement = "agr:" + std::to_string(i);
    text += R"(,{"id": ")" + city + R"(", "kind": "ForeignCity", "name": "City )" +
            std::to_string(i) + R"(", "country": "CN"})";
    text += R"(,{"id": ")" + agreement + R"(", "kind": "Agreement", "name": "MoU )" +
            std::to_string(i) + R"("})";
    relation("p" + std::to_string(i), "PARTY_TO", "mun:hub", agreement);
    relation("q" + std::to_string(i), "PARTY_TO", city, agreement);
    if (i % 3 == 0) relation("t" + std::to_string(i), "TWINNED_WITH", "mun:hub", city);
    if (i % 5 == 0) relation("s" + std::to_string(i), "TWINNED_WITH", "mun:small", city);
  }
  relation("t0-back", "TWINNED_WITH", "city:0", "mun:hub");
  relation("t0-again", "TWINNED_WITH", "mun:hub", "city:0");
  relation("t1-back", "TWINNED_WITH", "city:1", "mun:hub");
  return text + R"(], "relations": [)" + relations + "]}";
}

}  // namespace

TEST_CASE("an EXISTS joining a hub and its partner starts from the partner and answers alike",
          "[query][hub]") {
  const auto graph = testing::load_registry_text("hub.json", hub_registry(400));
  const std::string with_exists =
      "MATCH (m:Municipality), (c:ForeignCity) "
      "WHERE EXISTS { (m)-[:PARTY_TO]->(:Agreement)<-[:PARTY_TO]-(c) } "
      "AND EXISTS { (m)-[:TWINNED_WITH]-(c) } RETURN m.id, c.id ORDER BY m.id, c.id";
  const std::string as_join =
      "MATCH (m:Municipality)-[:PARTY_TO]->(:Agreement)<-[:PARTY_TO]-(c:ForeignCity), "
      "(m)-[:TWINNED_WITH]-(c) RETURN DISTINCT m.id, c.id ORDER BY m.id, c.id";
  const auto by_exists = testing::query_rows(*graph, with_exists);
  CHECK(by_exists.size() == 135);  // the hub's partners it twins with: 0, 1, 3, 6, …, 399
  CHECK(by_exists == testing::query_rows(*graph, as_join));
  const std::string plan = testing::query_plan(*graph, with_exists);
  INFO(plan);
  CHECK(plan.find("or, when c has fewer relations to walk than m:") != std::string::npos);
}

TEST_CASE("relations between two bound entities come in the order walking from one gives",
          "[query][hub]") {
  const auto graph = testing::load_registry_text("hub.json", hub_registry(400));
  for (const std::string city : {"city:0", "city:1", "city:3", "city:5"}) {
    for (const std::string arrow : {"-[r]-", "-[r]->", "<-[r]-", "-[r:TWINNED_WITH]-"}) {
      INFO(city << " " << arrow);
      // Both ends looked up first: the relation is checked between them.
      const auto checked =
          testing::query_rows(*graph, "MATCH (m {id: 'mun:hub'}), (c {id: '" + city +
                                          "'}) MATCH (m)" + arrow + "(c) RETURN r.id");
      // The hub walked, its far ends filtered afterwards.
      const auto walked =
          testing::query_rows(*graph, "MATCH (m {id: 'mun:hub'})" + arrow +
                                          "(c) WITH r, c WHERE c.id = '" + city + "' RETURN r.id");
      CHECK(checked == walked);
      if (city == "city:0" && arrow == "-[r]-") CHECK(checked.size() == 3);
    }
  }
}

TEST_CASE("the state of a tie at a hub is read from the relations between the two alone",
          "[query][hub]") {
  const auto graph = testing::load_registry_text("hub.json", hub_registry(400));
  CHECK(testing::query_rows(*graph,
                            "MATCH (m {id: 'mun:hub'}), (c {id: 'city:0'}) "
                            "RETURN size(tie_sources(m, c))") == std::vector<std::string>{"1"});
  CHECK(testing::query_rows(*graph,
                            "MATCH (m {id: 'mun:hub'}), (c {id: 'city:2'}) "
                            "RETURN size(tie_sources(m, c))") == std::vector<std::string>{"0"});
}

}  // namespace twinscan
