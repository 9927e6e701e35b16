#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/history/registry_diff.h"
#include "analyzer/history/timeline.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"

using twinscan::diag::Diagnostics;
using twinscan::diag::SourceText;
using twinscan::model::Graph;
namespace history = twinscan::history;

namespace {

std::shared_ptr<const Graph> load(const std::vector<std::string>& texts) {
  Diagnostics diagnostics;
  bool missing = false;
  const auto schema = twinscan::io::load_schema({}, diagnostics, missing);
  twinscan::io::RegistryLoader loader(schema, diagnostics);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    loader.add_source(SourceText("doc" + std::to_string(i) + ".json", texts[i]));
  }
  auto graph = loader.finish();
  return graph;
}

const std::string kBase = R"({"format": "twinscan/1", "source": {"id": "reg"}, "entities": [
    {"id": "m", "kind": "Municipality", "name": "M", "country": "IL",
     "location": {"lat": 31.8, "lon": 34.6}, "aliases": ["Em", "Emm"]},
    {"id": "c", "kind": "ForeignCity", "name": "C", "country": "CN", "population": 5},
    {"id": "a", "kind": "Agreement", "type": "mou", "signed_on": "2019-04"},
    {"id": "b", "kind": "Agreement", "type": "mou", "signed_on": "2019"},
    {"id": "d", "kind": "Agreement", "type": "mou", "signed_on": "2019-04-17"}],
   "relations": [
    {"kind": "TWINNED_WITH", "from": "m", "to": "c", "since": "2012"},
    {"kind": "PARTY_TO", "from": "m", "to": "a"},
    {"kind": "PARTY_TO", "from": "m", "to": "b"},
    {"kind": "PARTY_TO", "from": "m", "to": "d"}]})";

}  // namespace

TEST_CASE("timeline: partial dates keep their precision and sort before their period's fuller",
          "[history]") {
  const auto g = load({kBase});
  REQUIRE(g);
  const auto t = history::entity_timeline(*g, *g->find("m"));
  std::vector<std::string> dates;
  for (const auto& e : t.events) dates.push_back(e.date.to_string());
  CHECK(dates == std::vector<std::string>{"2012", "2019", "2019-04", "2019-04-17"});
  CHECK(t.events[0].kind == "twinned");
  CHECK(t.events[1].kind == "agreement signed");
  CHECK(t.events[1].sources == std::vector<std::string>{"reg"});
}

TEST_CASE("diff: the same registry is no change; every kind of value compared across pools",
          "[history]") {
  const auto a = load({kBase});
  const auto b = load({kBase});
  REQUIRE(a);
  REQUIRE(b);
  CHECK(history::diff_registries(*a, *b).empty());

  // Each value type changed once: a list element, a location, an int, a date.
  std::string changed = kBase;
  auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = changed.find(from);
    REQUIRE(at != std::string::npos);
    changed.replace(at, from.size(), to);
  };
  replace(R"(["Em", "Emm"])", R"(["Em", "Emma"])");
  replace(R"("lon": 34.6)", R"("lon": 34.7)");
  replace(R"("population": 5)", R"("population": 6)");
  replace(R"("since": "2012")", R"("since": "2012-05")");
  const auto c = load({changed});
  REQUIRE(c);
  const auto d = history::diff_registries(*a, *c);
  CHECK(d.added_entities.empty());
  CHECK(d.removed_relations.empty());
  std::vector<std::string> keys;
  for (const auto& ch : d.changes) keys.emplace_back(c->str(ch.new_value->key));
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"aliases", "location", "population", "since"});
}
