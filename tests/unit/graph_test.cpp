#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/model/adjacency_csr.h"
#include "analyzer/model/graph.h"

using twinscan::diag::Diagnostics;
using twinscan::diag::SourceText;
using twinscan::io::RegistryLoader;
using twinscan::model::Adjacency;
using twinscan::model::Graph;
using twinscan::model::GraphArrays;
using twinscan::model::KindId;
using twinscan::model::RelationId;
using twinscan::model::RelKindId;
using twinscan::model::Schema;
using twinscan::model::VertexId;

namespace {

struct Generated {
  std::vector<std::string> documents;
  std::vector<std::string> entity_ids;  // in definition order
  std::vector<KindId> entity_kinds;
  struct Relation {
    std::size_t from = 0;  // index into entity_ids
    std::size_t to = 0;
    RelKindId kind = 0;
  };
  std::vector<Relation> relations;  // in definition order
};

/// A random registry with valid endpoints, spread over `document_count` documents so that
/// relations refer to entities of earlier and later documents alike.
Generated generate(const Schema& schema, std::uint32_t seed, std::size_t entity_count,
                   std::size_t relation_count, std::size_t document_count) {
  // Raw engine output only: the distributions of <random> differ between libraries.
  std::mt19937 rng(seed);
  const auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  Generated out;
  const std::size_t kinds = schema.kinds().size();
  std::vector<std::vector<std::size_t>> of_kind(kinds);
  for (std::size_t i = 0; i < entity_count; ++i) {
    // Every kind gets at least one entity, then kinds are drawn at random.
    const auto kind = static_cast<KindId>(i < kinds ? i : below(kinds));
    out.entity_ids.push_back("e" + std::to_string(i) + ":" + schema.kind(kind).name);
    out.entity_kinds.push_back(kind);
    of_kind[kind].push_back(i);
  }
  const auto pick = [&](twinscan::model::KindMask mask) {
    std::vector<std::size_t> allowed;
    for (std::size_t k = 0; k < kinds; ++k) {
      if (mask >> k & 1U) allowed.push_back(k);
    }
    const auto& pool = of_kind[allowed[below(allowed.size())]];
    return pool[below(pool.size())];
  };
  std::set<std::tuple<RelKindId, std::size_t, std::size_t>> drawn;
  for (std::size_t i = 0; i < relation_count; ++i) {
    Generated::Relation r;
    r.kind = static_cast<RelKindId>(below(schema.relations().size()));
    r.from = pick(schema.relation(r.kind).from);
    // Some parallel relations, which get derived ids numbered #2, #3, ...: copies of an
    // earlier relation of the same document (in another document, the same kind and
    // ends would be the same relation stated by another source).
    if (i >= document_count && below(50) == 0) {
      r = out.relations[i - document_count * (1 + below(i / document_count))];
    } else {
      // Within what the endpoints allow, only the pairs the kind allows (TWINNED_WITH
      // never joins two municipalities).
      // A kind and ends drawn before would be the same relation stated again (merged
      // across documents): drawn anew.
      do {
        r.to = pick(schema.relation(r.kind).to);
      } while (!schema.relation(r.kind).allows(out.entity_kinds[r.from], out.entity_kinds[r.to]) ||
               !drawn.insert({r.kind, r.from, r.to}).second);
    }
    out.relations.push_back(r);
  }
  // Entities and relations are dealt round-robin into the documents, keeping their order
  // within each document; the global order is then document by document.
  out.documents.assign(document_count, "");
  std::vector<std::string> entities(document_count), relations(document_count);
  std::vector<std::size_t> entity_order, relation_order;
  for (std::size_t d = 0; d < document_count; ++d) {
    for (std::size_t i = d; i < entity_count; i += document_count) {
      if (!entities[d].empty()) entities[d] += ",\n";
      entities[d] += R"(  {"id": ")" + out.entity_ids[i] + R"(", "kind": ")" +
                     schema.kind(out.entity_kinds[i]).name + R"(", "name": "Entity )" +
                     std::to_string(i) + "\"}";
      entity_order.push_back(i);
    }
    for (std::size_t i = d; i < relation_count; i += document_count) {
      const auto& r = out.relations[i];
      if (!relations[d].empty()) relations[d] += ",\n";
      relations[d] += R"(  {"kind": ")" + schema.relation(r.kind).name + R"(", "from": ")" +
                      out.entity_ids[r.from] + R"(", "to": ")" + out.entity_ids[r.to] + "\"}";
      relation_order.push_back(i);
    }
    out.documents[d] = "{\"format\": \"twinscan/1\",\n\"entities\": [\n" + entities[d] +
                       "\n],\n\"relations\": [\n" + relations[d] + "\n]}\n";
  }
  // Renumber to the order the loader sees.
  Generated ordered;
  ordered.documents = std::move(out.documents);
  std::vector<std::size_t> new_index(entity_count);
  for (std::size_t i = 0; i < entity_count; ++i) {
    new_index[entity_order[i]] = i;
    ordered.entity_ids.push_back(out.entity_ids[entity_order[i]]);
    ordered.entity_kinds.push_back(out.entity_kinds[entity_order[i]]);
  }
  for (std::size_t i : relation_order) {
    auto r = out.relations[i];
    r.from = new_index[r.from];
    r.to = new_index[r.to];
    ordered.relations.push_back(r);
  }
  return ordered;
}

using Edge = std::tuple<VertexId, RelationId, RelKindId>;

std::vector<Edge> edges_of(std::span<const Adjacency> adjacency) {
  std::vector<Edge> out;
  for (const auto& a : adjacency) out.emplace_back(a.other, a.relation, a.kind);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("registry graph: adjacency of a random registry matches a brute-force scan",
          "[registry]") {
  Diagnostics diagnostics;
  bool missing = false;
  const auto schema = twinscan::io::load_schema({}, diagnostics, missing);
  REQUIRE(schema);
  const std::size_t kEntities = 2000;
  const std::size_t kRelations = 10000;
  const Generated generated = generate(*schema, 20240501, kEntities, kRelations, 4);

  RegistryLoader loader(schema, diagnostics);
  for (std::size_t d = 0; d < generated.documents.size(); ++d) {
    loader.add_source(SourceText("random-" + std::to_string(d) + ".json", generated.documents[d]));
  }
  const auto graph = loader.finish();
  INFO((diagnostics.all().empty() ? std::string() : diagnostics.all().front().to_string()));
  REQUIRE(graph);
  // Random relations may loop back to their source or repeat another, which is warned
  // about; nothing else.
  for (const auto& d : diagnostics.all()) {
    INFO(d.to_string());
    CHECK(d.severity == twinscan::diag::Severity::kWarning);
    CHECK((d.message.find("to itself") != std::string::npos ||
           d.message.find("repeats the one at") != std::string::npos));
  }
  const Graph& g = *graph;
  REQUIRE(g.entity_count() == kEntities);
  REQUIRE(g.relation_count() == kRelations);

  // Entities and relations keep the loader's order and their generated endpoints.
  std::size_t wrong_entities = 0, wrong_relations = 0;
  for (VertexId v = 0; v < kEntities; ++v) {
    if (g.id(v) != generated.entity_ids[v] || g.kind(v) != generated.entity_kinds[v] ||
        g.find(generated.entity_ids[v]) != v) {
      ++wrong_entities;
    }
  }
  for (RelationId r = 0; r < kRelations; ++r) {
    const auto& expected = generated.relations[r];
    if (g.relation_source(r) != expected.from || g.relation_target(r) != expected.to ||
        g.relation_kind(r) != expected.kind) {
      ++wrong_relations;
    }
  }
  CHECK(wrong_entities == 0);
  CHECK(wrong_relations == 0);

  // Brute force: every relation, for every vertex, in both directions, per kind.
  const std::size_t kinds = schema->relations().size();
  std::vector<std::vector<Edge>> out(kEntities), in(kEntities);
  for (RelationId r = 0; r < kRelations; ++r) {
    const auto& rel = generated.relations[r];
    out[rel.from].emplace_back(static_cast<VertexId>(rel.to), r, rel.kind);
    in[rel.to].emplace_back(static_cast<VertexId>(rel.from), r, rel.kind);
  }
  std::size_t out_mismatch = 0, in_mismatch = 0, kind_mismatch = 0, unsorted = 0;
  std::size_t edges_seen = 0;
  for (VertexId v = 0; v < kEntities; ++v) {
    std::sort(out[v].begin(), out[v].end());
    std::sort(in[v].begin(), in[v].end());
    if (edges_of(g.out_edges(v)) != out[v]) ++out_mismatch;
    if (edges_of(g.in_edges(v)) != in[v]) ++in_mismatch;
    edges_seen += g.out_edges(v).size();
    const auto all_out = g.out_edges(v);
    if (!std::is_sorted(all_out.begin(), all_out.end(),
                        [](const Adjacency& a, const Adjacency& b) { return a.kind < b.kind; })) {
      ++unsorted;
    }
    for (RelKindId k = 0; k < kinds; ++k) {
      std::vector<Edge> want_out, want_in;
      std::copy_if(out[v].begin(), out[v].end(), std::back_inserter(want_out),
                   [&](const Edge& e) { return std::get<2>(e) == k; });
      std::copy_if(in[v].begin(), in[v].end(), std::back_inserter(want_in),
                   [&](const Edge& e) { return std::get<2>(e) == k; });
      if (edges_of(g.out_edges(v, k)) != want_out) ++kind_mismatch;
      if (edges_of(g.in_edges(v, k)) != want_in) ++kind_mismatch;
    }
  }
  CHECK(edges_seen == kRelations);
  CHECK(out_mismatch == 0);
  CHECK(in_mismatch == 0);
  CHECK(kind_mismatch == 0);
  CHECK(unsorted == 0);

  // Per-kind counts and the kind index agree with the generator.
  for (RelKindId k = 0; k < kinds; ++k) {
    const auto expected = static_cast<std::size_t>(
        std::count_if(generated.relations.begin(), generated.relations.end(),
                      [&](const auto& r) { return r.kind == k; }));
    CHECK(g.relation_count_of_kind(k) == expected);
  }
  for (KindId k = 0; k < schema->kinds().size(); ++k) {
    std::vector<VertexId> expected;
    for (VertexId v = 0; v < kEntities; ++v) {
      if (generated.entity_kinds[v] == k) expected.push_back(v);
    }
    const auto actual = g.vertices_of_kind(k);
    CHECK(std::vector<VertexId>(actual.begin(), actual.end()) == expected);
  }
}

TEST_CASE("registry graph: a vertex with many edges of one kind is split correctly by kind",
          "[registry]") {
  // More than 16 edges takes the binary-search path of out_edges(v, kind).
  std::string entities = R"({"id": "agr", "kind": "Agreement", "name": "A"},
{"id": "prj", "kind": "Project", "name": "P"},
{"id": "ca", "kind": "CentralAuthority", "name": "C"})";
  std::string relations;
  for (int i = 0; i < 40; ++i) {
    entities +=
        ",\n{\"id\": \"p" + std::to_string(i) + "\", \"kind\": \"Person\", \"name\": \"x\"}";
    if (!relations.empty()) relations += ",\n";
    relations += "{\"kind\": \"" + std::string(i % 2 ? "PARTY_TO" : "BROKERED") +
                 "\", \"from\": \"p" + std::to_string(i) + "\", \"to\": \"agr\"}";
  }
  for (int i = 0; i < 20; ++i)
    relations += ",\n{\"kind\": \"CONCERNS\", \"from\": \"agr\", \"to\": \"prj\"}";
  relations += ",\n{\"kind\": \"NOTIFIED\", \"from\": \"agr\", \"to\": \"ca\"}";
  const std::string text = "{\"format\": \"twinscan/1\", \"entities\": [" + entities +
                           "], \"relations\": [" + relations + "]}";
  Diagnostics diagnostics;
  bool missing = false;
  const auto schema = twinscan::io::load_schema({}, diagnostics, missing);
  REQUIRE(schema);
  RegistryLoader loader(schema, diagnostics);
  loader.add_source(SourceText("hub.json", text));
  const auto graph = loader.finish();
  REQUIRE(graph);
  const Graph& g = *graph;
  const VertexId agr = *g.find("agr");
  const auto kind = [&](const char* name) { return *schema->find_relation(name); };
  CHECK(g.in_edges(agr).size() == 40);
  CHECK(g.in_edges(agr, kind("PARTY_TO")).size() == 20);
  CHECK(g.in_edges(agr, kind("BROKERED")).size() == 20);
  CHECK(g.in_edges(agr, kind("CONCERNS")).empty());
  CHECK(g.out_edges(agr).size() == 21);
  CHECK(g.out_edges(agr, kind("CONCERNS")).size() == 20);
  CHECK(g.out_edges(agr, kind("NOTIFIED")).size() == 1);
  CHECK(g.out_edges(agr, kind("OWNED_BY")).empty());
  CHECK(g.out_edges(agr, kind("TWINNED_WITH")).empty());
  CHECK(g.out_edges(agr, kind("BROKERED")).empty());
  for (const auto& a : g.in_edges(agr, kind("PARTY_TO"))) {
    CHECK(g.relation_kind(a.relation) == kind("PARTY_TO"));
    CHECK(g.relation_target(a.relation) == agr);
    CHECK(g.relation_source(a.relation) == a.other);
  }
  // The 20 parallel CONCERNS relations get 20 distinct derived ids.
  std::vector<std::string> ids;
  for (const auto& a : g.out_edges(agr, kind("CONCERNS")))
    ids.emplace_back(g.relation_id(a.relation));
  std::sort(ids.begin(), ids.end());
  CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
  CHECK(std::count(ids.begin(), ids.end(), "agr-CONCERNS->prj") == 1);
  CHECK(std::count(ids.begin(), ids.end(), "agr-CONCERNS->prj#20") == 1);
}

TEST_CASE("registry graph: a graph is made from arrays filled by hand and shows them back",
          "[registry]") {
  // The public way the snapshot codec makes a graph: fill GraphArrays, then construct.
  Diagnostics diagnostics;
  bool missing = false;
  const auto schema = twinscan::io::load_schema({}, diagnostics, missing);
  REQUIRE(schema);
  const KindId agreement = *schema->find_kind("Agreement");
  const KindId project = *schema->find_kind("Project");
  const RelKindId concerns = *schema->find_relation("CONCERNS");
  GraphArrays a;
  a.documents = {"hand.json"};
  a.document_sources = {"by hand"};
  a.entity_prop_start.push_back(0);
  a.relation_prop_start.push_back(0);
  for (const auto& [id, kind] : {std::pair{"agr", agreement}, std::pair{"prj", project}}) {
    a.entity_id.push_back(a.strings.intern(id));
    a.entity_kind.push_back(kind);
    a.entity_name.push_back(0);
    a.entity_source.push_back({0, 1, 1});
    a.entity_prop_start.push_back(0);
  }
  a.relation_id.push_back(a.strings.intern("agr-CONCERNS->prj"));
  a.relation_kind.push_back(concerns);
  a.relation_from.push_back(0);
  a.relation_to.push_back(1);
  a.relation_source_ref.push_back({0, 2, 1});
  a.relation_prop_start.push_back(0);
  a.relation_kind_count.assign(schema->relations().size(), 0);
  a.relation_kind_count[concerns] = 1;
  a.vertex_of_sym.assign(a.strings.size(), twinscan::model::kNoVertex);
  a.vertex_of_sym[a.entity_id[0]] = 0;
  a.vertex_of_sym[a.entity_id[1]] = 1;
  a.kind_start.assign(schema->kinds().size() + 1, 0);
  for (KindId k = 0; k < schema->kinds().size(); ++k)
    a.kind_start[k + 1] = a.kind_start[k] + (k == agreement) + (k == project);
  a.by_kind.push_back(agreement < project ? 0 : 1);
  a.by_kind.push_back(agreement < project ? 1 : 0);
  attach_adjacency(a);

  const Graph g(schema, std::move(a));
  REQUIRE(g.entity_count() == 2);
  CHECK(g.arrays().entity_kind.size() == 2);
  CHECK(g.document_source(0) == "by hand");
  const VertexId agr = *g.find("agr");
  const VertexId prj = *g.find("prj");
  REQUIRE(g.out_edges(agr, concerns).size() == 1);
  CHECK(g.out_edges(agr, concerns)[0].other == prj);
  REQUIRE(g.in_edges(prj).size() == 1);
  CHECK(g.in_edges(prj)[0].other == agr);
  CHECK(g.relation_id(g.in_edges(prj)[0].relation) == "agr-CONCERNS->prj");
  CHECK(g.vertices_of_kind(project).size() == 1);
  CHECK(g.relation_count_of_kind(concerns) == 1);
}
