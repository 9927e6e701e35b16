// Relations of one kind and ends found by grouping them by their ends: the same runs, in
// the same order, as a reference that keys every relation by its group, kind and far end.

#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "analyzer/model/relation_runs.h"

namespace {

using twinscan::model::GraphArrays;
using twinscan::model::kNoVertex;
using twinscan::model::RelationId;
using twinscan::model::VertexId;

}  // namespace

TEST_CASE("relations are found in runs of one kind and ends, in load order", "[relation-runs]") {
  for (std::uint32_t seed = 1; seed <= 100; ++seed) {
    std::mt19937 random(seed);
    GraphArrays g;
    const std::uint32_t vertices = 1 + random() % 12;
    for (std::uint32_t v = 0; v < vertices; ++v) g.entity_kind.push_back(0);
    const std::uint32_t relations = random() % 200;
    std::vector<bool> included(relations), in_request(relations);
    for (RelationId r = 0; r < relations; ++r) {
      g.relation_kind.push_back(static_cast<std::uint16_t>(random() % 3));
      // Now and then an end left unresolved.
      g.relation_from.push_back(random() % 20 == 0 ? kNoVertex : random() % vertices);
      g.relation_to.push_back(random() % 20 == 0 ? kNoVertex : random() % vertices);
      included[r] = random() % 4 != 0;
      in_request[r] = random() % 5 == 0;
    }
    const RelationId first = relations == 0 ? 0 : random() % (relations / 2 + 1);
    auto far_end = [&](RelationId r) {
      return in_request[r] ? ~g.relation_to[r] : g.relation_to[r];
    };

    // The reference: runs keyed by (group of the from end, kind, far end), each in load
    // order.
    std::map<std::tuple<std::uint32_t, std::uint16_t, VertexId>, std::vector<RelationId>> want;
    for (RelationId r = first; r < relations; ++r) {
      if (!included[r]) continue;
      const std::uint32_t group = g.relation_from[r] < vertices ? g.relation_from[r] : vertices;
      want[{group, g.relation_kind[r], far_end(r)}].push_back(r);
    }

    std::vector<std::vector<RelationId>> got;
    twinscan::model::for_each_run_of_one_kind_and_ends(
        g, first, relations, [&](RelationId r) { return static_cast<bool>(included[r]); }, far_end,
        [&](std::span<const RelationId> run) { got.emplace_back(run.begin(), run.end()); });

    INFO("seed " << seed);
    REQUIRE(got.size() == want.size());
    std::size_t i = 0;
    for (const auto& [key, run] : want) CHECK(got[i++] == run);
  }
}
