#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/explore/entity_lookup.h"
#include "analyzer/explore/graph_metrics.h"
#include "analyzer/explore/shortest_paths.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"

using twinscan::diag::Diagnostics;
using twinscan::diag::SourceText;
using twinscan::model::Graph;
using twinscan::model::VertexId;
namespace explore = twinscan::explore;

namespace {

// Cities a..f: a diamond a-b-d, a-c-d (a-b twice, the second the other way), then d-e,
// and f alone; "Haifa" names two cities, "Tel Aviv" is an alias, "上海" a name.
std::shared_ptr<const Graph> diamond() {
  const std::string text = R"({"format": "twinscan/1", "entities": [
    {"id": "a", "kind": "ForeignCity", "name": "Haifa"},
    {"id": "b", "kind": "ForeignCity", "name": "Haifa"},
    {"id": "c", "kind": "ForeignCity", "name": "Zürich"},
    {"id": "d", "kind": "ForeignCity", "name": "Tel Aviv-Yafo", "aliases": ["Tel Aviv"]},
    {"id": "e", "kind": "ForeignCity", "name": "上海"},
    {"id": "f", "kind": "ForeignCity", "name": "Tel Aviv"}],
   "relations": [
    {"id": "r1", "kind": "TWINNED_WITH", "from": "a", "to": "b"},
    {"id": "r2", "kind": "TWINNED_WITH", "from": "b", "to": "a"},
    {"id": "r3", "kind": "TWINNED_WITH", "from": "a", "to": "c"},
    {"id": "r4", "kind": "TWINNED_WITH", "from": "b", "to": "d"},
    {"id": "r5", "kind": "TWINNED_WITH", "from": "c", "to": "d"},
    {"id": "r6", "kind": "TWINNED_WITH", "from": "e", "to": "d"}]})";
  Diagnostics diagnostics;
  bool missing = false;
  const auto schema = twinscan::io::load_schema({}, diagnostics, missing);
  twinscan::io::RegistryLoader loader(schema, diagnostics);
  loader.add_source(SourceText("diamond.json", text));
  return loader.finish();
}

std::vector<std::string> ids(const Graph& g, const explore::Path& p) {
  std::vector<std::string> out;
  for (const auto v : p.vertices) out.emplace_back(g.id(v));
  return out;
}

}  // namespace

TEST_CASE("entity lookup: id, folded name, alias, transliteration; ambiguity and none are errors",
          "[explore]") {
  const auto graph = diamond();
  REQUIRE(graph);
  const Graph& g = *graph;
  Diagnostics d;
  CHECK(g.id(*explore::lookup_entity(g, "c", "X", d)) == "c");
  CHECK(g.id(*explore::lookup_entity(g, "ZURICH", "X", d)) == "c");
  // A name beats an alias: "Tel Aviv" is f's name and d's alias.
  CHECK(g.id(*explore::lookup_entity(g, "tel-aviv", "X", d)) == "f");
  CHECK(g.id(*explore::lookup_entity(g, "Shanghai", "X", d)) == "e");
  CHECK_FALSE(d.has_errors());
  CHECK_FALSE(explore::lookup_entity(g, "Haifa", "FROM", d));
  REQUIRE(d.all().size() == 1);
  CHECK(d.all()[0].message.find("ambiguous; it matches a (ForeignCity, 'Haifa'); b "
                                "(ForeignCity, 'Haifa')") != std::string::npos);
  CHECK_FALSE(explore::lookup_entity(g, "Tel Avib-Yafo", "TO", d));
  CHECK(d.all().back().message.find("did you mean 'Tel Aviv-Yafo'") != std::string::npos);
}

TEST_CASE("shortest paths: every shortest path, parallel relations as one hop, direction, limits",
          "[explore]") {
  const auto graph = diamond();
  REQUIRE(graph);
  const Graph& g = *graph;
  const VertexId a = *g.find("a"), d = *g.find("d"), e = *g.find("e"), f = *g.find("f");
  explore::PathOptions all;
  all.max_paths = 10;
  auto r = explore::shortest_paths(g, a, e, all);
  REQUIRE(r.status == explore::PathResult::Status::kFound);
  CHECK(r.length == 3);
  REQUIRE(r.paths.size() == 2);
  CHECK(ids(g, r.paths[0]) == std::vector<std::string>{"a", "b", "d", "e"});
  CHECK(ids(g, r.paths[1]) == std::vector<std::string>{"a", "c", "d", "e"});
  CHECK(r.paths[0].hops[0].size() == 2);  // r1 and r2
  CHECK_FALSE(r.capped);

  all.max_paths = 1;
  r = explore::shortest_paths(g, a, e, all);
  CHECK(r.paths.size() == 1);

  explore::PathOptions directed;
  directed.directed = true;
  CHECK(explore::shortest_paths(g, a, e, directed).status == explore::PathResult::Status::kNone);
  r = explore::shortest_paths(g, a, d, directed);
  CHECK(r.length == 2);
  CHECK(r.paths[0].hops[0].size() == 1);  // only r1 runs from a to b

  explore::PathOptions short_hops;
  short_hops.max_hops = 2;
  CHECK(explore::shortest_paths(g, a, e, short_hops).status == explore::PathResult::Status::kNone);
  CHECK(explore::shortest_paths(g, a, f, {}).status == explore::PathResult::Status::kNone);
  CHECK(explore::shortest_paths(g, a, a, {}).length == 0);
}

TEST_CASE("metrics: degree counts parallel relations, components, exact betweenness of a diamond",
          "[explore]") {
  const auto graph = diamond();
  REQUIRE(graph);
  const Graph& g = *graph;
  explore::MetricsOptions o;
  const auto m = explore::compute_metrics(g, o);
  REQUIRE(m.vertices.size() == 6);
  CHECK(m.degree[0] == 3);  // a: r1, r2, r3
  CHECK(m.component_sizes == std::vector<std::size_t>{5, 1});
  CHECK(m.component[5] == 1);
  // d lies on every shortest path from e to a, b and c (3 pairs) and on half of b-c's:
  // 3.5 over (n-1)(n-2)/2 = 10 pairs.
  CHECK(m.betweenness[3] == Approx(3.5 / 10.0));
  double sum = 0;
  for (const auto p : m.pagerank) sum += p;
  CHECK(sum == Approx(1.0).epsilon(1e-6));
}
