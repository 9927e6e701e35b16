// Statements by several sources: one entity, one relation, disagreements kept, judged ids
// joined; the same after a snapshot round trip.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/io/snapshot_codec.h"
#include "analyzer/model/provenance.h"
#include "analyzer/model/tie_statements.h"
#include "tests/unit/loaded_documents.h"

namespace {

using namespace twinscan;

using Loaded = testing::LoadedDocuments;

// The four documents: each states the firm, two state the ownership and disagree on its
// share, and each gives the firm's "lists" and "country" (one of them another country).
std::vector<std::pair<std::string, std::string>> four_sources() {
  auto document = [](const std::string& id, const std::string& role, const std::string& body) {
    return R"({"format": "twinscan/1", "source": {"id": ")" + id + R"(", "role": ")" + role +
           R"("}, )" + body + "}";
  };
  return {
      {"corp.json", document("corp", "corporate-registry",
                             R"("entities": [{"id": "firm:x", "kind": "Firm", "name": "X Holdings",
                   "country": "CN", "lists": ["a"]},
                  {"id": "firm:p", "kind": "Firm", "name": "Parent"}],
                 "relations": [{"kind": "OWNED_BY", "from": "firm:x", "to": "firm:p", "share": 0.3}])")},
      {"press.json", document("press", "public-report",
                              R"("entities": [{"id": "firm:x", "kind": "Firm", "name": "X Ltd",
                   "country": "HK", "lists": ["b"]}],
                 "relations": [{"kind": "OWNED_BY", "from": "firm:x", "to": "firm:p", "share": 0.45}])")},
      {"watch.json", document("watch", "watchlist",
                              R"("entities": [{"id": "firm:x", "kind": "Firm", "country": "CN",
                   "lists": ["a", "c"]}], "relations": [])")},
      {"mfa.json", document("mfa", "national-register",
                            R"("entities": [{"id": "firm:x", "kind": "Firm"}], "relations": [
                   {"kind": "OWNED_BY", "from": "firm:x", "to": "firm:p", "share": 0.3}])")},
  };
}

Loaded load(const std::vector<std::pair<std::string, std::string>>& documents,
            const std::vector<std::vector<std::string>>& same = {}) {
  return testing::load_documents(documents, same);
}

std::vector<std::string> source_ids(const model::Graph& g, std::span<const std::uint32_t> set) {
  std::vector<std::string> out;
  for (const auto s : set) out.push_back(g.sources()[s].id);
  return out;
}

std::vector<std::string> strings_of(const model::Graph& g, const model::Value* list) {
  std::vector<std::string> out;
  if (list == nullptr || list->type != model::ValueType::kList) return out;
  for (const auto& e : g.list(list->list)) out.emplace_back(g.str(e.string));
  return out;
}

model::Sym key(const model::Graph& g, const char* name) {
  model::Sym k = 0;
  REQUIRE(g.strings().find(name, k));
  return k;
}

// What the four sources make of the firm and its ownership.
void check_four_sources(const model::Graph& g) {
  REQUIRE(g.entity_count() == 2);
  REQUIRE(g.relation_count() == 1);
  const auto x = g.find("firm:x");
  REQUIRE(x);
  CHECK(source_ids(g, g.entity_sources(*x)) ==
        std::vector<std::string>{"corp", "press", "watch", "mfa"});
  CHECK(g.sources()[3].role == "national-register");
  // The first name stays; the other becomes an alias.
  CHECK(g.name(*x) == "X Holdings");
  CHECK(strings_of(g, g.property(*x, key(g, "aliases"))) == std::vector<std::string>{"X Ltd"});
  // Lists are united; their sources too.
  CHECK(strings_of(g, g.property(*x, key(g, "lists"))) == std::vector<std::string>{"a", "b", "c"});
  // The country: kept from the first source, with the sources that agree; the other value
  // is a disagreement naming its source.
  const model::Sym country = key(g, "country");
  const auto props = g.properties(*x);
  const auto kept = std::find_if(props.begin(), props.end(),
                                 [&](const model::Property& p) { return p.key == country; });
  REQUIRE(kept != props.end());
  CHECK(g.str(kept->value.string) == "CN");
  CHECK(source_ids(g, g.source_set(kept->sources)) == std::vector<std::string>{"corp", "watch"});
  REQUIRE(g.entity_disagreements(*x).size() == 1);
  CHECK(model::describe_disagreements(g, *x) ==
        std::vector<std::string>{"country: 'CN' (corp, watch) vs 'HK' (press)"});
  // The value each source states.
  const auto press_country = model::value_stated_by(g, *x, country, 1);
  REQUIRE(press_country);
  CHECK(g.str(press_country->string) == "HK");
  CHECK_FALSE(model::value_stated_by(g, *x, country, 3));  // mfa states no country
  // One relation stated by three sources; one disagreement on its share.
  CHECK(source_ids(g, g.relation_sources(0)) == std::vector<std::string>{"corp", "press", "mfa"});
  CHECK(model::describe_relation_disagreements(g, 0) ==
        std::vector<std::string>{"share: 0.3 (corp, mfa) vs 0.45 (press)"});
}

}  // namespace

TEST_CASE("four sources stating one entity make one entity with four sources", "[statements]") {
  const Loaded loaded = load(four_sources());
  INFO((loaded.errors.empty() ? std::string() : loaded.errors.front()));
  REQUIRE(loaded.graph);
  check_four_sources(*loaded.graph);
}

TEST_CASE("a snapshot keeps the sources, their sets and the disagreements", "[statements]") {
  const Loaded loaded = load(four_sources());
  REQUIRE(loaded.graph);
  diag::Diagnostics d;
  const auto reopened = io::SnapshotCodec::decode(
      io::SnapshotCodec::encode(*loaded.graph, loaded.schema), "four.tsnap", d);
  REQUIRE(reopened);
  check_four_sources(*reopened);
}

TEST_CASE("ids judged the same are one entity that answers to each", "[statements]") {
  const std::string register_doc = R"({"format": "twinscan/1", "source": {"id": "mfa",
    "role": "national-register"}, "entities": [
      {"id": "mun:h", "kind": "Municipality", "name": "Hamburg", "country": "DE"},
      {"id": "city:s", "kind": "ForeignCity", "name": "Shanghai", "country": "CN"}],
    "relations": [{"kind": "TWINNED_WITH", "from": "mun:h", "to": "city:s", "since": "1986"}]})";
  const std::string foreign_doc = R"({"format": "twinscan/1", "source": {"id": "cn",
    "role": "foreign-side"}, "entities": [
      {"id": "cn:hh", "kind": "Municipality", "name": "汉堡", "country": "DE"},
      {"id": "cn:sh", "kind": "ForeignCity", "name": "上海", "country": "CN"}],
    "relations": [{"kind": "TWINNED_WITH", "from": "cn:sh", "to": "cn:hh", "since": "1987"}]})";
  const Loaded loaded = load({{"mfa.json", register_doc}, {"cn.json", foreign_doc}},
                             {{"cn:hh", "mun:h"}, {"city:s", "cn:sh"}});
  REQUIRE(loaded.graph);
  const model::Graph& g = *loaded.graph;
  CHECK(g.entity_count() == 2);
  const auto h = g.find("mun:h");
  REQUIRE(h);
  CHECK(g.find("cn:hh") == h);
  CHECK(g.id(*h) == "mun:h");
  // Each side's declaration stays a relation of its own, between the joined entities...
  REQUIRE(g.relation_count() == 2);
  CHECK(g.relation_id(1) == "city:s-TWINNED_WITH->mun:h");
  // ... and the tie read as one has both sources, and their disagreement on its start.
  const model::TieReader ties(g);
  const auto statements = ties.statements(*h, *g.find("city:s"));
  REQUIRE(statements.size() == 2);
  const auto disagreements = ties.disagreements(statements);
  REQUIRE(disagreements.size() == 1);
  CHECK(ties.describe(disagreements[0]) == "since: 1986 (mfa) vs 1987 (cn)");
}

TEST_CASE("a relation stated twice in one document stays two; across documents it is one",
          "[statements]") {
  const std::string entities = R"("entities": [{"id": "a", "kind": "Firm"},
    {"id": "b", "kind": "Firm"}])";
  const std::string twice = R"({"format": "twinscan/1", )" + entities + R"(, "relations": [
      {"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.2},
      {"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.1}]})";
  const std::string once = R"({"format": "twinscan/1", "relations": [
      {"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.2}]})";
  const Loaded loaded = load({{"one.json", twice}, {"two.json", once}});
  REQUIRE(loaded.graph);
  const model::Graph& g = *loaded.graph;
  REQUIRE(g.relation_count() == 2);
  // The first statement of two.json meets the first of one.json.
  CHECK(source_ids(g, g.relation_sources(0)) == std::vector<std::string>{"one", "two"});
  CHECK(source_ids(g, g.relation_sources(1)) == std::vector<std::string>{"one"});
  CHECK(g.relation_id(1) == "a-OWNED_BY->b#2");
  CHECK_FALSE(g.has_disagreements());
}

TEST_CASE("one id stated with two kinds by two sources is an error naming both", "[statements]") {
  const Loaded loaded = load(
      {{"a.json", R"({"format": "twinscan/1", "entities": [{"id": "x", "kind": "Firm"}]})"},
       {"b.json", R"({"format": "twinscan/1", "entities": [{"id": "x", "kind": "Person"}]})"}});
  CHECK_FALSE(loaded.graph);
  REQUIRE(loaded.errors.size() == 1);
  CHECK(loaded.errors[0].find("b.json:1:39: error: entity 'x' is stated here with another kind "
                              "than at a.json:1:39") == 0);
}

TEST_CASE("an entity stated by many sources costs its sets once, not one per source",
          "[statements]") {
  // 400 sources restate one municipality (name, country, a list), the even ones giving
  // another population: every source is kept, on the entity, each value and the
  // disagreement, and the set table holds the final sets, not the 400 on the way to them
  // (400 * 401 / 2 members).
  constexpr int kSources = 400;
  std::vector<std::pair<std::string, std::string>> documents;
  for (int i = 0; i < kSources; ++i) {
    const std::string id = "s" + std::to_string(i);
    documents.emplace_back(
        id + ".json", R"({"format": "twinscan/1", "source": {"id": ")" + id +
                          R"("}, "entities": [{"id": "mun:a", "kind": "Municipality", "name": "A",
            "country": "IL", "lists": ["x"], "population": )" +
                          (i % 2 == 0 ? "1000" : "2000") + "}]}");
  }
  const Loaded loaded = load(documents);
  REQUIRE(loaded.graph);
  const model::Graph& g = *loaded.graph;
  const auto a = g.find("mun:a");
  REQUIRE(a);
  CHECK(g.entity_sources(*a).size() == kSources);
  const auto props = g.properties(*a);
  const auto country = std::find_if(props.begin(), props.end(), [&](const model::Property& p) {
    return p.key == key(g, "country");
  });
  REQUIRE(country != props.end());
  CHECK(g.source_set(country->sources).size() == kSources);
  const auto population = std::find_if(props.begin(), props.end(), [&](const model::Property& p) {
    return p.key == key(g, "population");
  });
  REQUIRE(population != props.end());
  CHECK(g.source_set(population->sources).size() == kSources / 2);  // the even ones
  REQUIRE(g.entity_disagreements(*a).size() == 1);
  CHECK(g.source_set(g.entity_disagreements(*a)[0].sources).size() == kSources / 2);
  // The singletons, the whole set and the two halves: a few times the sources.
  CHECK(g.arrays().source_set_members.size() < 5 * kSources);
}

TEST_CASE("statements folded across documents keep every entity's and relation's own data",
          "[statements]") {
  // Four documents state overlapping parts of a ring of firms, each owning the next: the
  // merged entities and relations, in the order of their first statements, each with its
  // first name, its sources in load order and its own share, whatever folds around it.
  constexpr int kFirms = 60;
  constexpr int kDocuments = 4;
  auto states_firm = [](int firm, int document) { return (firm * 7 + document * 3) % 5 != 0; };
  auto names_firm = [](int firm, int document) { return (firm + document) % 3 == 0; };
  auto states_tie = [](int firm, int document) { return (firm + document) % 4 != 1; };
  auto firm_id = [](int firm) { return "firm:" + std::to_string(firm); };
  std::vector<std::pair<std::string, std::string>> documents;
  for (int d = 0; d < kDocuments; ++d) {
    std::string entities, relations;
    for (int f = 0; f < kFirms; ++f) {
      if (!states_firm(f, d)) continue;
      entities +=
          std::string(entities.empty() ? "" : ",") + R"({"id": ")" + firm_id(f) +
          R"(", "kind": "Firm")" +
          (names_firm(f, d) ? R"(, "name": "F)" + std::to_string(f) + "-" + std::to_string(d) + "\""
                            : std::string()) +
          "}";
    }
    for (int f = 0; f < kFirms; ++f) {
      if (!states_tie(f, d)) continue;
      relations += std::string(relations.empty() ? "" : ",") + R"({"kind": "OWNED_BY", "from": ")" +
                   firm_id(f) + R"(", "to": ")" + firm_id((f + 1) % kFirms) + R"(", "share": 0.)" +
                   std::to_string(10 + f) + "}";
    }
    const std::string id = "s" + std::to_string(d);
    documents.emplace_back(id + ".json", R"({"format": "twinscan/1", "source": {"id": ")" + id +
                                             R"("}, "entities": [)" + entities +
                                             R"(], "relations": [)" + relations + "]}");
  }
  // Every firm is stated by some document (no firm is left out of all four).
  for (int f = 0; f < kFirms; ++f) {
    bool stated = false;
    for (int d = 0; d < kDocuments; ++d) stated = stated || states_firm(f, d);
    REQUIRE(stated);
  }
  const Loaded loaded = load(documents);
  INFO((loaded.errors.empty() ? std::string() : loaded.errors.front()));
  REQUIRE(loaded.graph);
  const model::Graph& g = *loaded.graph;

  // The oracle: the firms (or their ties) in the order some document first states them.
  auto first_stated_order = [&](const auto& states) {
    std::vector<int> order;
    for (int d = 0; d < kDocuments; ++d)
      for (int f = 0; f < kFirms; ++f)
        if (states(f, d) && std::find(order.begin(), order.end(), f) == order.end())
          order.push_back(f);
    return order;
  };
  // Entities in that order, each with its first name and its sources.
  const std::vector<int> entity_order = first_stated_order(states_firm);
  REQUIRE(g.entity_count() == entity_order.size());
  for (std::size_t v = 0; v < entity_order.size(); ++v) {
    const int f = entity_order[v];
    INFO(firm_id(f));
    CHECK(g.id(static_cast<model::VertexId>(v)) == firm_id(f));
    std::string name;
    std::vector<std::string> sources;
    for (int d = 0; d < kDocuments; ++d) {
      if (!states_firm(f, d)) continue;
      sources.push_back("s" + std::to_string(d));
      if (name.empty() && names_firm(f, d))
        name = "F" + std::to_string(f) + "-" + std::to_string(d);
    }
    CHECK(std::string(g.name(static_cast<model::VertexId>(v))) ==
          (name.empty() ? firm_id(f) : name));
    CHECK(source_ids(g, g.entity_sources(static_cast<model::VertexId>(v))) == sources);
  }
  // Relations in the order first stated, each with its sources and share.
  const std::vector<int> relation_order = first_stated_order(states_tie);
  REQUIRE(g.relation_count() == relation_order.size());
  const model::Sym share = key(g, "share");
  for (std::size_t r = 0; r < relation_order.size(); ++r) {
    const int f = relation_order[r];
    const auto rel = static_cast<model::RelationId>(r);
    INFO(firm_id(f));
    CHECK(g.id(g.relation_source(rel)) == firm_id(f));
    CHECK(g.id(g.relation_target(rel)) == firm_id((f + 1) % kFirms));
    std::vector<std::string> sources;
    for (int d = 0; d < kDocuments; ++d)
      if (states_tie(f, d)) sources.push_back("s" + std::to_string(d));
    CHECK(source_ids(g, g.relation_sources(rel)) == sources);
    const model::Value* stated = g.relation_property(rel, share);
    REQUIRE(stated);
    CHECK(stated->number == Approx((10 + f) / 100.0));
    CHECK(g.relation_properties(rel).size() == 1);
  }
  CHECK_FALSE(g.has_disagreements());
}

// Relations without ids stated at random by several documents, some twice or more in one
// document, some between entities that relate the other way or by another kind: each
// must meet as the reference model says (the k-th statement of a kind and ends in one
// document meets the k-th in another), in the order first stated, keeping the first
// statement's role and a disagreement where a later one differs.
TEST_CASE("relations without ids meet across documents as the k-th meets the k-th",
          "[statements]") {
  constexpr int kDocuments = 4;
  const char* kinds[] = {"REPRESENTS", "BROKERED"};  // both join a person to an agreement
  struct Statement {
    int document, kind, from, to, role;
  };
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    std::uint32_t state = seed * 2654435761u;
    auto next = [&](int bound) {
      state = state * 1664525u + 1013904223u;
      return static_cast<int>((state >> 8) % static_cast<std::uint32_t>(bound));
    };
    std::vector<Statement> statements;
    std::vector<std::pair<std::string, std::string>> documents;
    for (int d = 0; d < kDocuments; ++d) {
      std::string body = R"({"format": "twinscan/1", "source": {"id": "s)" + std::to_string(d) +
                         R"("}, "entities": [)";
      for (int e = 0; e < 3; ++e) {
        body += std::string(e ? "," : "") + R"({"id": "p)" + std::to_string(e) +
                R"(", "kind": "Person"}, {"id": "a)" + std::to_string(e) +
                R"(", "kind": "Agreement"})";
      }
      body += R"(], "relations": [)";
      const int count = next(7);
      for (int i = 0; i < count; ++i) {
        const Statement s{d, next(2), next(3), next(3), 1 + next(2)};
        statements.push_back(s);
        body += std::string(i ? "," : "") + R"({"kind": ")" + kinds[s.kind] + R"(", "from": "p)" +
                std::to_string(s.from) + R"(", "to": "a)" + std::to_string(s.to) +
                R"(", "role": "r)" + std::to_string(s.role) + R"("})";
      }
      documents.push_back({"d" + std::to_string(d) + ".json", body + "]}"});
    }
    // The reference: per kind and ends, the relations opened so far; per document, how
    // many statements of that kind and ends it has made.
    struct Expected {
      Statement first;
      std::vector<int> documents;
      bool disagrees = false;
    };
    std::vector<Expected> expected;
    std::map<std::tuple<int, int, int>, std::vector<std::size_t>> opened;
    std::map<std::tuple<int, int, int, int>, std::size_t> seen;
    for (const Statement& s : statements) {
      const auto ends = std::make_tuple(s.kind, s.from, s.to);
      const std::size_t k = seen[std::make_tuple(s.document, s.kind, s.from, s.to)]++;
      auto& relations = opened[ends];
      if (k == relations.size()) {
        relations.push_back(expected.size());
        expected.push_back({s, {s.document}});
      } else {
        Expected& e = expected[relations[k]];
        e.documents.push_back(s.document);
        e.disagrees = e.disagrees || s.role != e.first.role;
      }
    }
    const Loaded loaded = load(documents);
    INFO("seed " << seed);
    INFO((loaded.errors.empty() ? std::string() : loaded.errors.front()));
    REQUIRE(loaded.graph);
    const model::Graph& g = *loaded.graph;
    REQUIRE(g.relation_count() == expected.size());
    const model::Sym role = expected.empty() ? 0 : key(g, "role");
    for (std::size_t r = 0; r < expected.size(); ++r) {
      const auto rel = static_cast<model::RelationId>(r);
      const Expected& e = expected[r];
      CHECK(g.schema().relation(g.relation_kind(rel)).name == kinds[e.first.kind]);
      CHECK(g.id(g.relation_source(rel)) == "p" + std::to_string(e.first.from));
      CHECK(g.id(g.relation_target(rel)) == "a" + std::to_string(e.first.to));
      std::vector<std::string> sources;
      for (const int d : e.documents) sources.push_back("s" + std::to_string(d));
      CHECK(source_ids(g, g.relation_sources(rel)) == sources);
      const model::Value* stated = g.relation_property(rel, role);
      REQUIRE(stated);
      CHECK(g.str(stated->string) == "r" + std::to_string(e.first.role));
      CHECK(model::describe_relation_disagreements(g, rel).size() == (e.disagrees ? 1u : 0u));
    }
  }
}
