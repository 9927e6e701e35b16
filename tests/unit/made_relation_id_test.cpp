// Ids of relations given without one, made from their ends when shown: the same texts as
// ids stored, unique, found by their text, kept by snapshots and requests, and stored as
// before where ids could make two of them read alike.

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/io/snapshot_codec.h"
#include "analyzer/model/made_relation_id.h"
#include "tests/unit/loaded_documents.h"

namespace {

using namespace twinscan;

using Loaded = testing::LoadedDocuments;

Loaded load(const std::vector<std::pair<std::string, std::string>>& documents) {
  return testing::load_documents(documents);
}

// `loaded`'s graph written to a snapshot and opened again.
std::unique_ptr<model::Graph> snapshot_of(const Loaded& loaded) {
  diag::Diagnostics d;
  auto snapshot = io::SnapshotCodec::decode(io::SnapshotCodec::encode(*loaded.graph, loaded.schema),
                                            "r.tsnap", d);
  REQUIRE(snapshot);
  return snapshot;
}

std::vector<std::string> relation_ids(const model::Graph& g) {
  std::vector<std::string> out;
  for (model::RelationId r = 0; r < g.relation_count(); ++r) out.push_back(g.relation_id(r));
  return out;
}

bool any_made(const model::Graph& g) {
  for (model::RelationId r = 0; r < g.relation_count(); ++r) {
    if (model::is_made_relation_id(g.relation_id_sym(r))) return true;
  }
  return false;
}

// Firms a, b and `extra`, and a owning b three times and `extra` once, with one relation
// given an id of its own.
std::string ownership(const std::string& extra) {
  return R"({"format": "twinscan/1", "entities": [
    {"id": "a", "kind": "Firm"}, {"id": "b", "kind": "Firm"},
    {"id": ")" +
         extra + R"(", "kind": "Firm"}],
   "relations": [
    {"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.1},
    {"kind": "OWNED_BY", "from": "a", "to": ")" +
         extra + R"(", "share": 0.2},
    {"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.3},
    {"id": "given", "kind": "OWNED_BY", "from": "b", "to": "a"},
    {"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.4}]})";
}

}  // namespace

TEST_CASE("relations without ids are named from their ends, kind and number when shown",
          "[made-relation-id]") {
  const Loaded loaded = load({{"r.json", ownership("c")}});
  REQUIRE(loaded.graph);
  const model::Graph& g = *loaded.graph;
  CHECK(relation_ids(g) == std::vector<std::string>{"a-OWNED_BY->b", "a-OWNED_BY->c",
                                                    "a-OWNED_BY->b#2", "given", "a-OWNED_BY->b#3"});
  CHECK(any_made(g));
  CHECK_FALSE(model::is_made_relation_id(g.relation_id_sym(3)));
  // Each id finds its relation; texts near them find none.
  for (model::RelationId r = 0; r < g.relation_count(); ++r) {
    INFO(g.relation_id(r));
    CHECK(g.find_relation(g.relation_id(r)) == r);
  }
  for (const char* none : {"a-OWNED_BY->b#1", "a-OWNED_BY->b#4", "a-OWNED_BY->b#02",
                           "a-OWNED_BY->d", "b-OWNED_BY->a", "a-CONTROLLED_BY->b", "a->b", ""}) {
    INFO(none);
    CHECK_FALSE(g.find_relation(none));
  }
  // The view form writes into the scratch only for a made id.
  std::string scratch = "untouched";
  CHECK(g.relation_id(3, scratch) == "given");
  CHECK(scratch == "untouched");
  CHECK(g.relation_id(4, scratch) == "a-OWNED_BY->b#3");
  CHECK(scratch == "a-OWNED_BY->b#3");
}

TEST_CASE("ids that would let two relation ids read alike keep every id stored, and unique",
          "[made-relation-id]") {
  // An entity "b#2" next to "b": the second a-OWNED_BY->b would read as the relation to
  // "b#2". Then ids are made and stored as before, each taking the first free number.
  for (const std::string extra : {"b#2", "x->y"}) {
    INFO(extra);
    const Loaded loaded = load({{"r.json", ownership(extra)}});
    REQUIRE(loaded.graph);
    const model::Graph& g = *loaded.graph;
    CHECK_FALSE(any_made(g));
    const std::vector<std::string> ids = relation_ids(g);
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
    CHECK(ids[0] == "a-OWNED_BY->b");
    CHECK(ids[1] == "a-OWNED_BY->" + extra);
    for (model::RelationId r = 0; r < g.relation_count(); ++r) CHECK(g.find_relation(ids[r]) == r);
  }
  // A relation given an id with "->" in it: stored too.
  const Loaded given = load({{"r.json", R"({"format": "twinscan/1", "entities": [
      {"id": "a", "kind": "Firm"}, {"id": "b", "kind": "Firm"}], "relations": [
      {"id": "a-OWNED_BY->b", "kind": "OWNED_BY", "from": "b", "to": "a"},
      {"kind": "OWNED_BY", "from": "a", "to": "b"}]})"}});
  REQUIRE(given.graph);
  CHECK_FALSE(any_made(*given.graph));
  CHECK(relation_ids(*given.graph) == std::vector<std::string>{"a-OWNED_BY->b", "a-OWNED_BY->b#2"});
}

TEST_CASE("made relation ids survive a snapshot and number a request's relations after them",
          "[made-relation-id]") {
  const Loaded loaded = load({{"r.json", ownership("c")}});
  REQUIRE(loaded.graph);
  auto snapshot = snapshot_of(loaded);
  CHECK(relation_ids(*snapshot) == relation_ids(*loaded.graph));
  CHECK(snapshot->find_relation("a-OWNED_BY->b#3") == 4u);

  // A request relating a and b again: its own relation, numbered after the registry's.
  const std::string request = R"({"format": "twinscan/1", "relations": [
      {"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.5},
      {"kind": "OWNED_BY", "from": "b", "to": "c"}]})";
  diag::Diagnostics d2;
  io::RegistryLoader merged_loader(std::move(snapshot), d2);
  merged_loader.begin_request();
  merged_loader.add_source(diag::SourceText("request.json", request));
  const auto merged = merged_loader.finish();
  REQUIRE(merged);
  const std::vector<std::string> ids = relation_ids(*merged);
  REQUIRE(ids.size() == 7);
  CHECK(ids[5] == "a-OWNED_BY->b#4");
  CHECK(ids[6] == "b-OWNED_BY->c");

  // The same, loaded from JSON in one go.
  diag::Diagnostics d3;
  bool missing = false;
  io::RegistryLoader json_loader(io::load_schema({}, d3, missing), d3);
  json_loader.add_source(diag::SourceText("r.json", ownership("c")));
  json_loader.begin_request();
  json_loader.add_source(diag::SourceText("request.json", request));
  const auto from_json = json_loader.finish();
  REQUIRE(from_json);
  CHECK(relation_ids(*from_json) == ids);
}

TEST_CASE("a request's relation given the id the registry makes for another is refused",
          "[made-relation-id]") {
  const Loaded loaded = load({{"r.json", ownership("c")}});
  REQUIRE(loaded.graph);
  auto snapshot = snapshot_of(loaded);
  diag::Diagnostics d2;
  io::RegistryLoader loader(std::move(snapshot), d2);
  loader.begin_request();
  loader.add_source(diag::SourceText("request.json", R"({"format": "twinscan/1", "relations": [
      {"id": "a-OWNED_BY->b#2", "kind": "OWNED_BY", "from": "b", "to": "c"}]})"));
  CHECK_FALSE(loader.finish());
  REQUIRE(d2.has_errors());
  CHECK(d2.all()[0].message.find("duplicate relation id 'a-OWNED_BY->b#2'") != std::string::npos);
}

TEST_CASE("a made id reads at most two ways, whatever its text", "[made-relation-id]") {
  auto readings_of = [](std::string_view text) {
    std::vector<std::string> out;
    model::for_each_made_relation_id_reading(text, [&](const model::MadeRelationIdReading& r) {
      out.push_back(std::string(r.from) + "|" + std::string(r.kind) + "|" + std::string(r.to) +
                    "|" + std::to_string(r.number));
      return false;
    });
    return out;
  };
  // Kinds hold no "-" and ends no "->" where ids are made: the kind follows the last "-"
  // before the first "->"; a "#k" after the far end is its number, or part of its id.
  CHECK(readings_of("x-y-K->z#12") == std::vector<std::string>{"x-y|K|z#12|1", "x-y|K|z|12"});
  CHECK(readings_of("x-K->z#1") == std::vector<std::string>{"x|K|z#1|1"});
  CHECK(readings_of("x-K->z#012") == std::vector<std::string>{"x|K|z#012|1"});
  CHECK(readings_of("x-K->z#9999999999") == std::vector<std::string>{"x|K|z#9999999999|1"});
  CHECK(readings_of("xK->z").empty());
  CHECK(readings_of("x-K-z").empty());
  // A text a request could send to make the reading slow: still two readings at most.
  std::string long_text;
  for (int i = 0; i < 20000; ++i) long_text += "-->#2";
  CHECK(readings_of(long_text).size() <= 2);
  std::string text;
  model::append_made_relation_id("x-y", "K", "z", 12, text);
  CHECK(text == "x-y-K->z#12");
  CHECK(model::id_fits_made_relation_ids("firm:a#b"));
  CHECK(model::id_fits_made_relation_ids("url#"));
  CHECK_FALSE(model::id_fits_made_relation_ids("b#2"));
  CHECK_FALSE(model::id_fits_made_relation_ids("a->b"));
  CHECK_FALSE(model::id_fits_made_relation_ids("->"));
  CHECK(model::id_fits_made_relation_ids(">-#"));
  // Every text of up to six bytes of "-", ">", "#", "1" and "a" is judged as the rule
  // reads: no arrow, and no '#' followed by digits alone at the end.
  const auto reference = [](std::string_view id) {
    if (id.find("->") != std::string_view::npos) return false;
    const std::size_t hash = id.rfind('#');
    if (hash == std::string_view::npos || hash + 1 == id.size()) return true;
    return id.find_first_not_of("0123456789", hash + 1) != std::string_view::npos;
  };
  const std::string alphabet = "->#1a";
  std::vector<std::string> texts{""};
  for (int length = 1; length <= 6; ++length) {
    std::vector<std::string> longer;
    for (const std::string& t : texts) {
      if (t.size() + 1 != static_cast<std::size_t>(length)) continue;
      for (const char c : alphabet) longer.push_back(t + c);
    }
    texts.insert(texts.end(), longer.begin(), longer.end());
  }
  for (const std::string& t : texts) {
    INFO(t);
    REQUIRE(model::id_fits_made_relation_ids(t) == reference(t));
  }
  CHECK(model::kind_fits_made_relation_ids("OWNED_BY"));
  CHECK_FALSE(model::kind_fits_made_relation_ids("OWNED-BY"));
}
