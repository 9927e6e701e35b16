// Pins the mechanisms that make loading fast: each must leave what is loaded exactly as
// loading one thing after another would.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/model/graph.h"
#include "analyzer/util/string_pool.h"

using twinscan::diag::Diagnostics;
using twinscan::diag::SourceText;
using twinscan::io::RegistryLoader;
using twinscan::model::Adjacency;
using twinscan::model::Graph;
using twinscan::model::RelationId;
using twinscan::model::Schema;
using twinscan::model::VertexId;
using twinscan::util::StringPool;
using twinscan::util::Sym;
namespace fs = std::filesystem;

namespace {

std::shared_ptr<const Schema> schema() {
  static const std::shared_ptr<const Schema> s = [] {
    Diagnostics diagnostics;
    bool missing = false;
    auto loaded = twinscan::io::load_schema({}, diagnostics, missing);
    REQUIRE(loaded);
    return loaded;
  }();
  return s;
}

std::string document(const std::string& entities, const std::string& relations = "") {
  return "{\"format\": \"twinscan/1\",\n\"entities\": [\n" + entities + "\n],\n\"relations\": [\n" +
         relations + "\n]}\n";
}

std::shared_ptr<const Graph> load_text(const std::string& text, Diagnostics& diagnostics) {
  RegistryLoader loader(schema(), diagnostics);
  loader.add_source(SourceText("doc.json", text));
  return loader.finish();
}

}  // namespace

TEST_CASE("string pool: interning with a hash computed ahead and prefetched gives the same symbols",
          "[registry]") {
  StringPool one_by_one, ahead;
  std::vector<std::string> texts;
  for (int i = 0; i < 5000; ++i) texts.push_back("e" + std::to_string(i % 3000) + "-OWNED_BY->x");
  std::vector<Sym> expected;
  for (const auto& t : texts) expected.push_back(one_by_one.intern(t));
  std::vector<Sym> got;
  for (const auto& t : texts) {
    const std::uint64_t h = StringPool::hash(t);
    ahead.prefetch(h);
    got.push_back(ahead.intern(t, h));
  }
  CHECK(got == expected);
  CHECK(ahead.size() == one_by_one.size());
  CHECK(ahead.size() == 3001);
  Sym found = 0;
  CHECK(ahead.find("e2999-OWNED_BY->x", found));
  CHECK(ahead.str(found) == "e2999-OWNED_BY->x");
}

TEST_CASE(
    "string pool: interning unchecked finds a known text by its hash and says so, and adds a "
    "new one",
    "[registry]") {
  StringPool pool;
  const Sym a = pool.intern("firm:port-co");
  bool unchecked = false;
  CHECK(pool.intern_unchecked("firm:port-co", StringPool::hash("firm:port-co"), unchecked) == a);
  CHECK(unchecked);
  const Sym b = pool.intern_unchecked("gov:sasac", StringPool::hash("gov:sasac"), unchecked);
  CHECK_FALSE(unchecked);
  CHECK(b == pool.size() - 1);
  CHECK(pool.str(b) == "gov:sasac");
  pool.prefetch_entry(b);
  pool.prefetch_text(b);
  CHECK(pool.intern("gov:sasac") == b);
  // A text given with another text's hash is taken for it: the caller compares them.
  CHECK(pool.intern_unchecked("gov:other", StringPool::hash("firm:port-co"), unchecked) == a);
  CHECK(unchecked);
  CHECK(pool.str(a) != "gov:other");
}

TEST_CASE("registry loader: derived relation ids named in batches are numbered as one by one",
          "[registry]") {
  // 40 relations between the same ends, one with an explicit id that a derived id would
  // take: the numbering crosses the batches the ids are interned in.
  std::string relations;
  for (int i = 0; i < 40; ++i) {
    if (!relations.empty()) relations += ",\n";
    relations += i == 20
                     ? R"({"kind": "OWNED_BY", "from": "a", "to": "b", "id": "a-OWNED_BY->b#7"})"
                     : R"({"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.)" +
                           std::to_string(10 + i) + "}";
  }
  relations += ",\n" + std::string(R"({"kind": "OWNED_BY", "from": "c", "to": "b"})");
  Diagnostics diagnostics;
  const auto g = load_text(document(R"({"id": "a", "kind": "Firm", "name": "A"},
{"id": "b", "kind": "Person", "name": "B"},
{"id": "c", "kind": "Firm", "name": "C"})",
                                    relations),
                           diagnostics);
  REQUIRE(g);
  std::vector<std::string> expected;
  int k = 1;
  for (int i = 0; i < 40; ++i) {
    if (i == 20) {
      expected.emplace_back("a-OWNED_BY->b#7");
      continue;
    }
    if (k == 7) ++k;  // taken by the explicit id
    expected.push_back(k == 1 ? "a-OWNED_BY->b" : "a-OWNED_BY->b#" + std::to_string(k));
    ++k;
  }
  expected.emplace_back("c-OWNED_BY->b");
  std::vector<std::string> ids;
  for (RelationId r = 0; r < g->relation_count(); ++r) ids.emplace_back(g->relation_id(r));
  CHECK(ids == expected);
}

TEST_CASE(
    "registry loader: adjacency built on two threads lists each relation once per direction, "
    "sorted by kind, far end and relation, beside relations named on another thread",
    "[registry]") {
  // Enough relations to build the two directions on two threads.
  // Cities f0..f299 and governments f300..f599; a city is twinned with a city or
  // controlled by a government, so that each city has edges of two kinds.
  const int entities = 600, cities = 300, relation_count = 60000;
  std::string ents;
  for (int i = 0; i < entities; ++i) {
    if (i) ents += ",\n";
    ents += R"({"id": "f)" + std::to_string(i) + R"(", "kind": ")" +
            (i < cities ? "ForeignCity" : "ForeignGovernment") + R"(", "name": "F)" +
            std::to_string(i) + "\"}";
  }
  std::string rels;
  std::uint32_t x = 12345;
  for (int i = 0; i < relation_count; ++i) {
    x = x * 1103515245U + 12345U;
    const int from = static_cast<int>((x >> 8) % cities);
    x = x * 1103515245U + 12345U;
    const bool twinned = i % 3 != 0;
    int to = static_cast<int>((x >> 8) % cities);
    if (twinned && to == from) to = (to + 1) % cities;
    if (!twinned) to += cities;
    if (i) rels += ",\n";
    // Every other relation has no id: its id is derived (named beside the indexing).
    rels += (i % 2 == 0 ? R"({"id": "r)" + std::to_string(i) + R"(", )" : std::string("{")) +
            R"("kind": )" + (twinned ? R"("TWINNED_WITH")" : R"("CONTROLLED_BY")") +
            R"(, "from": "f)" + std::to_string(from) + R"(", "to": "f)" + std::to_string(to) +
            "\"}";
  }
  Diagnostics diagnostics;
  const auto g = load_text(document(ents, rels), diagnostics);
  REQUIRE(g);
  REQUIRE(g->relation_count() == static_cast<std::size_t>(relation_count));
  // The reference: every relation seen from each end, sorted.
  using Edge = std::tuple<VertexId, std::uint32_t, VertexId, RelationId>;  // vertex, kind, other, r
  std::vector<Edge> out_expected, in_expected, out_got, in_got;
  for (RelationId r = 0; r < g->relation_count(); ++r) {
    out_expected.emplace_back(g->relation_source(r), g->relation_kind(r), g->relation_target(r), r);
    in_expected.emplace_back(g->relation_target(r), g->relation_kind(r), g->relation_source(r), r);
  }
  std::sort(out_expected.begin(), out_expected.end());
  std::sort(in_expected.begin(), in_expected.end());
  for (VertexId v = 0; v < g->entity_count(); ++v) {
    for (const Adjacency& e : g->out_edges(v)) out_got.emplace_back(v, e.kind, e.other, e.relation);
    for (const Adjacency& e : g->in_edges(v)) in_got.emplace_back(v, e.kind, e.other, e.relation);
  }
  CHECK(out_got == out_expected);
  CHECK(in_got == in_expected);
  // The derived ids, numbered in document order as one by one.
  std::map<std::string, int> seen;
  for (RelationId r = 0; r < g->relation_count(); ++r) {
    if (r % 2 == 0) {
      CHECK(g->relation_id(r) == "r" + std::to_string(r));
      continue;
    }
    const std::string base = std::string(g->id(g->relation_source(r))) + "-" +
                             g->schema().relation(g->relation_kind(r)).name + "->" +
                             std::string(g->id(g->relation_target(r)));
    const int k = ++seen[base];
    CHECK(g->relation_id(r) == (k == 1 ? base : base + "#" + std::to_string(k)));
  }
  CHECK(seen.size() < static_cast<std::size_t>(relation_count / 2));  // some are numbered
}

TEST_CASE(
    "registry loader: a folder's documents, read ahead on another thread, are loaded and "
    "reported in the folder's order",
    "[registry]") {
  const fs::path dir =
      fs::temp_directory_path() / ("twinscan-read-ahead-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  // a: an error; b: a broken link (missing); c: an error; d and e: fine, e refers to an
  // entity d defines.
  std::ofstream(dir / "a.json") << document(R"({"id": "x1", "kind": "Firn"})");
  fs::create_symlink(dir / "nowhere.json.missing", dir / "b.json");
  std::ofstream(dir / "c.json") << document(R"({"id": "x2", "kind": "Persn"})");
  std::ofstream(dir / "d.json") << document(R"({"id": "p", "kind": "Person", "name": "P"})");
  std::ofstream(dir / "e.json") << document(R"({"id": "q", "kind": "Firm", "name": "Q"})",
                                            R"({"kind": "OWNED_BY", "from": "q", "to": "p"})");
  Diagnostics diagnostics;
  RegistryLoader loader(schema(), diagnostics);
  loader.add_path(dir.string());
  CHECK(loader.missing_input());
  CHECK(loader.document_count() == 4);
  CHECK(loader.finish() == nullptr);
  std::vector<std::string> files;
  for (const auto& d : diagnostics.all())
    files.push_back(fs::path(d.where.file).filename().string());
  CHECK(files == std::vector<std::string>{"a.json", "b.json", "c.json"});

  // Without the failing documents the rest loads, across documents.
  fs::remove(dir / "a.json");
  fs::remove(dir / "b.json");
  fs::remove(dir / "c.json");
  Diagnostics clean;
  RegistryLoader again(schema(), clean);
  again.add_path(dir.string());
  const auto g = again.finish();
  REQUIRE(g);
  CHECK(g->documents().size() == 2);
  CHECK(g->relation_count() == 1);
  CHECK(g->relation_id(0) == "q-OWNED_BY->p");
  fs::remove_all(dir);
}

namespace {

// `count` firms f<first>…, one per line, and an ownership chain through them.
std::string firms(int first, int count) {
  std::string entities, relations;
  for (int i = first; i < first + count; ++i) {
    if (i != first) entities += ",\n";
    entities += R"({"id": "f)" + std::to_string(i) + R"(", "kind": "Firm", "name": "Firm )" +
                std::to_string(i) + "\"}";
    if (i + 1 < first + count) {
      if (!relations.empty()) relations += ",\n";
      relations += R"({"kind": "OWNED_BY", "from": "f)" + std::to_string(i) + R"(", "to": "f)" +
                   std::to_string(i + 1) + "\"}";
    }
  }
  return document(entities, relations);
}

// What a load gave, to compare two ways of loading: documents, entities and relations in
// order, and every diagnostic with its place.
std::vector<std::string> outcome(const RegistryLoader& loader, const Graph* g,
                                 const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  out.push_back("documents " + std::to_string(loader.document_count()) + " missing " +
                std::to_string(loader.missing_input()));
  for (const auto& d : diagnostics.all()) out.push_back(d.to_string());
  if (g == nullptr) return out;
  for (const auto& doc : g->documents()) out.push_back("document " + doc);
  for (VertexId v = 0; v < g->entity_count(); ++v) out.push_back("entity " + std::string(g->id(v)));
  for (RelationId r = 0; r < g->relation_count(); ++r)
    out.push_back("relation " + std::string(g->relation_id(r)));
  return out;
}

}  // namespace

TEST_CASE(
    "registry loader: paths read together (read ahead, each text in the memory of one before) "
    "load and report as paths added one by one",
    "[registry]") {
  const fs::path dir =
      fs::temp_directory_path() / ("twinscan-read-together-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "folder");
  // Sizes that shrink and grow, so that a text is read into a buffer larger or smaller
  // than itself: a trailing byte of the one before would break the document.
  std::ofstream(dir / "large.json") << firms(0, 400);
  std::ofstream(dir / "folder" / "a-small.json") << firms(1000, 3);
  std::ofstream(dir / "folder" / "b-larger.json") << firms(2000, 900);
  std::ofstream(dir / "folder" / "c-bad.json") << document(R"({"id": "x", "kind": "Firn"})");
  std::ofstream(dir / "tiny.json") << firms(3000, 1);
  fs::create_directories(dir / "empty");
  const std::vector<std::string> paths = {
      (dir / "large.json").string(), (dir / "nowhere").string(),   (dir / "folder").string(),
      (dir / "empty").string(),      (dir / "tiny.json").string(), (dir / "large.json").string()};

  Diagnostics one_by_one_diagnostics;
  RegistryLoader one_by_one(schema(), one_by_one_diagnostics);
  for (const auto& path : paths) one_by_one.add_path(path);
  const auto g1 = one_by_one.finish();
  const auto expected = outcome(one_by_one, g1.get(), one_by_one_diagnostics);

  Diagnostics together_diagnostics;
  RegistryLoader together(schema(), together_diagnostics);
  together.add_paths(paths);
  const auto g2 = together.finish();
  CHECK(outcome(together, g2.get(), together_diagnostics) == expected);

  // The problems, in the order of the paths: the missing path, the bad document, the
  // empty folder.
  REQUIRE(together_diagnostics.all().size() >= 3);
  CHECK(together_diagnostics.all()[0].where.file == (dir / "nowhere").string());
  CHECK(fs::path(together_diagnostics.all()[1].where.file).filename() == "c-bad.json");
  CHECK(together_diagnostics.all().back().where.file == (dir / "empty").string());

  // Without the problems, every document loads whole, whatever buffer it was read into.
  fs::remove(dir / "folder" / "c-bad.json");
  Diagnostics clean;
  RegistryLoader loader(schema(), clean);
  loader.add_paths(
      {(dir / "large.json").string(), (dir / "folder").string(), (dir / "tiny.json").string()});
  const auto g = loader.finish();
  REQUIRE(g);
  CHECK(g->documents().size() == 4);
  CHECK(g->entity_count() == 400 + 3 + 900 + 1);
  CHECK(g->relation_count() == 399 + 2 + 899);
  fs::remove_all(dir);
}

TEST_CASE("source text: a file read into the memory of another text holds that file alone",
          "[registry]") {
  const fs::path file =
      fs::temp_directory_path() / ("twinscan-reuse-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << "short\nfile";
  SourceText source("", "");
  std::string error;
  std::string buffer(100000, 'x');
  const char* memory = buffer.data();
  REQUIRE(SourceText::read_file(file.string(), source, error, std::move(buffer)) ==
          SourceText::ReadStatus::kOk);
  CHECK(source.text() == "short\nfile");
  CHECK(source.text().data() == memory);  // the memory handed over, not a new allocation
  CHECK(source.location(7).line == 2);
  std::string taken = std::move(source).take_text();
  CHECK(taken == "short\nfile");
  CHECK(source.text().empty());
  // A buffer too small for the file grows.
  REQUIRE(SourceText::read_file(file.string(), source, error, std::string("ab")) ==
          SourceText::ReadStatus::kOk);
  CHECK(source.text() == "short\nfile");
  fs::remove(file);
}
