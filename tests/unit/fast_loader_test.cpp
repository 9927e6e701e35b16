// The registry loader's fast path (FastDocumentReader, simdjson on demand) against its
// full reader (the RapidJSON tree): every input must give the same graph (every symbol,
// entity, relation, property, position and source) and the same diagnostics, whichever
// path read it; valid documents must be read by the fast path.
#include <catch2/catch.hpp>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/gen/registry_generator.h"
#include "analyzer/io/fast_member_names.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/model/graph.h"
#include "random_registry.h"
#include "scratch_folder.h"

namespace {

namespace fs = std::filesystem;
using namespace twinscan;
using Documents = std::vector<std::pair<std::string, std::string>>;

std::shared_ptr<const model::Schema> builtin_schema() {
  static const std::shared_ptr<const model::Schema> schema = [] {
    diag::Diagnostics diagnostics;
    bool missing = false;
    auto s = io::load_schema({}, diagnostics, missing);
    REQUIRE(s);
    return s;
  }();
  return schema;
}

std::string value_text(const model::GraphArrays& g, const model::Value& v) {
  char buffer[96];
  switch (v.type) {
    case model::ValueType::kNull:
      return "null";
    case model::ValueType::kBool:
      return v.boolean ? "true" : "false";
    case model::ValueType::kInt:
      return "int " + std::to_string(v.integer);
    case model::ValueType::kNumber:
      std::snprintf(buffer, sizeof buffer, "number %a", v.number);
      return buffer;
    case model::ValueType::kString:
      return "sym " + std::to_string(v.string);
    case model::ValueType::kDate:
      std::snprintf(buffer, sizeof buffer, "date %d-%u-%u", v.date.year, v.date.month, v.date.day);
      return buffer;
    case model::ValueType::kLocation:
      std::snprintf(buffer, sizeof buffer, "location %a %a", static_cast<double>(v.location.lat),
                    static_cast<double>(v.location.lon));
      return buffer;
    case model::ValueType::kList: {
      std::string out = "list[";
      for (std::uint32_t i = 0; i < v.list.count; ++i)
        out += value_text(g, g.list_pool[v.list.offset + i]) + ";";
      return out + "]";
    }
  }
  return "?";
}

/// Every array of the graph, one item a line.
std::vector<std::string> dump(const model::Graph& graph) {
  const model::GraphArrays& g = graph.arrays();
  std::vector<std::string> out;
  auto add = [&](std::string line) { out.push_back(std::move(line)); };
  for (util::Sym s = 0; s < g.strings.size(); ++s)
    add("sym " + std::to_string(s) + " " + std::string(g.strings.str(s)));
  for (const auto& d : g.documents) add("document " + d);
  for (const auto& d : g.document_sources) add("document source " + d);
  for (auto s : g.document_source) add("document source index " + std::to_string(s));
  for (const auto& s : g.sources) add("source " + s.id + "|" + s.name + "|" + s.role);
  for (auto v : g.source_set_start) add("set start " + std::to_string(v));
  for (auto v : g.source_set_members) add("set member " + std::to_string(v));
  auto where = [](const model::SourceRef& r) {
    return std::to_string(r.document) + ":" + std::to_string(r.line) + ":" +
           std::to_string(r.column);
  };
  for (std::size_t v = 0; v < g.entity_id.size(); ++v) {
    add("entity " + std::to_string(g.entity_id[v]) + " kind " + std::to_string(g.entity_kind[v]) +
        " name " + std::to_string(g.entity_name[v]) + " at " + where(g.entity_source[v]) +
        " sources " + std::to_string(g.entity_sources[v]) + " props " +
        std::to_string(g.entity_prop_start[v]) + ".." + std::to_string(g.entity_prop_start[v + 1]));
  }
  for (const auto& p : g.entity_props) {
    add("entity prop " + std::to_string(p.key) + " " + std::to_string(p.sources) + " " +
        value_text(g, p.value));
  }
  for (std::size_t r = 0; r < g.relation_id.size(); ++r) {
    add("relation " + std::to_string(g.relation_id[r]) + " kind " +
        std::to_string(g.relation_kind[r]) + " " + std::to_string(g.relation_from[r]) + "->" +
        std::to_string(g.relation_to[r]) + " at " + where(g.relation_source_ref[r]) + " sources " +
        std::to_string(g.relation_sources[r]) + " props " +
        std::to_string(g.relation_prop_start[r]) + ".." +
        std::to_string(g.relation_prop_start[r + 1]));
  }
  for (const auto& p : g.relation_props) {
    add("relation prop " + std::to_string(p.key) + " " + std::to_string(p.sources) + " " +
        value_text(g, p.value));
  }
  for (const auto& d : g.disagreements) {
    add("disagreement " + std::to_string(d.subject) + " " + std::to_string(d.on_relation) + " " +
        std::to_string(d.key) + " " + std::to_string(d.sources) + " " + value_text(g, d.value));
  }
  for (const auto& v : g.list_pool) add("list value " + value_text(g, v));
  for (auto v : g.by_kind) add("by kind " + std::to_string(v));
  for (std::size_t v = 0; v < g.out_range.size(); ++v) {
    for (const auto& a : graph.out_edges(static_cast<model::VertexId>(v)))
      add("out " + std::to_string(v) + " " + std::to_string(a.other) + " " +
          std::to_string(a.relation) + " " + std::to_string(a.kind));
    for (const auto& a : graph.in_edges(static_cast<model::VertexId>(v)))
      add("in " + std::to_string(v) + " " + std::to_string(a.other) + " " +
          std::to_string(a.relation) + " " + std::to_string(a.kind));
  }
  add("string pool bytes " + std::to_string(g.strings.memory_bytes()));
  return out;
}

struct Result {
  std::vector<std::string> graph;  // empty: no graph
  std::vector<std::string> diagnostics;
  std::size_t fast = 0;
  std::size_t fallback = 0;
};

enum class Reader {
  kFull,              // the full reader alone
  kFast,              // the fast path as set by default (small documents on one thread)
  kFastOnTwoThreads,  // every document parsed on a second thread, 3 statements a batch
  kFastInWindows,     // every document parsed in windows of one statement or so, 2 a batch
};

Result load(const Documents& documents, Reader reader) {
  diag::Diagnostics diagnostics;
  io::RegistryLoader loader(builtin_schema(), diagnostics);
  loader.set_fast_path(reader != Reader::kFull);
  if (reader == Reader::kFastOnTwoThreads) loader.set_parse_ahead(0, 3);
  if (reader == Reader::kFastInWindows) {
    loader.set_parse_ahead(0, 2);
    loader.set_windows(1, 1);
  }
  for (const auto& [name, text] : documents) loader.add_source(diag::SourceText(name, text));
  Result out;
  if (const auto graph = loader.finish()) out.graph = dump(*graph);
  for (const auto& d : diagnostics.all()) out.diagnostics.push_back(d.to_string());
  out.fast = loader.fast_documents();
  out.fallback = loader.fallback_documents();
  return out;
}

// Compares line by line, so that a failure names the first difference only.
void check_same(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) {
      INFO("line " << i);
      REQUIRE(a[i] == b[i]);
    }
  }
  REQUIRE(a.size() == b.size());
}

/// Loads `documents` with the full reader and with the fast path (on one thread, parsed
/// on a second thread in small batches, and parsed in windows of a statement or so) and
/// requires the same graph and diagnostics every way.
Result check_both(const Documents& documents) {
  const Result slow = load(documents, Reader::kFull);
  const Result fast = load(documents, Reader::kFast);
  check_same(fast.diagnostics, slow.diagnostics);
  check_same(fast.graph, slow.graph);
  REQUIRE(fast.fast + fast.fallback == documents.size());
  const Result two_threads = load(documents, Reader::kFastOnTwoThreads);
  check_same(two_threads.diagnostics, slow.diagnostics);
  check_same(two_threads.graph, slow.graph);
  REQUIRE(two_threads.fast == fast.fast);
  const Result windows = load(documents, Reader::kFastInWindows);
  check_same(windows.diagnostics, slow.diagnostics);
  check_same(windows.graph, slow.graph);
  REQUIRE(windows.fast == fast.fast);
  return fast;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Documents folder(const fs::path& dir) {
  std::vector<std::string> files;
  REQUIRE(io::expand_registry_path(dir.string(), files));
  Documents out;
  for (const auto& f : files) out.emplace_back(f, read_file(f));
  return out;
}

using TempDir = testing::ScratchFolder;

// A registry of the generator's (its national profile), written to `dir` and read back.
Documents generated(const TempDir& dir, std::uint64_t seed, std::uint64_t entities,
                    std::uint32_t documents) {
  gen::GeneratorOptions options;
  options.seed = seed;
  options.entities = entities;
  options.documents = documents;
  gen::generate_registry(options, dir.path.string());
  return folder(dir.path);
}

// A small document touching each construct the fast path reads.
const char* const kDocument = R"({"format": "twinscan/1",
 "source": {"id": "src", "name": "Source", "role": "national-register", "retrieved": "2024-01-01"},
 "entities": [
  {"id": "mun:1", "kind": "Municipality", "name": "Haifa", "aliases": ["חיפה", "Caifa"], "country": "IL", "location": {"lat": 32.79, "lon": 34.99}},
  {"id": "city:1", "kind": "ForeignCity", "name": "Shanghai \u4e0a\u6d77", "country": "CN", "location": {"lon": 121, "lat": 31.2}, "population": 24870895},
  {"id": "firm:1", "kind": "Firm", "name": "Firm One", "state_owned": true, "country": "CN", "notes": null},
  {"id": "person:1", "kind": "Person", "name": "A \"quoted\" name\n", "country": "CN"}
 ],
 "relations": [
  {"kind": "TWINNED_WITH", "from": "mun:1", "to": "city:1", "since": "1994-05"},
  {"kind": "OWNED_BY", "from": "firm:1", "to": "person:1", "share": 0.25},
  {"kind": "OWNED_BY", "from": "firm:1", "to": "person:1", "share": 0.25},
  {"id": "r1", "kind": "OWNED_BY", "from": "firm:1", "to": "person:1", "share": 0.5},
  {"kind": "TWINNED_WITH", "from": {"name": "Haifa", "kind": "Municipality"}, "to": "city:1"}
 ]}
)";

}  // namespace

TEST_CASE("fast path reads valid documents into the same graph as the full reader",
          "[loader][fast]") {
  const Result r = check_both({{"doc.json", kDocument}});
  // The repeated OWNED_BY is warned about by the fast path itself.
  CHECK(r.fast == 1);
  CHECK(r.fallback == 0);
  REQUIRE(r.diagnostics.size() >= 2);  // the repeat warning and the by-name note
}

TEST_CASE("fast path gives the sample registry's graph and diagnostics unchanged",
          "[loader][fast]") {
  const Result r = check_both(folder(fs::path(TWINSCAN_SOURCE_DIR) / "data" / "sample"));
  CHECK(!r.graph.empty());
}

TEST_CASE("fast path reads generated registries, pretty and on one line, like the full reader",
          "[loader][fast]") {
  TempDir dir("fast-loader-generated");
  const Documents documents = generated(dir, 7, 12'000, 3);
  const Result pretty = check_both(documents);
  CHECK(!pretty.graph.empty());
  CHECK(pretty.fast == documents.size());  // no document fell back
  // The same documents on one line each (generated text holds no newline in a string).
  Documents one_line = documents;
  for (auto& [name, text] : one_line) std::erase(text, '\n');
  const Result minified = check_both(one_line);
  CHECK(minified.fast == documents.size());
  // Positions differ (all on line 1), the rest is the same.
  CHECK(minified.graph.size() == pretty.graph.size());
}

TEST_CASE("fast path agrees with the full reader on random registries", "[loader][fast]") {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    testing::Rng rng(seed);
    testing::RegistryShape shape;
    shape.max_entities = 40;
    shape.max_relations = 80;
    const auto registry = testing::random_registry(rng, shape);
    const Result r = check_both({{"random.json", registry.to_json()}});
    CHECK(r.fast + r.fallback == 1);
  }
}

TEST_CASE("fast path finds a member given twice among more than it keeps to compare",
          "[loader][fast]") {
  // Twenty properties, undeclared: the first document goes to the full reader, which
  // warns about them once; the second is the fast path's, unless a name repeats.
  std::string many;
  for (int i = 1; i <= 20; ++i) many += ", \"p" + std::to_string(i) + "\": " + std::to_string(i);
  const std::string first = R"({"format": "twinscan/1", "entities": [
    {"id": "firm:1", "kind": "Firm", "name": "One")" +
                            many + R"(},
    {"id": "person:1", "kind": "Person", "name": "P"}], "relations": [
    {"kind": "OWNED_BY", "from": "firm:1", "to": "person:1", "share": 0.5)" +
                            many + "}]}";
  auto second = [&](const std::string& entity_extra, const std::string& relation_extra) {
    return R"({"format": "twinscan/1", "entities": [
    {"id": "firm:2", "kind": "Firm", "name": "Two")" +
           many + entity_extra + R"(}], "relations": [
    {"kind": "OWNED_BY", "from": "firm:2", "to": "person:1", "share": 0.5)" +
           many + relation_extra + "}]}";
  };
  CHECK(check_both({{"a.json", first}, {"b.json", second("", "")}}).fast == 1);
  // A name among the first sixteen properties, among the later ones, a name the parser
  // reads itself.
  for (const auto& [entity_extra, relation_extra] :
       std::vector<std::pair<std::string, std::string>>{{", \"p3\": 3", ""},
                                                        {", \"p19\": 3", ""},
                                                        {"", ", \"p3\": 3"},
                                                        {"", ", \"p19\": 3"},
                                                        {"", ", \"share\": 0.5"},
                                                        {", \"name\": \"Two\"", ""}}) {
    INFO(entity_extra << relation_extra);
    CHECK(check_both({{"a.json", first}, {"b.json", second(entity_extra, relation_extra)}}).fast ==
          0);
  }
}

TEST_CASE("fast path finds a member given twice past the names it numbers, and escaped",
          "[loader][fast]") {
  // More names than the parser numbers (io::fast::kNumberedKeys): the names after them
  // are told apart by their text. The first document, read by the full reader, warns
  // about every undeclared name once; the second is the fast path's unless a name repeats.
  std::string numbered;
  for (std::uint32_t i = 0; i <= io::fast::kNumberedKeys; ++i)
    numbered += ", \"p" + std::to_string(i) + "\": 1";
  const std::string first = R"({"format": "twinscan/1", "entities": [
    {"id": "firm:1", "kind": "Firm", "name": "One")" +
                            numbered + R"(, "q1": 1, "q2": 2}]})";
  auto second = [&](const std::string& late_members) {
    return R"({"format": "twinscan/1", "entities": [
    {"id": "firm:2", "kind": "Firm", "name": "Two")" +
           numbered + R"(},
    {"id": "firm:3", "kind": "Firm", "name": "Three", )" +
           late_members + "}]}";
  };
  CHECK(check_both({{"a.json", first}, {"b.json", second(R"("q1": 1, "q2": 2)")}}).fast == 1);
  for (const char* late :
       {R"("q1": 1, "q2": 2, "q1": 3)", R"("q1": 1, "q\u0031": 3)", R"("q\u0031": 1, "q1": 3)"}) {
    INFO(late);
    CHECK(check_both({{"a.json", first}, {"b.json", second(late)}}).fast == 0);
  }
  // An escaped name repeating a numbered one.
  CHECK(check_both({{"a.json", first}, {"b.json", second(R"("q1": 1, "p\u0033": 3, "p3": 4)")}})
            .fast == 0);
}

TEST_CASE("fast path gives way to the full reader on every problem, with the same messages",
          "[loader][fast]") {
  const std::string base = kDocument;
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = base;
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    return text;
  };
  const std::vector<std::string> variants = {
      replaced("\"Firm One\",", "\"Firm One\",,"),                  // malformed
      replaced("\"CN\"}\n ],", "\"CN\"},\n ],"),                    // trailing comma
      replaced("\"entities\": [", "\"entities\": [ // comment\n"),  // comment
      "\xEF\xBB\xBF" + base,                                        // byte order mark
      replaced("\"country\": \"IL\"", "\"country\": \"IL\", \"country\": \"FR\""),
      replaced("\"format\": \"twinscan/1\",", "\"format\": \"twinscan/1\", \"extra\": 1,"),
      replaced("\"format\": \"twinscan/1\",", "\"format\": \"twinscan/2\","),
      replaced("\"format\": \"twinscan/1\",", ""),
      replaced("\"notes\": null", "\"nickname\": \"x\""),          // undeclared
      replaced("\"country\": \"IL\"", "\"country\": \"Israel\""),  // unusual value
      replaced("\"share\": 0.5", "\"share\": 1.5"),
      replaced("\"share\": 0.5", "\"share\": -0"),
      replaced("\"share\": 0.5", "\"share\": 1e400"),
      replaced("\"share\": 0.5", "\"share\": 0.12345678901234567890123"),
      replaced("\"share\": 0.5", "\"share\": 18446744073709551615"),
      replaced("24870895", "285316.0"),
      replaced("24870895", "-0"),
      replaced("24870895", "9223372036854775807"),
      replaced("24870895", "9223372036854775808"),
      replaced("\"lat\": 32.79", "\"lat\": 132.79"),
      replaced("\"lat\": 32.79", "\"lat\": 32"),
      replaced("\"lat\": 32.79", "\"lat\": 32.79, \"alt\": 3"),
      replaced("\"lat\": 32.79", "\"lat\": 32.79, \"lat\": 3"),
      replaced("\"since\": \"1994-05\"", "\"since\": \"1994-13\""),
      replaced("\"since\": \"1994-05\"", "\"since\": 1994"),
      replaced("\"to\": \"city:1\", \"since\"", "\"to\": \"mun:1\", \"since\""),  // itself
      replaced("\"kind\": \"Firm\"", "\"kind\": \"Frim\""),
      replaced("{\"id\": \"mun:1\", ", "{"),
      replaced("\"aliases\": [\"חיפה\", \"Caifa\"]", "\"aliases\": [\"חיפה\", null, [1]]"),
      replaced("\"aliases\": [\"חיפה\", \"Caifa\"]", "\"aliases\": [\"חיפה\", null]"),
      replaced("\"aliases\": [\"חיפה\", \"Caifa\"]", "\"scores\": [1, 2.5, 3]"),
      replaced("\"Caifa\"", "\"Ca\\u0000ifa\\ud800\""),
      replaced("\"Caifa\"", "\"Ca\\udc00\""),
      replaced("\"Caifa\"", "\"Ca\x01ifa\""),
      replaced("\"Caifa\"", "\"Ca\xC3\x28ifa\""),
      replaced("\"Caifa\"", "\"Ca\\u00e9ifa\""),
      replaced("\"retrieved\": \"2024-01-01\"",
               "\"retrieved\": " + std::string(600, '[') + std::string(600, ']')),
      replaced("\"retrieved\": \"2024-01-01\"", "\"retrieved\": [1, {\"a\": tru}]"),
      replaced("\"role\": \"national-register\"", "\"role\": \"\""),
      replaced("\"name\": \"Source\"", "\"name\": 3"),
      replaced("\"name\": \"Source\"", "\"name\": \"Source\", \"name\": \"Other\""),  // twice
      replaced("\"from\": \"mun:1\"", "\"from\": \"mun:2\""),
      replaced("\"from\": {\"name\": \"Haifa\", \"kind\": \"Municipality\"}",
               "\"from\": {\"name\": \"Haifa\", \"kind\": \"Town\"}"),
      replaced("\"from\": {\"name\": \"Haifa\", \"kind\": \"Municipality\"}",
               "\"from\": {\"name\": \"Haifa\", \"extra\": [1, 2]}"),
      replaced("\"from\": {\"name\": \"Haifa\", \"kind\": \"Municipality\"}",
               "\"from\": {\"name\": \"Nowhere\"}"),
      replaced("{\"id\": \"r1\", ", "{\"id\": \"\", "),
      replaced(" \"relations\": [", " \"relations\": [], \"relations\": ["),
      replaced("\n ]}\n", "\n ]} x"),
      replaced("\n ]}\n", "\n ]"),
      replaced("\n ]}\n", "\n ]}\n\n   \t"),
      replaced("\"entities\": [", "\"entities\": {"),
      // A string followed by a colon: a member missing its braces, which must not be
      // skipped over as if the string were a member's name.
      replaced("\"state_owned\": true", "\"sector\": \"street\": \"Main\", \"city\": \"X\"}"),
      replaced("\"from\": \"mun:1\"", "\"from\": \"name\": \"Haifa\", \"kind\": \"Firm\"}"),
      replaced("[\"חיפה\", \"Caifa\"]", "[\"חיפה\": \"Caifa\"]"),
      replaced("\"name\": \"Source\"", "\"name\": \"Source\": \"x\""),
      // A member given twice, of each sort the parser tells apart: read by the parser
      // itself, or a property (and see the test below).
      replaced("{\"id\": \"mun:1\", ", "{\"id\": \"mun:1\", \"id\": \"mun:1\", "),
      replaced("\"name\": \"Firm One\"", "\"name\": \"Firm One\", \"name\": \"Firm One\""),
      replaced("\"kind\": \"Firm\"", "\"kind\": \"Firm\", \"kind\": \"Firm\""),
      replaced("{\"kind\": \"TWINNED_WITH\", \"from\": \"mun:1\"",
               "{\"kind\": \"TWINNED_WITH\", \"from\": \"mun:1\", \"from\": \"mun:1\""),
      replaced("\"to\": \"city:1\", \"since\"",
               "\"to\": \"city:1\", \"to\": \"city:1\", \"since\""),
      replaced("\"since\": \"1994-05\"", "\"since\": \"1994-05\", \"since\": \"1994-05\""),
      replaced("\"share\": 0.5", "\"share\": 0.5, \"share\": 0.5"),
      "[]",
      "",
      "{}",
  };
  for (std::size_t i = 0; i < variants.size(); ++i) {
    INFO("variant " << i << ": " << variants[i].substr(0, 400));
    check_both({{"doc.json", variants[i]}});
  }
  // A source given in one document with one role and in another with a different one.
  check_both({{"a.json", base}, {"b.json", replaced("national-register", "media")}});
  // Relations before entities, and the source after them.
  check_both({{"a.json", R"({"format": "twinscan/1", "relations": [], "entities": []})"}});
  check_both({{"a.json", R"({"entities": [], "source": {"id": "x"}, "format": "twinscan/1"})"}});
  // An end named by a name that a later relation gives as an id: the same ends.
  check_both({{"a.json", R"({"format": "twinscan/1", "relations": [
    {"kind": "OWNED_BY", "from": {"name": "firm:9"}, "to": "person:9", "share": 0.5},
    {"kind": "OWNED_BY", "from": "firm:9", "to": "person:9", "share": 0.5}]})"},
              {"b.json", R"({"format": "twinscan/1", "entities": [
    {"id": "firm:9", "kind": "Firm", "name": "firm:9"},
    {"id": "person:9", "kind": "Person", "name": "Nine"}]})"}});
  // An undeclared property warned about in an earlier document is not warned again.
  const std::string undeclared = replaced("\"notes\": null", "\"nickname\": \"x\"");
  const Result twice = check_both({{"a.json", undeclared}, {"b.json", undeclared}});
  CHECK(twice.fast == 1);
}

TEST_CASE("fast path agrees with the full reader on damaged documents", "[loader][fast]") {
  // Random byte edits of a valid document: whichever path reads each, the outcome is
  // the one the full reader gives.
  const std::string base = kDocument;
  testing::Rng rng(2026);
  const char replacements[] = "{}[],:\"\\ 0-.eE9xtn\n";
  for (int round = 0; round < 300; ++round) {
    std::string text = base;
    const int edits = rng.range(1, 3);
    for (int e = 0; e < edits; ++e) {
      const auto at = static_cast<std::size_t>(rng.below(static_cast<int>(text.size())));
      switch (rng.below(3)) {
        case 0:
          text[at] = replacements[rng.below(static_cast<int>(sizeof replacements - 1))];
          break;
        case 1:
          text.erase(at, 1);
          break;
        default:
          text.insert(at, 1, replacements[rng.below(static_cast<int>(sizeof replacements - 1))]);
      }
    }
    INFO("round " << round << ": " << text);
    check_both({{"doc.json", text}});
  }
}

TEST_CASE("relations whose ends or keys differ only around a NUL are not taken as repeats",
          "[loader][fast]") {
  auto document = [](const std::string& entities, const std::string& relations) {
    return "{\"format\": \"twinscan/1\",\n\"entities\": [\n" + entities +
           "\n],\n\"relations\": [\n" + relations + "\n]}\n";
  };
  // "a\0b" -> "b" and "a" -> "b\0b" would both read "a\0b\0b" were the ends joined by NUL.
  const std::string ends = document(
      R"({"id": "a", "kind": "Firm", "name": "A"},
 {"id": "b", "kind": "Firm", "name": "B"},
 {"id": "a\u0000b", "kind": "Firm", "name": "AB"},
 {"id": "b\u0000b", "kind": "Firm", "name": "BB"})",
      R"({"kind": "OWNED_BY", "from": "a\u0000b", "to": "b"},
 {"kind": "OWNED_BY", "from": "a", "to": "b\u0000b"},
 {"kind": "OWNED_BY", "from": "a", "to": "b"},
 {"kind": "OWNED_BY", "from": "a", "to": "b"})");
  const Result r = check_both({{"ends.json", ends}});
  std::size_t repeats = 0;
  for (const auto& d : r.diagnostics) repeats += d.find("repeats the one at") != std::string::npos;
  CHECK(repeats == 1);  // only the last, a true copy of the one before it
  // "x": 1, "y": 2 against "x\u00001\u0000y": 2 would read alike were keys joined by NUL.
  const std::string keys = document(
      R"({"id": "a", "kind": "Firm", "name": "A"},
 {"id": "b", "kind": "Firm", "name": "B"})",
      R"({"kind": "OWNED_BY", "from": "a", "to": "b", "x": 1, "y": 2},
 {"kind": "OWNED_BY", "from": "a", "to": "b", "x\u00001\u0000y": 2})");
  const Result k = check_both({{"keys.json", keys}});
  CHECK(!k.diagnostics.empty());  // the undeclared keys are warned about
  for (const auto& d : k.diagnostics) CHECK(d.find("repeats the one at") == std::string::npos);
}

TEST_CASE("a relation stated again with other properties is warned about alike on both paths",
          "[loader][fast]") {
  const std::string text = R"({"format": "twinscan/1",
"entities": [
 {"id": "a", "kind": "Firm", "name": "A", "country": "cn"},
 {"id": "b", "kind": "Firm", "name": "B", "country": "POL"},
 {"id": "p", "kind": "Person", "name": "P"},
 {"id": "m", "kind": "Municipality", "name": "M", "country": "pL"}
],
"relations": [
 {"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.3},
 {"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.6},
 {"kind": "OWNED_BY", "from": "a", "to": "b", "share": 0.3},
 {"kind": "HELD_OFFICE", "from": "p", "to": "m", "role": "councillor", "since": "2001", "until": "2005"},
 {"kind": "HELD_OFFICE", "from": "p", "to": "m", "role": "mayor", "since": "2005", "until": "2010"},
 {"id": "o1", "kind": "OWNED_BY", "from": "b", "to": "a", "share": 0.1},
 {"kind": "OWNED_BY", "from": "b", "to": "a", "share": 0.2}
]}
)";
  const Result r = check_both({{"restated.json", text}});
  std::vector<std::string> repeats;
  for (const auto& d : r.diagnostics) {
    if (d.find("relation OWNED_BY") != std::string::npos ||
        d.find("relation HELD_OFFICE") != std::string::npos)
      repeats.push_back(d.substr(0, d.find(';')));
  }
  // The second is a restatement of the first; the third a copy of the first. Two spells of
  // office, and an id on one of two holdings, are not warned about.
  CHECK(repeats == std::vector<std::string>{
                       "restated.json:10:2: warning: relation OWNED_BY from 'a' to 'b' is stated "
                       "again, with other properties, after the one at restated.json:9:2",
                       "restated.json:11:2: warning: relation OWNED_BY from 'a' to 'b' repeats "
                       "the one at restated.json:9:2 (same properties)"});
  // Country codes are stored as alpha-2 in upper case on both paths.
  REQUIRE(!r.graph.empty());
  const auto interned = [&](const std::string& code) {
    return std::any_of(r.graph.begin(), r.graph.end(), [&](const std::string& line) {
      return line.rfind("sym ", 0) == 0 && line.size() > code.size() &&
             line.compare(line.size() - code.size() - 1, std::string::npos, " " + code) == 0;
    });
  };
  CHECK(interned("CN"));
  CHECK(interned("PL"));
  CHECK_FALSE(interned("cn"));
  CHECK_FALSE(interned("POL"));
  CHECK_FALSE(interned("pL"));
}

TEST_CASE("relations repeated near and far, and among a document's last, are warned about alike",
          "[loader][fast]") {
  // The fast path looks relations up in its table of ends some relations after reading
  // them: repeats within that distance, beyond it and among the document's last ones must
  // all be found, in document order.
  std::string entities, relations;
  for (int i = 0; i < 60; ++i) {
    if (i != 0) entities += ",\n";
    entities += R"( {"id": "f)" + std::to_string(i) + R"(", "kind": "Firm", "name": "F)" +
                std::to_string(i) + "\"}";
  }
  std::vector<std::pair<int, int>> ends;
  for (int i = 0; i < 50; ++i) ends.emplace_back(i, i + 1);
  // Relation 50 repeats relation 48 (near), 51 repeats relation 2 (far), 52 restates
  // relation 3 with another share, and the last three repeat 0, 51 and 49.
  ends.insert(ends.end(), {{48, 49}, {2, 3}, {3, 4}, {0, 1}, {2, 3}, {49, 50}});
  for (std::size_t i = 0; i < ends.size(); ++i) {
    if (i != 0) relations += ",\n";
    relations += R"( {"kind": "OWNED_BY", "from": "f)" + std::to_string(ends[i].first) +
                 R"(", "to": "f)" + std::to_string(ends[i].second) + R"(", "share": )" +
                 (i == 52 ? "0.7" : "0.5") + "}";
  }
  const std::string text = "{\"format\": \"twinscan/1\",\n\"entities\": [\n" + entities +
                           "\n],\n\"relations\": [\n" + relations + "\n]}\n";
  const Result r = check_both({{"far.json", text}});
  CHECK(r.fast == 1);
  std::vector<std::string> repeats;
  for (const auto& d : r.diagnostics) {
    if (d.find("relation OWNED_BY") != std::string::npos)
      repeats.push_back(d.substr(0, d.find(';')));
  }
  // Line of relation i: 2 (header) + 60 entity lines + 2 + i + 1.
  auto line = [](int relation) { return std::to_string(65 + relation); };
  auto repeat = [&](int relation, int first, const char* from, const char* to) {
    return "far.json:" + line(relation) + ":2: warning: relation OWNED_BY from '" + from +
           "' to '" + to + "' repeats the one at far.json:" + line(first) + ":2 (same properties)";
  };
  CHECK(repeats == std::vector<std::string>{
                       repeat(50, 48, "f48", "f49"), repeat(51, 2, "f2", "f3"),
                       "far.json:" + line(52) +
                           ":2: warning: relation OWNED_BY from 'f3' to 'f4' is "
                           "stated again, with other properties, after the one at far.json:" +
                           line(3) + ":2",
                       repeat(53, 0, "f0", "f1"), repeat(54, 2, "f2", "f3"),
                       repeat(55, 49, "f49", "f50")});
}

TEST_CASE("fast path reads properties alike however many member names a registry uses",
          "[loader][fast]") {
  // The adding thread finds what it knows of a member name by the parser's number for
  // it, for the first few thousand names, and by the name's text past them. The first
  // document brings 5,000 names no kind declares (the full reader warns about each); the
  // second uses them again, in another order, beside declared ones, on the fast path.
  std::string first = R"({"format": "twinscan/1", "entities": [)";
  std::string second = first;
  constexpr int kNames = 5000;
  for (int i = 0; i < kNames; ++i) {
    const std::string n = std::to_string(i);
    const std::string other = std::to_string(kNames - 1 - i);
    if (i > 0) {
      first += ",\n";
      second += ",\n";
    }
    first += R"({"id": "firm:a)" + n + R"(", "kind": "Firm", "name": "A", "note_)" + n + R"(": ")" +
             n + R"("})";
    second += R"({"id": "firm:b)" + n + R"(", "kind": "Firm", "country": "CN", "note_)" + other +
              R"(": )" + n + R"(, "state_owned": )" + (i % 2 == 0 ? "true" : "false") + "}";
  }
  first += "]}\n";
  second += "]}\n";
  const Result r = check_both({{"first.json", first}, {"second.json", second}});
  CHECK(r.fallback == 1);
  CHECK(r.fast == 1);
  REQUIRE(!r.graph.empty());
}

namespace {

TEST_CASE("a document read in windows: cuts inside strings and statements, escapes, spaces",
          "[loader][fast][windows]") {
  // Texts holding what a cut looks for ("},{", "}, {"), a list of objects within a
  // statement (a cut there leaves it unfinished), escaped texts and keys (kept apart from
  // the window they came from), and a document laid out over lines with spaces.
  const std::string text = R"({
  "format": "twinscan/1",
  "source": {"id": "one", "name": "One \"dump\""},
  "entities": [
    {"id": "mun:1", "kind": "Municipality", "name": "A},{B", "country": "IL"} ,
    {"id": "mun:2", "kind": "Municipality", "name": "C}, {D", "country": "IL"},
    {"id": "city:1", "kind": "ForeignCity", "name": "Caf\u00e9 \"E\"", "country": "FR",
     "location": {"lat": 48.85, "lon": 2.35}},
    {"id": "firm:1", "kind": "Firm", "name": "F", "aliases": ["G},{H", "I"], "country": "CN"},
    {"id": "firm:2", "kind": "Firm", "n\u0061me": "J", "country": "CN"}
  ],
  "relations": [
    {"kind": "TWINNED_WITH", "from": "mun:1", "to": "city:1", "since": "1990"},
    {"kind": "TWINNED_WITH", "from": {"name": "C}, {D"}, "to": "city:1"},
    {"kind": "OWNED_BY", "from": "firm:1", "to": "firm:2", "share": 0.5},
    {"kind": "OWNED_BY", "from": "firm:1", "to": "firm:2", "share": 0.5}
  ]
}
)";
  const Result r = check_both({{"one.json", text}});
  CHECK(r.fast == 1);
  // A list of objects inside a statement, cut at first; an undeclared property makes the
  // document the full reader's, with the same messages either way.
  std::string listed = text;
  listed.replace(listed.find(R"("aliases": ["G},{H", "I"])"), 25,
                 R"("stops": [{"n": 1},{"n": 2}, {"n": 3}])");
  // A statement that fails in the middle of the document (an unknown kind).
  std::string unknown = text;
  unknown.replace(unknown.find(R"("kind": "Firm", "name": "F")"), 14, R"("kind": "Farm")");
  // "relations" as a key within an entity: taken for the list's end, which fails to parse.
  std::string inner = text;
  inner.replace(inner.find(R"("country": "CN"},)"), 17,
                R"("country": "CN", "tags": ["x"], "relations": [1]},)");
  // The same after a document that warned of the undeclared property: a list of objects
  // is a value the fast path leaves to the full reader wherever the windows are cut.
  check_both({{"a.json", listed}, {"b.json", listed}});
  // Windows of every size from one byte to past the document read each as the full reader
  // does: cuts land inside strings, inside statements, before the statement that fails.
  for (const std::string* document :
       std::initializer_list<const std::string*>{&text, &listed, &unknown, &inner}) {
    const Result full = load({{"one.json", *document}}, Reader::kFull);
    for (std::size_t window : {std::size_t{1}, std::size_t{7}, std::size_t{40}, std::size_t{150},
                               std::size_t{400}, std::size_t{1} << 20}) {
      INFO("window of " << window << " bytes in\n" << *document);
      diag::Diagnostics diagnostics;
      io::RegistryLoader loader(builtin_schema(), diagnostics);
      loader.set_parse_ahead(0, 1);
      loader.set_windows(1, window);
      loader.add_source(diag::SourceText("one.json", *document));
      const auto graph = loader.finish();
      std::vector<std::string> messages;
      for (const auto& d : diagnostics.all()) messages.push_back(d.to_string());
      check_same(messages, full.diagnostics);
      check_same(graph ? dump(*graph) : std::vector<std::string>{}, full.graph);
      // Only the document as written is read without the full reader.
      CHECK(loader.fast_documents() == (document == &text ? 1U : 0U));
    }
  }
}

// A folder loaded as the command line loads it (RegistryLoader::add_paths): the next
// document read while one is added, and, on the fast path, parsed on a thread of its own
// while the one before is added.
struct FolderLoad {
  Result result;
  std::size_t parsed_ahead = 0;
};

FolderLoad load_folder(const fs::path& dir, Reader reader) {
  diag::Diagnostics diagnostics;
  io::RegistryLoader loader(builtin_schema(), diagnostics);
  loader.set_fast_path(reader != Reader::kFull);
  if (reader == Reader::kFastOnTwoThreads) loader.set_parse_ahead(0, 3);
  loader.add_paths({dir.string()});
  FolderLoad out;
  if (const auto graph = loader.finish()) out.result.graph = dump(*graph);
  for (const auto& d : diagnostics.all()) out.result.diagnostics.push_back(d.to_string());
  out.result.fast = loader.fast_documents();
  out.result.fallback = loader.fallback_documents();
  out.parsed_ahead = loader.documents_parsed_ahead();
  return out;
}

}  // namespace

TEST_CASE("documents parsed while the one before is added load as the full reader loads them",
          "[loader][fast]") {
  TempDir dir("fast-loader-parsed-ahead");
  fs::create_directories(dir.path);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.path / name, std::ios::binary) << text;
  };
  // Repeats, escapes and an end by name; a generated registry in a few documents that
  // refer to each other; a document the fast parser gives back to the full reader while
  // the next is being parsed; a document that refers to the first one's entities.
  write("a.json", kDocument);
  TempDir generated_dir("fast-loader-parsed-ahead-generated");
  const Documents generated_documents = generated(generated_dir, 11, 4'000, 2);
  REQUIRE(generated_documents.size() >= 2);
  for (std::size_t i = 0; i < generated_documents.size(); ++i)
    write("b" + std::to_string(i) + ".json", generated_documents[i].second);
  const std::size_t documents = generated_documents.size() + 3;
  write("c.json", R"({"format": "twinscan/1",
 "entities": [{"id": "firm:3", "kind": "Firm", "name": "Firm Three", "nickname": "x"}]})");
  write("d.json", R"({"format": "twinscan/1",
 "entities": [{"id": "firm:2", "kind": "Firm", "name": "Firm Two"}],
 "relations": [{"kind": "OWNED_BY", "from": "firm:2", "to": "firm:1", "share": 0.5},
  {"kind": "OWNED_BY", "from": "firm:2", "to": "firm:1", "share": 0.5}]})");

  auto check_folder = [&](std::size_t readable) {
    INFO(readable << " documents to read");
    FolderLoad full = load_folder(dir.path, Reader::kFull);
    const FolderLoad ahead = load_folder(dir.path, Reader::kFastOnTwoThreads);
    check_same(ahead.result.diagnostics, full.result.diagnostics);
    check_same(ahead.result.graph, full.result.graph);
    // Every readable document's parse began as soon as it was read, the one with an
    // undeclared property too (then read again by the full reader, which warns).
    CHECK(ahead.parsed_ahead == readable);
    CHECK(ahead.result.fallback == 1);
    CHECK(ahead.result.fast == readable - 1);
    // By default, documents this small are parsed where they are added.
    const FolderLoad by_default = load_folder(dir.path, Reader::kFast);
    check_same(by_default.result.diagnostics, full.result.diagnostics);
    check_same(by_default.result.graph, full.result.graph);
    CHECK(by_default.parsed_ahead == 0);
    return full;
  };
  const FolderLoad whole = check_folder(documents);
  REQUIRE(!whole.result.graph.empty());

  // A document that cannot be read is numbered nothing: the documents after it are
  // parsed ahead with the number they get, which the places in their messages show
  // (an unresolved end is reported when the graph is built, by document number).
  fs::create_symlink(dir.path / "nowhere.json.missing", dir.path / "bz.json");
  write("e.json", R"({"format": "twinscan/1",
 "relations": [{"kind": "OWNED_BY", "from": "firm:2", "to": "firm:404"}]})");
  const FolderLoad broken = check_folder(documents + 1);
  CHECK(broken.result.graph.empty());
  bool named_e = false;
  for (const auto& d : broken.result.diagnostics)
    named_e = named_e ||
              (d.find("e.json:2:") != std::string::npos && d.find("firm:404") != std::string::npos);
  CHECK(named_e);
}
