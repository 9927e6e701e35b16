#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/model/graph.h"
#include "analyzer/util/output_target.h"
#include "scratch_folder.h"

using twinscan::diag::Diagnostics;
using twinscan::diag::Severity;
using twinscan::diag::SourceText;
using twinscan::io::RegistryLoader;
using twinscan::model::Date;
using twinscan::model::Graph;
using twinscan::model::RelationId;
using twinscan::model::Schema;
using twinscan::model::Value;
using twinscan::model::ValueType;
using twinscan::model::VertexId;
using Lines = std::vector<std::string>;

namespace {

std::shared_ptr<const Schema> builtin_schema() {
  static const std::shared_ptr<const Schema> schema = [] {
    Diagnostics diagnostics;
    bool missing = false;
    auto s = twinscan::io::load_schema({}, diagnostics, missing);
    REQUIRE(s);
    return s;
  }();
  return schema;
}

struct Loaded {
  std::shared_ptr<const Graph> graph;
  Lines errors;    // every error, as printed
  Lines warnings;  // every warning, as printed
};

/// Loads documents (name, text) in order with the built-in schema.
Loaded load(const std::vector<std::pair<std::string, std::string>>& documents) {
  Diagnostics diagnostics;
  RegistryLoader loader(builtin_schema(), diagnostics);
  for (const auto& [name, text] : documents) loader.add_source(SourceText(name, text));
  Loaded out;
  out.graph = loader.finish();
  for (const auto& d : diagnostics.all()) {
    (d.severity == Severity::kError ? out.errors : out.warnings).push_back(d.to_string());
  }
  CHECK(loader.document_count() == documents.size());
  return out;
}

/// Errors of loading one document named "bad.json"; the load must fail.
Lines errors_of(const std::string& text) {
  const Loaded loaded = load({{"bad.json", text}});
  CHECK(loaded.graph == nullptr);
  return loaded.errors;
}

/// A registry document around the given entity and relation lines.
std::string document(const std::string& entities, const std::string& relations = "") {
  return "{\"format\": \"twinscan/1\",\n"
         "\"entities\": [\n" +
         entities +
         "\n],\n"
         "\"relations\": [\n" +
         relations + "\n]}\n";
}

twinscan::util::Sym sym(const Graph& g, std::string_view text) {
  twinscan::util::Sym s = 0;
  INFO("symbol " << text);
  REQUIRE(g.strings().find(text, s));
  return s;
}

VertexId vertex(const Graph& g, std::string_view id) {
  const auto v = g.find(id);
  INFO("entity " << id);
  REQUIRE(v);
  return *v;
}

const Value& prop(const Graph& g, std::string_view id, std::string_view key) {
  const Value* value = g.property(vertex(g, id), sym(g, key));
  INFO(id << "." << key);
  REQUIRE(value != nullptr);
  return *value;
}

std::vector<std::string> string_list(const Graph& g, const Value& value) {
  REQUIRE(value.type == ValueType::kList);
  std::vector<std::string> out;
  for (const Value& e : g.list(value.list)) {
    REQUIRE(e.type == ValueType::kString);
    out.emplace_back(g.str(e.string));
  }
  return out;
}

std::optional<RelationId> relation(const Graph& g, std::string_view id) {
  for (RelationId r = 0; r < g.relation_count(); ++r) {
    if (g.relation_id(r) == id) return r;
  }
  return std::nullopt;
}

Date date(int y, int m = 0, int d = 0) {
  return Date{static_cast<std::int16_t>(y), static_cast<std::uint8_t>(m),
              static_cast<std::uint8_t>(d)};
}

// Two documents; the first refers to entities that only the second defines.
const std::string kFirst = R"(// Municipal records.
{
  "format": "twinscan/1",
  "source": {"name": "Municipal records", "retrieved": "2024-05-01"},
  "entities": [
    {"id": "mun:ashdod", "kind": "Municipality", "name": "Ashdod",
     "aliases": ["אשדוד", "Asdod"], "country": "IL", "location": {"lat": 31.80, "lon": 34.65}},
    {"id": "agr:ashdod-wuhan", "kind": "Agreement", "name": "Ashdod-Wuhan MoU",
     "type": "mou", "signed_on": "2019-04-17", "clauses": ["confidentiality", "exclusivity"]},
    {"id": "firm:port-co", "kind": "Firm", "name": "Port Co", "state_owned": true, "lists": []},
    {"id": "site:navy", "kind": "SensitiveSite", "name": "Naval base", "category": "military"},
  ],
  "relations": [
    {"kind": "TWINNED_WITH", "from": "mun:ashdod", "to": "city:wuhan", "since": "2012"},
    {"kind": "PARTY_TO", "from": "mun:ashdod", "to": "agr:ashdod-wuhan", "role": "signatory"},
    {"kind": "PARTY_TO", "from": "city:wuhan", "to": "agr:ashdod-wuhan", "role": "signatory"},
    {"kind": "OWNED_BY", "from": "firm:port-co", "to": "gov:sasac", "share": 0.51},
    {"kind": "OWNED_BY", "from": "firm:port-co", "to": "gov:sasac", "share": 0.1,
     "since": "2021-06"},
    {"id": "rel:notified", "kind": "NOTIFIED", "from": "agr:ashdod-wuhan", "to": "ca:mfa",
     "on": "2019-05-30"},
  ],
}
)";

const std::string kSecond = R"({
  "format": "twinscan/1",
  "entities": [
    {"id": "city:wuhan", "kind": "ForeignCity", "name": "Wuhan", "population": 11000000,
     "location": {"lat": 30.59, "lon": 114.31}},
    {"id": "gov:sasac", "kind": "ForeignGovernment", "name": "SASAC", "level": "national",
     "organ": "state"},
    {"id": "ca:mfa", "kind": "CentralAuthority", "name": "Foreign ministry"},
    {"id": "person:li", "kind": "Person", "name": "Li"}
  ],
  "relations": [
    {"kind": "REPRESENTS", "from": "person:li", "to": "firm:port-co", "role": "agent",
     "disclosed": false},
    {"kind": "LOCATED_IN", "from": "site:navy", "to": "mun:ashdod"}
  ]
})";

}  // namespace

TEST_CASE("registry loader: reads entities with their kinds, names and sources", "[registry]") {
  const Loaded loaded = load({{"first.json", kFirst}, {"second.json", kSecond}});
  INFO((loaded.errors.empty() ? std::string() : loaded.errors.front()));
  REQUIRE(loaded.graph);
  CHECK(loaded.errors.empty());
  CHECK(loaded.warnings.empty());
  const Graph& g = *loaded.graph;
  CHECK(g.entity_count() == 8);
  CHECK(g.relation_count() == 8);
  CHECK(g.documents() == std::vector<std::string>{"first.json", "second.json"});

  const Schema& schema = g.schema();
  const VertexId ashdod = vertex(g, "mun:ashdod");
  CHECK(g.id(ashdod) == "mun:ashdod");
  CHECK(g.name(ashdod) == "Ashdod");
  CHECK(schema.kind(g.kind(ashdod)).name == "Municipality");
  CHECK(schema.kind(g.kind(vertex(g, "gov:sasac"))).name == "ForeignGovernment");
  CHECK(schema.kind(g.kind(vertex(g, "ca:mfa"))).name == "CentralAuthority");
  CHECK(g.name(vertex(g, "ca:mfa")) == "Foreign ministry");
  // Entities are numbered in document order.
  CHECK(ashdod == 0);
  CHECK(vertex(g, "city:wuhan") == 4);
  CHECK_FALSE(g.find("city:shanghai"));
  CHECK_FALSE(g.find("rel:notified"));  // relation ids are not entity ids
  CHECK_FALSE(g.find(""));

  // Source positions: the document and the entity's opening brace.
  CHECK(g.source(ashdod).document == 0);
  CHECK(g.source(ashdod).line == 6);
  CHECK(g.source(ashdod).column == 5);
  CHECK(g.source(vertex(g, "gov:sasac")).document == 1);
  CHECK(g.source(vertex(g, "gov:sasac")).line == 6);
  CHECK(g.source(vertex(g, "gov:sasac")).column == 5);
}

TEST_CASE("registry loader: converts property values to their schema types", "[registry]") {
  const Loaded loaded = load({{"first.json", kFirst}, {"second.json", kSecond}});
  REQUIRE(loaded.graph);
  const Graph& g = *loaded.graph;

  const Value& signed_on = prop(g, "agr:ashdod-wuhan", "signed_on");
  REQUIRE(signed_on.type == ValueType::kDate);
  CHECK(signed_on.date == date(2019, 4, 17));
  CHECK(string_list(g, prop(g, "agr:ashdod-wuhan", "clauses")) ==
        std::vector<std::string>{"confidentiality", "exclusivity"});
  CHECK(string_list(g, prop(g, "mun:ashdod", "aliases")) ==
        std::vector<std::string>{"אשדוד", "Asdod"});
  CHECK(string_list(g, prop(g, "firm:port-co", "lists")).empty());

  const Value& type = prop(g, "agr:ashdod-wuhan", "type");
  REQUIRE(type.type == ValueType::kString);
  CHECK(g.str(type.string) == "mou");

  const Value& location = prop(g, "mun:ashdod", "location");
  REQUIRE(location.type == ValueType::kLocation);
  CHECK(location.location.lat == Approx(31.80));
  CHECK(location.location.lon == Approx(34.65));

  const Value& state_owned = prop(g, "firm:port-co", "state_owned");
  REQUIRE(state_owned.type == ValueType::kBool);
  CHECK(state_owned.boolean);

  const Value& population = prop(g, "city:wuhan", "population");
  REQUIRE(population.type == ValueType::kInt);
  CHECK(population.integer == 11000000);

  // Relation properties.
  const auto owned = relation(g, "firm:port-co-OWNED_BY->gov:sasac");
  REQUIRE(owned);
  const Value* share = g.relation_property(*owned, sym(g, "share"));
  REQUIRE(share != nullptr);
  REQUIRE(share->type == ValueType::kNumber);
  CHECK(share->number == Approx(0.51));
  CHECK(g.relation_property(*owned, sym(g, "since")) == nullptr);

  const auto second = relation(g, "firm:port-co-OWNED_BY->gov:sasac#2");
  REQUIRE(second);
  const Value* since = g.relation_property(*second, sym(g, "since"));
  REQUIRE(since != nullptr);
  REQUIRE(since->type == ValueType::kDate);
  CHECK(since->date == date(2021, 6));

  const auto twinned = relation(g, "mun:ashdod-TWINNED_WITH->city:wuhan");
  REQUIRE(twinned);
  CHECK(g.relation_property(*twinned, sym(g, "since"))->date == date(2012));

  const auto represents = relation(g, "person:li-REPRESENTS->firm:port-co");
  REQUIRE(represents);
  const Value* disclosed = g.relation_property(*represents, sym(g, "disclosed"));
  REQUIRE(disclosed != nullptr);
  REQUIRE(disclosed->type == ValueType::kBool);
  CHECK_FALSE(disclosed->boolean);
  CHECK(g.str(g.relation_property(*represents, sym(g, "role"))->string) == "agent");
}

TEST_CASE("registry loader: resolves relation endpoints and derives relation ids", "[registry]") {
  const Loaded loaded = load({{"first.json", kFirst}, {"second.json", kSecond}});
  REQUIRE(loaded.graph);
  const Graph& g = *loaded.graph;
  const Schema& schema = g.schema();

  std::vector<std::string> ids;
  for (RelationId r = 0; r < g.relation_count(); ++r) ids.emplace_back(g.relation_id(r));
  CHECK(ids == std::vector<std::string>{
                   "mun:ashdod-TWINNED_WITH->city:wuhan",
                   "mun:ashdod-PARTY_TO->agr:ashdod-wuhan",
                   "city:wuhan-PARTY_TO->agr:ashdod-wuhan",
                   "firm:port-co-OWNED_BY->gov:sasac",
                   "firm:port-co-OWNED_BY->gov:sasac#2",
                   "rel:notified",
                   "person:li-REPRESENTS->firm:port-co",
                   "site:navy-LOCATED_IN->mun:ashdod",
               });

  // Forward references: the first document names entities of the second.
  const RelationId twinned = 0;
  CHECK(g.relation_source(twinned) == vertex(g, "mun:ashdod"));
  CHECK(g.relation_target(twinned) == vertex(g, "city:wuhan"));
  CHECK(schema.relation(g.relation_kind(twinned)).name == "TWINNED_WITH");
  const RelationId notified = *relation(g, "rel:notified");
  CHECK(g.relation_source(notified) == vertex(g, "agr:ashdod-wuhan"));
  CHECK(g.relation_target(notified) == vertex(g, "ca:mfa"));
  CHECK(schema.relation(g.relation_kind(notified)).name == "NOTIFIED");
  CHECK(g.relation_property(notified, sym(g, "on"))->date == date(2019, 5, 30));
  // Backward references: the second document names entities of the first.
  const RelationId located = *relation(g, "site:navy-LOCATED_IN->mun:ashdod");
  CHECK(g.relation_source(located) == vertex(g, "site:navy"));
  CHECK(g.relation_target(located) == vertex(g, "mun:ashdod"));

  CHECK(g.relation_source_ref(twinned).document == 0);
  CHECK(g.relation_source_ref(twinned).line == 14);
  CHECK(g.relation_source_ref(twinned).column == 5);
  CHECK(g.relation_source_ref(located).document == 1);
  CHECK(g.relation_source_ref(located).line == 14);

  CHECK(g.relation_count_of_kind(*schema.find_relation("PARTY_TO")) == 2);
  CHECK(g.relation_count_of_kind(*schema.find_relation("OWNED_BY")) == 2);
  CHECK(g.relation_count_of_kind(*schema.find_relation("BROKERED")) == 0);
}

TEST_CASE("registry loader: numbers repeated derived ids and keeps them clear of explicit ids",
          "[registry]") {
  const std::string text = document(
      R"({"id": "a", "kind": "Firm", "name": "A"},
{"id": "b", "kind": "Person", "name": "B"})",
      R"({"kind": "OWNED_BY", "from": "a", "to": "b"},
{"kind": "OWNED_BY", "from": "a", "to": "b", "id": "a-OWNED_BY->b#2"},
{"kind": "OWNED_BY", "from": "a", "to": "b"},
{"kind": "OWNED_BY", "from": "a", "to": "b"},
{"kind": "REPRESENTS", "from": "b", "to": "a"})");
  const Loaded loaded = load({{"ids.json", text}});
  REQUIRE(loaded.graph);
  const Graph& g = *loaded.graph;
  std::vector<std::string> ids;
  for (RelationId r = 0; r < g.relation_count(); ++r) ids.emplace_back(g.relation_id(r));
  CHECK(ids == std::vector<std::string>{"a-OWNED_BY->b", "a-OWNED_BY->b#2", "a-OWNED_BY->b#3",
                                        "a-OWNED_BY->b#4", "b-REPRESENTS->a"});
}

TEST_CASE("registry loader: derives the ids of many relations in order, repeats numbered",
          "[registry]") {
  // Enough relations without ids that their texts are made on a thread of their own, in
  // chunks: each firm owned twice by one person (the second "#2"), and an explicit id
  // that takes the "#2" of firm 5's, so that its second becomes "#3".
  constexpr int kFirms = 30000;
  constexpr int kPeople = 97;
  std::string entities, relations;
  for (int p = 0; p < kPeople; ++p) {
    entities += R"({"id": "person:)" + std::to_string(p) + R"(", "kind": "Person"},)" + "\n";
  }
  for (int f = 0; f < kFirms; ++f) {
    entities += R"({"id": "firm:)" + std::to_string(f) + R"(", "kind": "Firm"})";
    entities += f + 1 < kFirms ? ",\n" : "";
  }
  relations += R"({"kind": "REPRESENTS", "from": "person:0", "to": "firm:0",)"
               R"( "id": "firm:5-OWNED_BY->person:5#2"},)"
               "\n";
  for (int f = 0; f < kFirms; ++f) {
    const std::string line = R"({"kind": "OWNED_BY", "from": "firm:)" + std::to_string(f) +
                             R"(", "to": "person:)" + std::to_string(f % kPeople) + R"("})";
    relations += line + ",\n" + line + (f + 1 < kFirms ? ",\n" : "");
  }
  const Loaded loaded = load({{"many.json", document(entities, relations)}});
  REQUIRE(loaded.graph);
  const Graph& g = *loaded.graph;
  REQUIRE(g.relation_count() == 1 + 2 * kFirms);
  CHECK(g.relation_id(0) == "firm:5-OWNED_BY->person:5#2");
  int wrong = 0;
  for (int f = 0; f < kFirms; ++f) {
    const std::string base =
        "firm:" + std::to_string(f) + "-OWNED_BY->person:" + std::to_string(f % kPeople);
    const auto first = static_cast<RelationId>(1 + 2 * f);
    if (g.relation_id(first) != base || g.relation_id(first + 1) != base + (f == 5 ? "#3" : "#2"))
      ++wrong;
  }
  CHECK(wrong == 0);
}

TEST_CASE("registry loader: builds adjacency per direction and kind", "[registry]") {
  const Loaded loaded = load({{"first.json", kFirst}, {"second.json", kSecond}});
  REQUIRE(loaded.graph);
  const Graph& g = *loaded.graph;
  const Schema& schema = g.schema();
  const auto party_to = *schema.find_relation("PARTY_TO");
  const auto twinned_with = *schema.find_relation("TWINNED_WITH");
  const auto owned_by = *schema.find_relation("OWNED_BY");
  const auto located_in = *schema.find_relation("LOCATED_IN");

  const VertexId ashdod = vertex(g, "mun:ashdod");
  const VertexId agreement = vertex(g, "agr:ashdod-wuhan");
  const VertexId wuhan = vertex(g, "city:wuhan");
  const VertexId firm = vertex(g, "firm:port-co");
  const VertexId sasac = vertex(g, "gov:sasac");

  CHECK(g.out_edges(ashdod).size() == 2);
  CHECK(g.in_edges(ashdod).size() == 1);
  REQUIRE(g.out_edges(ashdod, twinned_with).size() == 1);
  CHECK(g.out_edges(ashdod, twinned_with)[0].other == wuhan);
  CHECK(g.out_edges(ashdod, twinned_with)[0].kind == twinned_with);
  CHECK(g.relation_id(g.out_edges(ashdod, twinned_with)[0].relation) ==
        "mun:ashdod-TWINNED_WITH->city:wuhan");
  REQUIRE(g.out_edges(ashdod, party_to).size() == 1);
  CHECK(g.out_edges(ashdod, party_to)[0].other == agreement);
  CHECK(g.out_edges(ashdod, owned_by).empty());
  REQUIRE(g.in_edges(ashdod, located_in).size() == 1);
  CHECK(g.in_edges(ashdod, located_in)[0].other == vertex(g, "site:navy"));

  // The agreement has two parties in, one notification out.
  CHECK(g.in_edges(agreement, party_to).size() == 2);
  std::vector<VertexId> parties;
  for (const auto& a : g.in_edges(agreement, party_to)) parties.push_back(a.other);
  std::sort(parties.begin(), parties.end());
  CHECK(parties == std::vector<VertexId>{ashdod, wuhan});
  CHECK(g.out_edges(agreement).size() == 1);

  // Two parallel OWNED_BY relations are two edges.
  CHECK(g.out_edges(firm, owned_by).size() == 2);
  CHECK(g.in_edges(sasac, owned_by).size() == 2);
  CHECK(g.in_edges(sasac).size() == 2);
  CHECK(g.out_edges(sasac).empty());
  CHECK(g.in_edges(firm).size() == 1);  // REPRESENTS

  // Edges are grouped by kind.
  const auto out = g.out_edges(wuhan);
  CHECK(std::is_sorted(out.begin(), out.end(),
                       [](const auto& a, const auto& b) { return a.kind < b.kind; }));
}

TEST_CASE("registry loader: indexes vertices by kind", "[registry]") {
  const Loaded loaded = load({{"first.json", kFirst}, {"second.json", kSecond}});
  REQUIRE(loaded.graph);
  const Graph& g = *loaded.graph;
  const Schema& schema = g.schema();
  const auto ids_of = [&](std::string_view kind) {
    std::vector<std::string> ids;
    for (VertexId v : g.vertices_of_kind(*schema.find_kind(kind))) ids.emplace_back(g.id(v));
    return ids;
  };
  CHECK(ids_of("Municipality") == std::vector<std::string>{"mun:ashdod"});
  CHECK(ids_of("ForeignCity") == std::vector<std::string>{"city:wuhan"});
  CHECK(ids_of("Agreement") == std::vector<std::string>{"agr:ashdod-wuhan"});
  CHECK(ids_of("Project").empty());
  CHECK(ids_of("Organization").empty());
  std::size_t total = 0;
  for (std::size_t k = 0; k < schema.kinds().size(); ++k) {
    const auto vs = g.vertices_of_kind(static_cast<twinscan::model::KindId>(k));
    CHECK(std::is_sorted(vs.begin(), vs.end()));
    total += vs.size();
  }
  CHECK(total == g.entity_count());
}

TEST_CASE("registry loader: accepts an empty registry and a document without relations",
          "[registry]") {
  const Loaded empty = load({{"empty.json", R"({"format": "twinscan/1"})"}});
  REQUIRE(empty.graph);
  CHECK(empty.graph->entity_count() == 0);
  CHECK(empty.graph->relation_count() == 0);
  const Loaded one = load(
      {{"one.json",
        R"({"format": "twinscan/1", "entities": [{"id": "a", "kind": "Firm", "name": "A"}]})"}});
  REQUIRE(one.graph);
  CHECK(one.graph->entity_count() == 1);
  CHECK(one.graph->out_edges(0).empty());
  CHECK(one.graph->in_edges(0).empty());
}

TEST_CASE("registry loader: accepts a byte order mark, CRLF line breaks and null properties",
          "[registry]") {
  const std::string text =
      "\xEF\xBB\xBF{\"format\": \"twinscan/1\",\r\n"
      "\"entities\": [\r\n"
      "  {\"id\": \"a\", \"kind\": \"Firm\", \"name\": \"A\", \"country\": null}\r\n"
      "]}\r\n";
  const Loaded loaded = load({{"bom.json", text}});
  REQUIRE(loaded.graph);
  CHECK(loaded.graph->entity_count() == 1);
  CHECK(loaded.graph->properties(0).empty());
  CHECK(loaded.graph->source(0).line == 3);
  CHECK(loaded.graph->source(0).column == 3);
}

TEST_CASE("registry loader: warns about undeclared properties, unknown keys and unusual values",
          "[registry]") {
  const std::string text = document(
      R"({"id": "a", "kind": "Firm", "name": "A", "sate_owned": true, "rank": 3},
{"id": "b", "kind": "Firm", "name": "B", "sate_owned": false},
{"id": "g", "kind": "Agreement", "name": "G", "type": "twining"})");
  const std::string with_extra = text.substr(0, text.size() - 2) + ",\n\"entitys\": []}\n";
  const Loaded loaded = load({{"warn.json", with_extra}});
  REQUIRE(loaded.graph);  // warnings do not fail the load
  CHECK(loaded.errors.empty());
  CHECK(
      loaded.warnings ==
      Lines{
          "warn.json:10:1: warning: unknown top-level key 'entitys' is ignored; did you mean "
          "'entities'?",
          "warn.json:3:42: warning: property 'sate_owned' is not in the schema for Firm; did "
          "you mean 'state_owned'? (declare it with --schema to type-check it)",
          "warn.json:3:62: warning: property 'rank' is not in the schema for Firm (declare it "
          "with --schema to type-check it)",
          "warn.json:5:55: warning: unusual value 'twining' for 'type'; did you mean 'twinning'?"});
  // Undeclared properties are kept, typed from their JSON.
  const Value& rank = prop(*loaded.graph, "a", "rank");
  CHECK(rank.type == ValueType::kInt);
  CHECK(rank.integer == 3);
}

// --- Bad input: one test per class, with the exact diagnostic. ---

TEST_CASE("registry loader: bad input: malformed JSON", "[registry]") {
  CHECK(errors_of("{\"format\": \"twinscan/1\",\n"
                  "\"entities\": [\n"
                  "  {\"id\": \"a\" \"kind\": \"Firm\", \"name\": \"A\"}\n"
                  "]}\n") ==
        Lines{"bad.json:3:14: error: malformed JSON: missing a comma or '}' after an object "
              "member"});
  CHECK(errors_of("{\"format\": \"twinscan/1\", \"entities\": []}\n]\n") ==
        Lines{"bad.json:2:1: error: malformed JSON: the document root must not be followed by "
              "other values"});
  CHECK(errors_of("") == Lines{"bad.json:1:1: error: malformed JSON: the document is empty"});
}

TEST_CASE("registry loader: bad input: a malformed document suppresses unresolved references to it",
          "[registry]") {
  const Loaded loaded =
      load({{"good.json", document(R"({"id": "a", "kind": "Firm", "name": "A"})",
                                   R"({"kind": "OWNED_BY", "from": "a", "to": "b"})")},
            {"broken.json", "{\"format\": \"twinscan/1\", \"entities\": [\n{\"id\": \"b\",,}]}"}});
  CHECK(loaded.graph == nullptr);
  CHECK(loaded.errors ==
        Lines{"broken.json:2:12: error: malformed JSON: missing a name for object member"});
}

TEST_CASE("registry loader: bad input: unknown entity kind, with did-you-mean", "[registry]") {
  CHECK(errors_of(document(R"({"id": "m", "kind": "Municipalty", "name": "M"})")) ==
        Lines{"bad.json:3:21: error: unknown entity kind 'Municipalty'; did you mean "
              "'Municipality'?"});
  CHECK(errors_of(document(R"({"id": "s", "kind": "Spaceship", "name": "S"})")) ==
        Lines{"bad.json:3:21: error: unknown entity kind 'Spaceship' (known kinds: Municipality, "
              "ForeignCity, ForeignGovernment, Organization, Firm, Project, Agreement, Person, "
              "SensitiveSite, CentralAuthority)"});
}

TEST_CASE(
    "registry loader: bad input: a relation to an entity dropped for an error is not reported "
    "again",
    "[registry]") {
  // Regression: the relation kept an unresolved endpoint and finish() crashed
  // building the adjacency.
  const Loaded loaded =
      load({{"bad.json", document(R"({"id": "a", "kind": "Frm", "name": "A"},
{"id": "b", "kind": "Firm", "name": "B"})",
                                  R"({"kind": "OWNED_BY", "from": "b", "to": "a"})")}});
  CHECK(loaded.graph == nullptr);
  CHECK(loaded.errors ==
        Lines{"bad.json:3:21: error: unknown entity kind 'Frm'; did you mean 'Firm'?"});
}

TEST_CASE("registry loader: bad input: unknown relation kind", "[registry]") {
  CHECK(errors_of(document(R"({"id": "m", "kind": "Municipality", "name": "M"},
{"id": "c", "kind": "ForeignCity", "name": "C"})",
                           R"({"kind": "TWINED_WITH", "from": "m", "to": "c"},
{"kind": "SISTER_OF", "from": "m", "to": "c"})")) ==
        Lines{"bad.json:7:10: error: unknown relation kind 'TWINED_WITH'; did you mean "
              "'TWINNED_WITH'?",
              "bad.json:8:10: error: unknown relation kind 'SISTER_OF' (known relation kinds: "
              "TWINNED_WITH, PARTY_TO, CONCERNS, LOCATED_IN, OWNED_BY, CONTROLLED_BY, BIDDER_ON, "
              "CONTRACTOR_OF, OPERATOR_OF, FINANCIER_OF, NOTIFIED, REPRESENTS, HELD_OFFICE, "
              "BROKERED)"});
}

TEST_CASE("registry loader: bad input: unresolved relation endpoint", "[registry]") {
  CHECK(errors_of(document(R"({"id": "m", "kind": "Municipality", "name": "M"})",
                           R"({"kind": "TWINNED_WITH", "from": "m", "to": "city:wuhn"},
{"kind": "HELD_OFFICE", "from": "person:x", "to": "m"})")) ==
        Lines{"bad.json:6:45: error: relation target 'city:wuhn' names no entity in the registry "
              "(define the entity or correct the id)",
              "bad.json:7:33: error: relation source 'person:x' names no entity in the registry "
              "(define the entity or correct the id)"});
}

TEST_CASE("registry loader: bad input: relation endpoint of the wrong kind", "[registry]") {
  CHECK(errors_of(document(R"({"id": "m", "kind": "Municipality", "name": "M"},
{"id": "n", "kind": "Municipality", "name": "N"},
{"id": "p", "kind": "Person", "name": "P"})",
                           R"({"kind": "TWINNED_WITH", "from": "m", "to": "n"},
{"kind": "OWNED_BY", "from": "p", "to": "m"})")) ==
        Lines{"bad.json:8:34: error: TWINNED_WITH cannot join a Municipality ('m') to a "
              "Municipality ('n'); it joins Municipality -> ForeignCity, ForeignCity -> "
              "Municipality, ForeignCity -> ForeignCity",
              "bad.json:9:30: error: OWNED_BY cannot start at 'p', a Person; it starts at a Firm",
              "bad.json:9:41: error: OWNED_BY cannot end at 'm', a Municipality; it ends at a "
              "ForeignCity, ForeignGovernment, Organization, Firm or Person"});
}

TEST_CASE("registry loader: bad input: duplicate entity id names both places", "[registry]") {
  const Loaded loaded = load({{"one.json", document(R"({"id": "a", "kind": "Firm", "name": "A"},
{"id": "a", "kind": "Firm", "name": "A again"})")}});
  CHECK(loaded.graph == nullptr);
  CHECK(loaded.errors ==
        Lines{"one.json:4:1: error: duplicate entity id 'a'; first defined at one.json:3:1 (give "
              "each entity its own id)"});
}

TEST_CASE("registry loader: an entity restated by many documents is one; twice in one is not",
          "[registry]") {
  // Each document restates mun:a (one source each, as a folder of one document per
  // agreement does); a statement's duplicate is looked for in its own document only.
  constexpr int kDocuments = 300;
  std::vector<std::pair<std::string, std::string>> documents;
  for (int i = 0; i < kDocuments; ++i) {
    documents.emplace_back(
        "d" + std::to_string(i) + ".json",
        document(
            R"({"id": "mun:a", "kind": "Municipality", "name": "A", "country": "IL"},
{"id": "agr:)" + std::to_string(i) +
                R"(", "kind": "Agreement", "name": "MoU"})",
            R"({"kind": "PARTY_TO", "from": "mun:a", "to": "agr:)" + std::to_string(i) + "\"}"));
  }
  SECTION("restated once per document") {
    const Loaded loaded = load(documents);
    REQUIRE(loaded.errors.empty());
    REQUIRE(loaded.graph);
    CHECK(loaded.graph->entity_count() == kDocuments + 1);
    const auto a = loaded.graph->find("mun:a");
    REQUIRE(a);
    CHECK(loaded.graph->out_edges(*a).size() == kDocuments);
  }
  SECTION("the last document states it twice") {
    documents.back().second = document(R"({"id": "agr:last", "kind": "Agreement", "name": "MoU"},
{"id": "mun:a", "kind": "Municipality", "name": "A", "country": "IL"},
{"id": "mun:a", "kind": "Municipality", "name": "A", "country": "IL"})");
    const Loaded loaded = load(documents);
    CHECK(loaded.graph == nullptr);
    CHECK(loaded.errors == Lines{"d299.json:5:1: error: duplicate entity id 'mun:a'; first "
                                 "defined at d299.json:4:1 (give each entity its own id)"});
  }
}

TEST_CASE("registry loader: one id in two documents with different kinds names both places",
          "[registry]") {
  const Loaded loaded = load({{"one.json", document(R"({"id": "a", "kind": "Firm", "name": "A"})")},
                              {"two.json", document(R"(  {"id": "b", "kind": "Firm", "name": "B"},
  {"id": "a", "kind": "Person", "name": "A again"})")}});
  CHECK(loaded.graph == nullptr);
  CHECK(loaded.errors ==
        Lines{"two.json:4:3: error: entity 'a' is stated here with another kind than at "
              "one.json:3:1 ('a'); the sources must agree on what an entity is (correct the "
              "kind, or the judgement that joins the ids)"});
}

TEST_CASE("registry loader: bad input: duplicate relation id names both places", "[registry]") {
  CHECK(errors_of(document(R"({"id": "a", "kind": "Firm", "name": "A"},
{"id": "b", "kind": "Person", "name": "B"})",
                           R"({"id": "r1", "kind": "OWNED_BY", "from": "a", "to": "b"},
 {"id": "r1", "kind": "REPRESENTS", "from": "b", "to": "a"})")) ==
        Lines{"bad.json:8:2: error: duplicate relation id 'r1'; first defined at bad.json:7:1"});
}

TEST_CASE("registry loader: bad input: property of the wrong type", "[registry]") {
  SECTION("string for bool") {
    CHECK(
        errors_of(document(R"({"id": "a", "kind": "Firm", "name": "A", "state_owned": "yes"})")) ==
        Lines{"bad.json:3:57: error: property 'state_owned' must be a bool (true or false), not "
              "a string (write true or false without quotes)"});
  }
  SECTION("number for date") {
    CHECK(errors_of(
              document(R"({"id": "g", "kind": "Agreement", "name": "G", "signed_on": 2019})")) ==
          Lines{"bad.json:3:60: error: property 'signed_on' must be a date, not a number (write "
                "the date as a string: \"2019\", \"2019-04\" or \"2019-04-17\")"});
  }
  SECTION("impossible date") {
    CHECK(errors_of(document(
              R"({"id": "g", "kind": "Agreement", "name": "G", "signed_on": "2019-02-30"})")) ==
          Lines{"bad.json:3:60: error: property 'signed_on': '2019-02-30' is not an ISO 8601 date "
                "(YYYY, YYYY-MM or YYYY-MM-DD)"});
  }
  SECTION("scalar for list") {
    CHECK(errors_of(document(
              R"({"id": "g", "kind": "Agreement", "name": "G", "clauses": "exclusivity"})")) ==
          Lines{"bad.json:3:58: error: property 'clauses' must be a list<string>, not a string "
                "(write it as a list: [ ... ])"});
  }
  SECTION("wrong element in a list") {
    CHECK(errors_of(
              document(R"({"id": "g", "kind": "Agreement", "name": "G", "clauses": ["a", 7]})")) ==
          Lines{"bad.json:3:64: error: property 'clauses' must be a string, not a number"});
  }
  SECTION("fraction for int") {
    CHECK(errors_of(
              document(R"({"id": "c", "kind": "ForeignCity", "name": "C", "population": 1.5})")) ==
          Lines{"bad.json:3:63: error: property 'population' must be an int, not a number (a "
                "whole number is expected)"});
  }
  SECTION("string for number") {
    CHECK(errors_of(document(R"({"id": "a", "kind": "Firm", "name": "A"},
{"id": "b", "kind": "Firm", "name": "B"})",
                             R"({"kind": "OWNED_BY", "from": "a", "to": "b", "share": "51%"})")) ==
          Lines{"bad.json:7:55: error: property 'share' must be a number, not a string"});
  }
  SECTION("share above 1") {
    CHECK(errors_of(document(R"({"id": "a", "kind": "Firm", "name": "A"},
{"id": "b", "kind": "Firm", "name": "B"})",
                             R"({"kind": "OWNED_BY", "from": "a", "to": "b", "share": 51})")) ==
          Lines{"bad.json:7:55: error: 'share' must lie between 0 and 1 (a fraction, not a "
                "percentage)"});
  }
  SECTION("location with a string latitude, a misspelt key, or out of range") {
    CHECK(errors_of(document(
              R"({"id": "a", "kind": "Firm", "name": "A", "location": {"lat": "31.8", "lon": 34.6}},
{"id": "b", "kind": "Firm", "name": "B", "location": {"lat": 31.8, "lng": 34.6}},
{"id": "c", "kind": "Firm", "name": "C", "location": {"lat": 95, "lon": 34.6}},
{"id": "d", "kind": "Firm", "name": "D", "location": {"lat": 31.8}},
{"id": "e", "kind": "Firm", "name": "E", "location": [31.8, 34.6]})")) ==
          Lines{"bad.json:3:62: error: \"lat\" must be a number of degrees",
                "bad.json:4:68: error: a location has only \"lat\" and \"lon\", not 'lng'",
                "bad.json:5:54: error: location out of range: lat must lie in [-90, 90] and lon in "
                "[-180, 180]",
                "bad.json:6:54: error: a location needs both \"lat\" and \"lon\"",
                "bad.json:7:54: error: property 'location' must be a location {\"lat\": ..., "
                "\"lon\": ...}, not a list"});
  }
  SECTION("name that is not a string") {
    CHECK(errors_of(document(R"({"id": "a", "kind": "Firm", "name": 42})")) ==
          Lines{"bad.json:3:37: error: \"name\" must be a string"});
  }
}

TEST_CASE("registry loader: bad input: invalid UTF-8", "[registry]") {
  CHECK(errors_of("{\"format\": \"twinscan/1\",\n"
                  "\"entities\": [{\"id\": \"a\", \"kind\": \"Firm\", \"name\": \"Caf\xE9\"}]}") ==
        Lines{"bad.json:2:54: error: invalid UTF-8 (byte 0xE9); save the file as UTF-8"});
  // An overlong '/' and a UTF-16 surrogate.
  CHECK(errors_of("{\"format\": \"twinscan/1\", \"x\": \"\xC0\xAF\"}") ==
        Lines{"bad.json:1:32: error: invalid UTF-8 (byte 0xC0); save the file as UTF-8"});
  CHECK(errors_of("{\"format\": \"twinscan/1\", \"x\": \"\xED\xA0\x80\"}") ==
        Lines{"bad.json:1:32: error: invalid UTF-8 (byte 0xED); save the file as UTF-8"});
}

TEST_CASE("registry loader: bad input: missing or wrong format", "[registry]") {
  CHECK(
      errors_of("{\"entities\": []}") ==
      Lines{"bad.json:1:1: error: missing \"format\": \"twinscan/1\" at the top of the document"});
  CHECK(
      errors_of("// header\n\n  {\"entities\": []}\n") ==
      Lines{"bad.json:3:3: error: missing \"format\": \"twinscan/1\" at the top of the document"});
  CHECK(errors_of("{\"format\": \"twinscan/2\"}") ==
        Lines{"bad.json:1:12: error: \"format\" must be \"twinscan/1\""});
  CHECK(errors_of("[]") ==
        Lines{"bad.json:1:1: error: a registry document must be a JSON object with \"format\", "
              "\"entities\" and \"relations\""});
}

TEST_CASE("registry loader: bad input: missing id, kind or endpoint", "[registry]") {
  CHECK(errors_of(document(R"({"kind": "Firm", "name": "A"},
{"id": "", "kind": "Firm", "name": "B"},
{"id": "c", "name": "C"})")) == Lines{"bad.json:3:1: error: entity has no \"id\"",
                                      "bad.json:4:8: error: \"id\" must be a non-empty string",
                                      "bad.json:5:1: error: entity has no \"kind\""});
  CHECK(errors_of(document(R"({"id": "a", "kind": "Firm", "name": "A"})",
                           R"({"kind": "OWNED_BY", "from": "a"})")) ==
        Lines{"bad.json:6:1: error: relation has no \"to\""});
}

TEST_CASE("registry loader: bad input: a key twice in one object", "[registry]") {
  CHECK(errors_of(document(R"({"id": "a", "kind": "Firm", "name": "A", "name": "B"})")) ==
        Lines{"bad.json:3:42: error: key \"name\" appears twice"});
}

TEST_CASE("registry loader: bad input: keys twice among many are reported in order", "[registry]") {
  // Forty properties (past the few compared pair by pair), "p7" given again after "p30"
  // and "p2" at the end: each repeat is reported where it stands, in the order they come.
  std::string members;
  for (int i = 0; i < 40; ++i) {
    members += ", \"p" + std::to_string(i) + "\": " + std::to_string(i);
    if (i == 30) members += ", \"p7\": 0";
  }
  members += ", \"p2\": 0";
  const std::string entity = R"({"id": "a", "kind": "Firm", "name": "A")" + members + "}";
  const std::size_t p7 = entity.rfind("\"p7\"") + 1;
  const std::size_t p2 = entity.rfind("\"p2\"") + 1;
  CHECK(errors_of(document(entity)) ==
        Lines{"bad.json:3:" + std::to_string(p7) + ": error: key \"p7\" appears twice",
              "bad.json:3:" + std::to_string(p2) + ": error: key \"p2\" appears twice"});
}

TEST_CASE("registry loader: bad input: wrong shapes", "[registry]") {
  CHECK(errors_of("{\"format\": \"twinscan/1\", \"entities\": {}, \"relations\": 3}") ==
        Lines{"bad.json:1:38: error: \"entities\" must be a list, not an object",
              "bad.json:1:55: error: \"relations\" must be a list, not a number"});
  CHECK(errors_of(
            document(R"("a", {"id": "b", "kind": "Firm", "name": "B", "from": "x"})", R"([1])")) ==
        Lines{"bad.json:3:1: error: an entity must be an object, not a string",
              "bad.json:3:47: error: \"from\" belongs to relations; an entity cannot have it",
              "bad.json:6:1: error: a relation must be an object, not a list"});
}

TEST_CASE("registry loader: bad input: every error of a document is reported", "[registry]") {
  const std::string text = document(
      R"({"id": "a", "kind": "Firm", "name": "A", "state_owned": "no"},
{"id": "b", "kind": "Frim", "name": "B"},
{"id": "a", "kind": "Person", "name": "A2"},
{"id": "g", "kind": "Agreement", "name": "G", "signed_on": "2019-13-01"})",
      R"({"kind": "OWNED_BY", "from": "a", "to": "nobody"},
{"kind": "BROKERED", "from": "g", "to": "g"})");
  const Lines errors = errors_of(text);
  CHECK(errors ==
        Lines{"bad.json:3:57: error: property 'state_owned' must be a bool (true or false), not a "
              "string (write true or false without quotes)",
              "bad.json:4:21: error: unknown entity kind 'Frim'; did you mean 'Firm'?",
              "bad.json:6:60: error: property 'signed_on': '2019-13-01' is not an ISO 8601 date "
              "(YYYY, YYYY-MM or YYYY-MM-DD)",
              "bad.json:5:1: error: duplicate entity id 'a'; first defined at bad.json:3:1 (give "
              "each entity its own id)",
              "bad.json:9:41: error: relation target 'nobody' names no entity in the registry "
              "(define the entity or correct the id)",
              "bad.json:10:30: error: BROKERED cannot start at 'g', an Agreement; it starts at a "
              "ForeignGovernment, Firm or Person"});
}

TEST_CASE("registry loader: name is optional; the display name falls back to title, then id",
          "[registry]") {
  const Loaded loaded = load({{"nameless.json", document(R"(
{"id": "agr:1", "kind": "Agreement", "title": "Port cooperation MoU", "type": "mou"},
{"id": "firm:x", "kind": "Firm"},
{"id": "mun:a", "kind": "Municipality", "name": "Ashdod", "title": "City of Ashdod"})",
                                                         R"(
{"kind": "PARTY_TO", "from": "mun:a", "to": "agr:1"})")}});
  INFO((loaded.errors.empty() ? std::string() : loaded.errors.front()));
  REQUIRE(loaded.graph);
  CHECK(loaded.warnings.empty());
  const Graph& g = *loaded.graph;
  const auto agreement = g.find(sym(g, "agr:1"));
  const auto firm = g.find(sym(g, "firm:x"));
  const auto municipality = g.find(sym(g, "mun:a"));
  REQUIRE(agreement);
  REQUIRE(firm);
  REQUIRE(municipality);
  CHECK(g.name(*agreement) == "Port cooperation MoU");
  CHECK(g.name(*firm) == "firm:x");
  CHECK(g.name(*municipality) == "Ashdod");
  // The name as given stays absent: the fallback is for display only.
  CHECK(g.name_sym(*agreement) == 0);
  CHECK(g.name_sym(*firm) == 0);
}

TEST_CASE("registry loader: a nameless entity is matched by name through its title", "[registry]") {
  const Loaded loaded = load({{"registry.json", document(R"(
{"id": "mun:a", "kind": "Municipality", "name": "Ashdod"},
{"id": "agr:1", "kind": "Agreement", "title": "Port cooperation MoU"},
{"id": "agr:2", "kind": "Agreement"})")},
                              {"request.json", document("", R"(
{"kind": "PARTY_TO", "from": "mun:a", "to": {"name": "port cooperation mou"}})")}});
  INFO((loaded.errors.empty() ? std::string() : loaded.errors.front()));
  REQUIRE(loaded.graph);
  const Graph& g = *loaded.graph;
  REQUIRE(g.relation_count() == 1);
  CHECK(g.id(g.relation_target(0)) == "agr:1");
}

TEST_CASE("registry loader: a relation repeated within one document is a warning", "[registry]") {
  const std::string entities = R"({"id": "a", "kind": "Firm", "name": "A"},
{"id": "b", "kind": "Firm", "name": "B"})";
  const Loaded repeated = load({{"r.json", document(entities, R"(
{"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.5},
{"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.5})")}});
  REQUIRE(repeated.graph);  // a warning does not stop the load
  CHECK(repeated.graph->relation_count() == 2);
  CHECK(repeated.warnings ==
        Lines{"r.json:9:1: warning: relation OWNED_BY from 'a' to 'b' repeats the one at "
              "r.json:8:1 (same properties); remove one, or give each its own \"id\" if they "
              "are different relations"});
  // Other properties for the same period, neither with an id: both are kept, and the
  // warning says so (their shares add up).
  const Loaded restated = load({{"r.json", document(entities, R"(
{"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.5},
{"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.2})")}});
  REQUIRE(restated.graph);
  CHECK(restated.graph->relation_count() == 2);
  CHECK(restated.warnings ==
        Lines{"r.json:9:1: warning: relation OWNED_BY from 'a' to 'b' is stated again, with "
              "other properties, after the one at r.json:8:1; both are kept and every rule "
              "reads both (two shares of one holder add up): remove the wrong one, or give "
              "each its own \"id\" if they are different relations"});
  // Two periods are two spells (two terms of office, a stake sold and bought back).
  CHECK(load({{"r.json", document(entities, R"(
{"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.5, "until": "2015"},
{"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.2, "since": "2016"})")}})
            .warnings.empty());
  // An id on each: two relations.
  CHECK(load({{"r.json", document(entities, R"(
{"id": "o1", "kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.5},
{"id": "o2", "kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.5})")}})
            .warnings.empty());
  // The same relation in two documents is not warned about (sources may overlap).
  CHECK(load({{"r.json", document(entities, R"({"kind": "OWNED_BY", "from": "a", "to": "b"})")},
              {"s.json", document("", R"({"kind": "OWNED_BY", "from": "a", "to": "b"})")}})
            .warnings.empty());
}

TEST_CASE("registry loader: a relation from an entity to itself is a warning", "[registry]") {
  const Loaded loaded = load({{"loop.json", document(R"({"id": "a", "kind": "Firm"})", R"(
{"kind": "OWNED_BY", "from": "a", "to": "a"})")}});
  REQUIRE(loaded.graph);
  CHECK(loaded.warnings == Lines{"loop.json:7:1: warning: relation OWNED_BY goes from 'a' to "
                                 "itself; check its \"from\" and \"to\""});
}

TEST_CASE("registry loader: control characters from the input are escaped in diagnostics",
          "[registry]") {
  const Lines errors = errors_of(
      document(R"({"id": "x\u001b[31m\n", "kind": "Firm"},
{"id": "x\u001b[31m\n", "kind": "Firm"})",
               R"({"kind": "OWNED_BY", "from": "x\u001b[31m\n", "to": "\u202ey\u2069"})"));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] ==
        "bad.json:4:1: error: duplicate entity id 'x\\u{1b}[31m\\u{0a}'; first defined at "
        "bad.json:3:1 (give each entity its own id)");
  CHECK(errors[1].find("'\\u{202e}y\\u{2069}'") != std::string::npos);
  for (const auto& e : errors) {
    CHECK(e.find('\x1b') == std::string::npos);
    CHECK(e.find('\n') == std::string::npos);
  }
}

TEST_CASE("registry loader: a folder with no *.json is missing input", "[registry]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("twinscan-empty-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    Diagnostics diagnostics;
    RegistryLoader loader(builtin_schema(), diagnostics);
    loader.add_path(dir.string());
    CHECK(loader.missing_input());
    CHECK(loader.finish() == nullptr);
    REQUIRE(diagnostics.all().size() == 1);
    CHECK(diagnostics.all()[0].message.find("folder holds no *.json documents") == 0);
  }
  std::ofstream(dir / "notes.txt") << "not a document\n";
  {
    Diagnostics diagnostics;
    RegistryLoader loader(builtin_schema(), diagnostics);
    loader.add_path(dir.string());
    CHECK(loader.missing_input());
  }
  // A folder that cannot be listed (not testable as root, who can list anything).
  fs::permissions(dir, fs::perms::none);
  std::error_code ec;
  const bool listable = fs::directory_iterator(dir, ec) != fs::directory_iterator() || !ec;
  if (!listable) {
    Diagnostics diagnostics;
    RegistryLoader loader(builtin_schema(), diagnostics);
    loader.add_path(dir.string());
    CHECK(loader.missing_input());
    REQUIRE(diagnostics.all().size() == 1);
    CHECK(diagnostics.all()[0].message.find("cannot read folder: ") == 0);
  }
  fs::permissions(dir, fs::perms::owner_all);
  fs::remove_all(dir);
}

namespace {

// A registry of mun:a and `agreements` agreements, each a party of mun:a, one relation a
// line from line 3 + agreements on. The relation at `bad_target` (if below `agreements`)
// names no entity; the one at `bad_end` ends at the municipality itself.
std::string parties_of_one_municipality(std::size_t agreements, std::size_t bad_target,
                                        std::size_t bad_end) {
  std::string text = "{\"format\": \"twinscan/1\",\n\"entities\": [\n";
  text += R"({"id": "mun:a", "kind": "Municipality", "name": "A", "country": "IL"})";
  for (std::size_t i = 0; i < agreements; ++i)
    text += ",\n{\"id\": \"agr:" + std::to_string(i) + R"(", "kind": "Agreement", "name": "D"})";
  text += "],\n\"relations\": [\n";
  for (std::size_t i = 0; i < agreements; ++i) {
    if (i != 0) text += ",\n";
    const std::string to = i == bad_target ? "agr:none"
                           : i == bad_end  ? "mun:a"
                                           : "agr:" + std::to_string(i);
    text += R"({"kind": "PARTY_TO", "from": "mun:a", "to": ")" + to + "\"}";
  }
  return text + "]}\n";
}

}  // namespace

TEST_CASE(
    "a large registry's relation ends resolve alike, and their problems are reported in order",
    "[loader]") {
  // Enough relations that their ends are resolved on two threads, one half each.
  constexpr std::size_t kAgreements = 120000;
  const std::size_t first_relation_line = 3 + kAgreements + 2;
  SECTION("every end found") {
    const Loaded loaded =
        load({{"r.json", parties_of_one_municipality(kAgreements, kAgreements, kAgreements)}});
    REQUIRE(loaded.errors.empty());
    REQUIRE(loaded.graph);
    REQUIRE(loaded.graph->relation_count() == kAgreements);
    for (const RelationId r :
         {RelationId{0}, RelationId{59999}, RelationId{60000}, RelationId{kAgreements - 1}}) {
      CHECK(loaded.graph->id(loaded.graph->relation_source(r)) == "mun:a");
      CHECK(loaded.graph->id(loaded.graph->relation_target(r)) == "agr:" + std::to_string(r));
    }
  }
  SECTION("a problem in each half") {
    const Loaded loaded =
        load({{"r.json", parties_of_one_municipality(kAgreements, 110000, 5000)}});
    CHECK_FALSE(loaded.graph);
    REQUIRE(loaded.errors.size() == 2);
    CHECK(loaded.errors[0].find("r.json:" + std::to_string(first_relation_line + 5000) + ":") == 0);
    CHECK(loaded.errors[0].find("PARTY_TO cannot end at 'mun:a'") != std::string::npos);
    CHECK(loaded.errors[1].find("r.json:" + std::to_string(first_relation_line + 110000) + ":") ==
          0);
    CHECK(loaded.errors[1].find("relation target 'agr:none' names no entity") != std::string::npos);
  }
  SECTION("an end of the wrong kind only") {
    const Loaded loaded =
        load({{"r.json", parties_of_one_municipality(kAgreements, kAgreements, 70000)}});
    CHECK_FALSE(loaded.graph);
    REQUIRE(loaded.errors.size() == 1);
    CHECK(loaded.errors[0].find("PARTY_TO cannot end at 'mun:a'") != std::string::npos);
  }
  SECTION("a problem in the second half only") {
    const Loaded loaded =
        load({{"r.json", parties_of_one_municipality(kAgreements, kAgreements - 1, kAgreements)}});
    CHECK_FALSE(loaded.graph);
    REQUIRE(loaded.errors.size() == 1);
    CHECK(loaded.errors[0].find("relation target 'agr:none'") != std::string::npos);
  }
}

TEST_CASE("a folder of small and large documents is read in order, its judgements file left out",
          "[loader]") {
  // Documents under 64 KiB are read when their turn comes, larger ones ahead on the
  // reader thread: the documents, and their problems, come in the folder's order either way.
  twinscan::testing::ScratchFolder folder("mixed-sizes");
  std::filesystem::create_directories(folder.path);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(folder.path / name, std::ios::binary) << text;
  };
  const std::string large_fine = parties_of_one_municipality(3000, 3000, 3000);
  const std::string large_bad = parties_of_one_municipality(3000, 2000, 3000);
  REQUIRE(large_fine.size() > 64 * 1024);
  write("a.json", document(R"({"id": "mun:s", "kind": "Municipality", "name": "S"})"));
  write("b.json", large_fine);
  write("c.json", document(R"({"id": "agr:x", "kind": "Agreement", "name": "X"})",
                           R"({"kind": "PARTY_TO", "from": "mun:none", "to": "agr:x"})"));
  write("d.json", large_bad);
  write("e.json", document(R"({"id": "mun:t", "kind": "Municipality", "name": "T"})"));
  write("judgements.json", R"({"format": "twinscan-judgements/1", "judgements": []})");
  Diagnostics diagnostics;
  RegistryLoader loader(builtin_schema(), diagnostics);
  loader.add_path(folder.path.string());
  CHECK(loader.finish() == nullptr);
  CHECK(loader.document_count() == 5);
  std::vector<std::string> files;
  for (const auto& d : diagnostics.all()) {
    if (d.severity == Severity::kError)
      files.push_back(std::filesystem::path(d.where.file).filename());
  }
  CHECK(files == Lines{"c.json", "d.json"});
}

TEST_CASE("listing a folder keeps its small documents whole, read once with their start",
          "[loader]") {
  // A folder of thousands of small documents (one per record) was looked up and opened
  // twice per document: its start to tell a judgements file apart, then all of it. The
  // listing now keeps the whole text of a small one, with room past its end for the parser.
  twinscan::testing::ScratchFolder folder("listed-whole");
  std::filesystem::create_directories(folder.path / "sub.json");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(folder.path / name, std::ios::binary) << text;
  };
  const std::string small = document(R"({"id": "mun:s", "kind": "Municipality", "name": "S"})");
  const std::string large = parties_of_one_municipality(3000, 3000, 3000);
  REQUIRE(large.size() > 64 * 1024);
  write("b.json", large);
  write("a.json", small);
  write("c.json", "");
  write("j.json", R"({"format": "twinscan-judgements/1", "judgements": []})");
  write("notes.txt", small);
  constexpr std::uint64_t kPadding = twinscan::diag::SourceText::kPadding;
  std::vector<twinscan::io::ListedDocument> listed;
  std::string error;
  twinscan::io::KeepWhole keep{64 * 1024, 1 << 20};
  REQUIRE(twinscan::io::list_registry_documents(folder.path.string(), listed, error, keep) ==
          twinscan::io::PathStatus::kOk);
  REQUIRE(listed.size() == 3);  // not the judgements file, the folder or the text file
  CHECK(std::filesystem::path(listed[0].path).filename() == "a.json");
  REQUIRE(listed[0].whole);
  CHECK(listed[0].whole->text == small);
  CHECK(listed[0].whole->text.capacity() >= small.size() + kPadding);
  CHECK(listed[0].size == small.size());
  CHECK_FALSE(listed[1].whole);  // read when its turn comes; its size is known
  CHECK(listed[1].size == large.size());
  CHECK_FALSE(listed[2].whole);  // an empty file is read in its turn (and refused there)
  CHECK(listed[2].size == 0);
  CHECK(keep.in_all == (1 << 20) - listed[0].whole->text.capacity());
  // With just the room the small document takes, it is kept; with a byte less, it is not.
  for (const std::uint64_t spare : {std::uint64_t{1}, std::uint64_t{0}}) {
    listed.clear();
    twinscan::io::KeepWhole little{64 * 1024, small.size() + kPadding + spare - 1};
    REQUIRE(twinscan::io::list_registry_documents(folder.path.string(), listed, error, little) ==
            twinscan::io::PathStatus::kOk);
    REQUIRE(listed.size() == 3);
    CHECK((listed[0].whole != nullptr) == (spare == 1));
  }
  // A document of the size read ahead of its turn is not kept: it is read on the reader
  // thread, which does not take kept texts. One byte less is kept.
  for (const std::size_t size : {std::size_t{64 * 1024}, std::size_t{64 * 1024 - 1}}) {
    write("a.json", small + std::string(size - small.size(), ' '));
    listed.clear();
    twinscan::io::KeepWhole generous{64 * 1024, 1 << 20};
    REQUIRE(twinscan::io::list_registry_documents(folder.path.string(), listed, error, generous) ==
            twinscan::io::PathStatus::kOk);
    CHECK((listed[0].whole != nullptr) == (size < 64 * 1024));
  }
  write("a.json", small);
  // The loader reads them as it read them before: the same documents and problems, and
  // each document read is an input no output may replace.
  Diagnostics diagnostics;
  RegistryLoader loader(builtin_schema(), diagnostics);
  loader.add_path(folder.path.string());
  CHECK(loader.finish() == nullptr);  // the empty document is no JSON
  REQUIRE(diagnostics.all().size() == 1);
  CHECK(std::filesystem::path(diagnostics.all()[0].where.file).filename() == "c.json");
  struct stat status {};
  REQUIRE(::stat((folder.path / "a.json").c_str(), &status) == 0);
  std::string which;
  CHECK(twinscan::util::is_protected_input(status, which));
  CHECK(std::filesystem::path(which).filename() == "a.json");
}
