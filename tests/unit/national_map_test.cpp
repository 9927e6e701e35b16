// The national map (analyzer/reconcile): which ties each source is held to, the issues
// of each tie, and the writers' escaping.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/engine/registry.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/reconcile/map_writers.h"
#include "analyzer/reconcile/national_map.h"

namespace {

using namespace twinscan;
using reconcile::IssueKind;
using reconcile::NationalMap;
using reconcile::Tie;

const std::string kRoot = TWINSCAN_SOURCE_DIR;
const std::string kData = kRoot + "/tests/data/national-map-reconcile";
const model::Date kAsOf{2024, 6, 1};

/// The test registry of tests/data/national-map-reconcile, its ids joined by judgements.
const engine::Registry& test_registry() {
  static const std::optional<engine::Registry> registry = [] {
    diag::Diagnostics d;
    engine::RegistrySpec spec;
    spec.paths = {kData + "/registry"};
    spec.judgements = kData + "/judgements.json";
    auto r = engine::Registry::open(spec, d);
    REQUIRE(r);
    return r;
  }();
  return *registry;
}

/// Loads documents (name, text) in order with the built-in schema.
std::shared_ptr<const model::Graph> load(
    const std::vector<std::pair<std::string, std::string>>& documents) {
  diag::Diagnostics diagnostics;
  bool missing = false;
  auto schema = io::load_schema({}, diagnostics, missing);
  REQUIRE(schema);
  io::RegistryLoader loader(schema, diagnostics);
  for (const auto& [name, text] : documents) loader.add_source(diag::SourceText(name, text));
  auto graph = loader.finish();
  REQUIRE(graph);
  REQUIRE_FALSE(diagnostics.has_errors());
  return graph;
}

std::uint32_t source_index(const model::Graph& g, const std::string& id) {
  for (std::uint32_t s = 0; s < g.sources().size(); ++s) {
    if (g.sources()[s].id == id) return s;
  }
  FAIL("no source " << id);
  return 0;
}

model::VertexId vertex(const model::Graph& g, const std::string& id) {
  const auto v = g.find(id);
  REQUIRE(v);
  return *v;
}

/// Whether source `source` is held to the tie between `m` and `c`.
bool held(const model::Graph& g, const std::string& source, const std::string& m,
          const std::string& c) {
  const auto scopes = reconcile::source_scopes(g);
  return reconcile::covers(g, scopes[source_index(g, source)], vertex(g, m), vertex(g, c));
}

const Tie& tie_of(const model::Graph& g, const NationalMap& map, const std::string& m,
                  const std::string& c) {
  for (const auto& t : map.ties) {
    if (g.id(t.municipality) == m && g.id(t.counterpart) == c) return t;
  }
  FAIL("no tie " << m << " - " << c);
  return map.ties.front();
}

/// The issues of a tie in plain words.
std::vector<std::string> issues(const model::Graph& g, const NationalMap& map, const Tie& t) {
  std::vector<std::string> out;
  for (const auto& i : t.issues) out.push_back(reconcile::describe_issue(g, map, i));
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("registers and lists of local authorities are held to every tie") {
  const auto& g = test_registry().graph();
  for (const char* source : {"mfa", "ulai"}) {
    CHECK(held(g, source, "mun:hamburg", "cn:ningbo"));
    CHECK(held(g, source, "mun:leipzig", "city:lyon"));
    CHECK(held(g, source, "mun:kiel", "city:coventry"));
  }
}

TEST_CASE("a foreign-side source is held only to ties with cities of its own countries") {
  const auto& g = test_registry().graph();
  CHECK(held(g, "cn", "mun:kiel", "city:qingdao"));
  CHECK(held(g, "cn", "mun:hamburg", "city:shanghai"));
  CHECK_FALSE(held(g, "cn", "mun:leipzig", "city:lyon"));   // France
  CHECK_FALSE(held(g, "cn", "mun:kiel", "city:coventry"));  // Great Britain
  const auto scopes = reconcile::source_scopes(g);
  CHECK(scopes[source_index(g, "cn")].countries == std::set<std::string>{"CN"});
}

TEST_CASE("a municipality source is held to its own municipalities' ties, not another's") {
  const auto& g = test_registry().graph();
  CHECK(held(g, "kiel", "mun:kiel", "city:coventry"));
  CHECK_FALSE(held(g, "kiel", "mun:hamburg", "city:shanghai"));
  CHECK_FALSE(held(g, "kiel", "mun:leipzig", "ulai:0101"));
}

TEST_CASE("a municipality source speaks for the ends of the ties it states") {
  // The town's document states the tie but defines no entity of its own.
  const auto g = load({
      {"register.json",
       R"({"format": "twinscan/1", "source": {"id": "reg", "role": "national-register"},
        "entities": [
          {"id": "m:a", "kind": "Municipality", "name": "A", "country": "DE"},
          {"id": "m:b", "kind": "Municipality", "name": "B", "country": "DE"},
          {"id": "c:x", "kind": "ForeignCity", "name": "X", "country": "FR"},
          {"id": "c:y", "kind": "ForeignCity", "name": "Y", "country": "FR"}],
        "relations": [
          {"kind": "TWINNED_WITH", "from": "m:a", "to": "c:x"},
          {"kind": "TWINNED_WITH", "from": "m:a", "to": "c:y"},
          {"kind": "TWINNED_WITH", "from": "m:b", "to": "c:y"}]})"},
      {"town-a.json", R"({"format": "twinscan/1", "source": {"id": "a", "role": "municipality"},
        "entities": [], "relations": [{"kind": "TWINNED_WITH", "from": "m:a", "to": "c:x"}]})"},
  });
  CHECK(held(*g, "a", "m:a", "c:y"));
  CHECK_FALSE(held(*g, "a", "m:b", "c:y"));
  const auto map = reconcile::build_national_map(*g, kAsOf);
  CHECK(issues(*g, map, tie_of(*g, map, "m:a", "c:y")) == Lines{"missing from a (municipality)"});
  CHECK(tie_of(*g, map, "m:b", "c:y").issues.empty());
}

TEST_CASE("a source that lists no ties, and a partial source, are held to none") {
  const auto g = load({
      {"register.json",
       R"({"format": "twinscan/1", "source": {"id": "reg", "role": "national-register"},
        "entities": [
          {"id": "m:a", "kind": "Municipality", "name": "A", "country": "DE"},
          {"id": "c:x", "kind": "ForeignCity", "name": "X", "country": "CN"},
          {"id": "c:y", "kind": "ForeignCity", "name": "Y", "country": "CN"}],
        "relations": [{"kind": "TWINNED_WITH", "from": "m:a", "to": "c:x"}]})"},
      // A national register that states entities but no tie: not a tie list.
      {"gazetteer.json",
       R"({"format": "twinscan/1", "source": {"id": "gaz", "role": "national-register"},
        "entities": [{"id": "m:a", "kind": "Municipality", "name": "A", "country": "DE"}]})"},
      // A report is partial by nature, even when it states a tie.
      {"report.json", R"({"format": "twinscan/1", "source": {"id": "rep", "role": "public-report"},
        "entities": [], "relations": [{"kind": "TWINNED_WITH", "from": "m:a", "to": "c:y"}]})"},
  });
  const auto scopes = reconcile::source_scopes(*g);
  CHECK_FALSE(scopes[source_index(*g, "gaz")].lists_ties);
  CHECK(scopes[source_index(*g, "rep")].lists_ties);
  CHECK_FALSE(held(*g, "gaz", "m:a", "c:x"));
  CHECK_FALSE(held(*g, "rep", "m:a", "c:x"));
  const auto map = reconcile::build_national_map(*g, kAsOf);
  CHECK(tie_of(*g, map, "m:a", "c:x").issues.empty());
  CHECK(issues(*g, map, tie_of(*g, map, "m:a", "c:y")) ==
        Lines{"missing from reg (national-register)"});
  CHECK(reconcile::describe_scope(*g, g->sources()[source_index(*g, "gaz")],
                                  scopes[source_index(*g, "gaz")]) == "none: lists no ties");
  CHECK(reconcile::describe_scope(*g, g->sources()[source_index(*g, "rep")],
                                  scopes[source_index(*g, "rep")]) ==
        "none: partial by nature (public-report)");
}

TEST_CASE("a tie only the foreign side knows is missing from the register and the union") {
  const auto& g = test_registry().graph();
  const auto map = reconcile::build_national_map(g, kAsOf);
  const Tie& t = tie_of(g, map, "mun:hamburg", "cn:ningbo");
  REQUIRE(t.statements.size() == 1);
  CHECK(g.sources()[t.statements[0].source].id == "cn");
  CHECK(issues(g, map, t) ==
        Lines{"missing from mfa (national-register)", "missing from ulai (local-authorities)"});
}

TEST_CASE("the national map lists each tie once, with its issues, and counts foreign ties") {
  const auto& g = test_registry().graph();
  const auto map = reconcile::build_national_map(g, kAsOf);
  Lines listed;
  for (const auto& t : map.ties)
    listed.push_back(std::string(g.id(t.municipality)) + " " + std::string(g.id(t.counterpart)));
  CHECK(listed == Lines{"mun:hamburg city:shanghai", "mun:hamburg cn:ningbo", "mun:kiel city:brest",
                        "mun:kiel city:coventry", "mun:kiel city:qingdao", "mun:leipzig city:lyon",
                        "mun:leipzig ulai:0101"});
  CHECK(tie_of(g, map, "mun:hamburg", "city:shanghai").issues.empty());
  CHECK(issues(g, map, tie_of(g, map, "mun:leipzig", "ulai:0101")) ==
        Lines{"missing from mfa (national-register)"});
  CHECK(issues(g, map, tie_of(g, map, "mun:kiel", "city:qingdao")) ==
        Lines{"since: 1993 (mfa, ulai, kiel) vs 1994 (cn)"});
  const Tie& brest = tie_of(g, map, "mun:kiel", "city:brest");
  REQUIRE(brest.issues.size() == 1);
  CHECK(brest.issues[0].kind == IssueKind::kEndedAndActive);
  CHECK(issues(g, map, brest) ==
        Lines{"ended by 2024-06-01 according to mfa; still active according to ulai, kiel"});
  CHECK(map.summary.ties == 7);
  CHECK(map.summary.ties_with_issues == 5);
  CHECK(map.summary.missing_from == 5);
  CHECK(map.summary.disagree == 1);
  CHECK(map.summary.ended_and_active == 1);
  CHECK(map.summary.foreign_ties == 1);
}

TEST_CASE("a tie that ends after the as-of date is not ended-and-active") {
  const auto& g = test_registry().graph();
  const auto map = reconcile::build_national_map(g, model::Date{2019, 6, 1});
  CHECK(tie_of(g, map, "mun:kiel", "city:brest").issues.empty());
}

TEST_CASE("a tie declared by both sides is one tie stated by both") {
  const auto g = load({
      {"ours.json",
       R"({"format": "twinscan/1", "source": {"id": "ours", "role": "national-register"},
        "entities": [
          {"id": "m:a", "kind": "Municipality", "name": "A", "country": "DE"},
          {"id": "c:x", "kind": "ForeignCity", "name": "X", "country": "CN"}],
        "relations": [{"kind": "TWINNED_WITH", "from": "m:a", "to": "c:x", "since": "2001"}]})"},
      {"theirs.json",
       R"({"format": "twinscan/1", "source": {"id": "theirs", "role": "foreign-side"},
        "entities": [], "relations": [{"kind": "TWINNED_WITH", "from": "c:x", "to": "m:a", "since": "2002"}]})"},
  });
  const auto map = reconcile::build_national_map(*g, kAsOf);
  REQUIRE(map.ties.size() == 1);
  CHECK(map.ties[0].statements.size() == 2);
  CHECK(issues(*g, map, map.ties[0]) == Lines{"since: 2001 (ours) vs 2002 (theirs)"});
}

TEST_CASE("the HTML map escapes registry text and has the filters") {
  const auto g = load({
      {"register.json", R"({"format": "twinscan/1",
        "source": {"id": "reg", "role": "national-register", "name": "Reg & <b>Co</b>"},
        "entities": [
          {"id": "m:a", "kind": "Municipality", "name": "<script>alert(1)</script>", "country": "DE"},
          {"id": "c:x\"><img src=x>", "kind": "ForeignCity", "name": "X", "country": "CN"}],
        "relations": [{"kind": "TWINNED_WITH", "from": "m:a", "to": "c:x\"><img src=x>"}]})"},
  });
  const auto map = reconcile::build_national_map(*g, kAsOf);
  const std::string html = reconcile::render(*g, map, "html");
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("c:x&quot;&gt;&lt;img src=x&gt;") != std::string::npos);
  CHECK(html.find("Reg &amp; &lt;b&gt;Co&lt;/b&gt;") != std::string::npos);
  // The filters, and nothing fetched from elsewhere.
  CHECK(html.find("<select id=\"filter-municipality\">") != std::string::npos);
  CHECK(html.find("<select id=\"filter-source\">") != std::string::npos);
  CHECK(html.find("<select id=\"filter-issue\">") != std::string::npos);
  CHECK(html.find("<option value=\"missing-from\">") != std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  // One script element: the page's own, inline.
  CHECK(html.find("<script>") == html.rfind("<script>"));
  CHECK(html.find("<script>") != std::string::npos);
}

TEST_CASE("the CSV map quotes fields per RFC 4180") {
  const auto g = load({
      {"register.json",
       R"({"format": "twinscan/1", "source": {"id": "reg, \"main\"", "role": "national-register"},
        "entities": [
          {"id": "m:a", "kind": "Municipality", "name": "A", "country": "DE"},
          {"id": "c:x", "kind": "ForeignCity", "name": "X", "country": "CN"}],
        "relations": [{"kind": "TWINNED_WITH", "from": "m:a", "to": "c:x", "since": "2001-05"}]})"},
  });
  const auto map = reconcile::build_national_map(*g, kAsOf);
  CHECK(reconcile::render(*g, map, "csv") ==
        "municipality,counterpart,source,role,since,until,status,issues,state\r\n"
        "m:a,c:x,\"reg, \"\"main\"\"\",national-register,2001-05,,,,active\r\n");
}
