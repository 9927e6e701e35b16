// The snapshot format: a round trip gives the same registry, and a truncated, corrupted
// or foreign file is a clear error, never a crash.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string_view>
#include <vector>

#include "analyzer/gen/registry_generator.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/io/snapshot_codec.h"

namespace {

using namespace twinscan;

const std::string kRoot = TWINSCAN_SOURCE_DIR;

struct Sample {
  std::shared_ptr<const model::Graph> graph;
  io::SchemaSources schema;
};

Sample load_sample() {
  diag::Diagnostics d;
  bool missing = false;
  Sample s;
  auto schema = io::load_schema({}, d, missing, &s.schema);
  io::RegistryLoader loader(schema, d);
  loader.add_path(kRoot + "/data/sample");
  s.graph = loader.finish();
  REQUIRE(s.graph);
  return s;
}

// Everything a user can see of a graph, as text.
std::string describe(const model::Graph& g) {
  std::ostringstream out;
  for (model::VertexId v = 0; v < g.entity_count(); ++v) {
    out << g.id(v) << ' ' << g.kind(v) << ' ' << g.name(v) << ' ' << g.source(v).line << ':'
        << g.source(v).column << ' ' << g.documents()[g.source(v).document] << '\n';
    for (const auto& p : g.properties(v))
      out << "  " << g.str(p.key) << '=' << int(p.value.type) << '\n';
    for (const auto& a : g.out_edges(v))
      out << "  -> " << g.id(a.other) << ' ' << g.relation_id(a.relation) << '\n';
    for (const auto& a : g.in_edges(v)) out << "  <- " << g.id(a.other) << '\n';
  }
  return out.str();
}

// The sample registry plus a request, loaded from JSON in one go, or merged into the
// sample's snapshot in place.
// A loader holding the sample registry: read from JSON, or its snapshot to be extended
// in place.
std::unique_ptr<io::RegistryLoader> sample_loader(const Sample& s, bool from_snapshot,
                                                  diag::Diagnostics& d) {
  if (from_snapshot) {
    auto base =
        io::SnapshotCodec::decode(io::SnapshotCodec::encode(*s.graph, s.schema), "sample.tsnap", d);
    REQUIRE(base);
    return std::make_unique<io::RegistryLoader>(std::move(base), d);
  }
  bool missing = false;
  auto loader = std::make_unique<io::RegistryLoader>(io::load_schema({}, d, missing), d);
  loader->add_path(kRoot + "/data/sample");
  return loader;
}

// The sample registry plus a request, loaded from JSON in one go, or merged into the
// sample's snapshot in place.
std::shared_ptr<const model::Graph> with_request(const Sample& s, const std::string& request,
                                                 bool from_snapshot) {
  diag::Diagnostics d;
  auto loader = sample_loader(s, from_snapshot, d);
  loader->add_source(diag::SourceText("request.json", request));
  auto graph = loader->finish();
  INFO((d.all().empty() ? std::string() : d.all()[0].message));
  REQUIRE(graph);
  return graph;
}

// A request of `entities` new firms, each owned by a sample firm and bidding on a sample
// project, so that old vertices gain edges and new vertices appear.
std::string firm_request(int entities) {
  std::string out = R"({"format": "twinscan/1", "entities": [)";
  for (int i = 0; i < entities; ++i) {
    out += (i ? "," : "") + std::string(R"({"id": "firm:new-)") + std::to_string(i) +
           R"(", "kind": "Firm", "name": "New firm )" + std::to_string(i) +
           R"(", "country": "CN", "aliases": ["Alias )" + std::to_string(i) + R"("]})";
  }
  out += R"(], "relations": [)";
  for (int i = 0; i < entities; ++i) {
    out += (i ? "," : "") + std::string(R"({"kind": "OWNED_BY", "from": "firm:new-)") +
           std::to_string(i) + R"(", "to": "firm:cccg", "share": 0.5},)" +
           R"({"kind": "BIDDER_ON", "from": "firm:new-)" + std::to_string(i) +
           R"(", "to": "proj:ashdod-logistics-centre"})";
  }
  return out + "]}";
}

}  // namespace

TEST_CASE("a snapshot opens to the registry it was written from", "[snapshot]") {
  const Sample s = load_sample();
  const std::string bytes = io::SnapshotCodec::encode(*s.graph, s.schema);
  diag::Diagnostics d;
  auto reopened = io::SnapshotCodec::decode(bytes, "sample.tsnap", d);
  REQUIRE(reopened);
  CHECK_FALSE(d.has_errors());
  CHECK(describe(*reopened) == describe(*s.graph));
  CHECK(reopened->relation_count() == s.graph->relation_count());
  CHECK(reopened->find("mun:ashdod").has_value());
  // Writing the reopened graph again gives the same bytes.
  CHECK(io::SnapshotCodec::encode(*reopened, s.schema) == bytes);
}

TEST_CASE("a snapshot written a block at a time is the bytes encode() gives", "[snapshot]") {
  // A generated registry large enough that its snapshot spans several checksum blocks
  // (4 MiB each), so that block boundaries fall inside sections of every kind.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("twinscan-snapshot-blocks-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  gen::GeneratorOptions options;
  options.seed = 11;
  options.entities = 40'000;
  options.documents = 2;
  gen::generate_registry(options, dir.string());
  diag::Diagnostics d;
  bool missing = false;
  io::SchemaSources schema_sources;
  auto schema = io::load_schema({}, d, missing, &schema_sources);
  io::RegistryLoader loader(schema, d);
  loader.add_path(dir.string());
  const auto graph = loader.finish();
  std::filesystem::remove_all(dir);
  REQUIRE(graph);

  const std::string whole = io::SnapshotCodec::encode(*graph, schema_sources);
  std::string joined;
  std::vector<std::size_t> sizes;
  REQUIRE(io::SnapshotCodec::write(*graph, schema_sources, [&](std::string_view block) {
    joined += block;
    sizes.push_back(block.size());
    return true;
  }));
  CHECK(joined == whole);
  REQUIRE(sizes.size() >= 4);
  CHECK(sizes.front() == 64);  // the header, whose checksum was worked out first
  for (std::size_t i = 1; i + 1 < sizes.size(); ++i) CHECK(sizes[i] == (std::size_t{1} << 22));
  auto reopened = io::SnapshotCodec::decode(joined, "blocks.tsnap", d);
  REQUIRE(reopened);
  CHECK_FALSE(d.has_errors());
  CHECK(describe(*reopened) == describe(*graph));

  // A sink that refuses a block stops the writing there.
  std::size_t calls = 0;
  CHECK_FALSE(io::SnapshotCodec::write(*graph, schema_sources, [&](std::string_view) {
    ++calls;
    return calls < 2;
  }));
  CHECK(calls == 2);
}

TEST_CASE("a snapshot compiled with an earlier built-in schema says to compile it again",
          "[snapshot]") {
  const Sample s = load_sample();
  diag::Diagnostics current;
  REQUIRE(io::SnapshotCodec::decode(io::SnapshotCodec::encode(*s.graph, s.schema), "now.tsnap",
                                    current));
  CHECK(current.all().empty());
  // The same schema as another version of the program would have written it.
  io::SchemaSources earlier = s.schema;
  REQUIRE(earlier.front().first == io::kBuiltinSchemaName);
  earlier.front().second += "\n";
  diag::Diagnostics d;
  REQUIRE(io::SnapshotCodec::decode(io::SnapshotCodec::encode(*s.graph, earlier), "old.tsnap", d));
  CHECK_FALSE(d.has_errors());
  REQUIRE(d.all().size() == 1);
  CHECK(d.all()[0].severity == diag::Severity::kWarning);
  CHECK(d.all()[0].where.file == "old.tsnap");
  CHECK(d.all()[0].message.find("compile it again") != std::string::npos);
}

TEST_CASE("a truncated snapshot is an error at every length", "[snapshot]") {
  const Sample s = load_sample();
  const std::string bytes = io::SnapshotCodec::encode(*s.graph, s.schema);
  for (std::size_t n = 0; n < bytes.size(); n += 1 + n / 8) {
    diag::Diagnostics d;
    CHECK_FALSE(io::SnapshotCodec::decode(bytes.substr(0, n), "cut.tsnap", d));
    CHECK(d.has_errors());
  }
}

TEST_CASE("a corrupted snapshot is caught by its checksum", "[snapshot]") {
  const Sample s = load_sample();
  std::string bytes = io::SnapshotCodec::encode(*s.graph, s.schema);
  bytes[bytes.size() / 2] ^= 0x40;
  diag::Diagnostics d;
  CHECK_FALSE(io::SnapshotCodec::decode(bytes, "bad.tsnap", d));
  REQUIRE(d.has_errors());
  CHECK(d.all()[0].message.find("checksum") != std::string::npos);
}

TEST_CASE("corruption past the checksum never crashes the reader", "[snapshot]") {
  const Sample s = load_sample();
  const std::string good = io::SnapshotCodec::encode(*s.graph, s.schema);
  std::mt19937 rng(7);
  int rejected = 0;
  for (int round = 0; round < 300; ++round) {
    std::string bytes = good;
    for (int flips = 0; flips < 4; ++flips) {
      const std::size_t at = 64 + rng() % (bytes.size() - 64);
      bytes[at] = static_cast<char>(rng());
    }
    REQUIRE(io::SnapshotCodec::seal(bytes));
    diag::Diagnostics d;
    auto graph = io::SnapshotCodec::decode(bytes, "fuzzed.tsnap", d);
    if (!graph) {
      ++rejected;
      CHECK(d.has_errors());
    } else {
      CHECK_FALSE(describe(*graph).empty());  // every view of an accepted graph is readable
    }
  }
  CHECK(rejected > 0);
}

TEST_CASE("a file that is not a snapshot, or of another version, is refused", "[snapshot]") {
  diag::Diagnostics d;
  CHECK_FALSE(io::SnapshotCodec::decode("{\"format\": \"twinscan/1\"}", "x.json", d));
  const Sample s = load_sample();
  std::string bytes = io::SnapshotCodec::encode(*s.graph, s.schema);
  bytes[8] = 9;  // version
  diag::Diagnostics d2;
  CHECK_FALSE(io::SnapshotCodec::decode(bytes, "v9.tsnap", d2));
  REQUIRE(d2.has_errors());
  CHECK(d2.all()[0].message.find("version 9") != std::string::npos);
}

TEST_CASE("a snapshot of format version 2 (another hash) asks to be compiled again", "[snapshot]") {
  // Version 3 changed the hash of the string table and of the checksum, not the layout:
  // a version-2 file would open and then miss every lookup, so it must be refused.
  const Sample s = load_sample();
  std::string bytes = io::SnapshotCodec::encode(*s.graph, s.schema);
  bytes[8] = 2;
  diag::Diagnostics d;
  CHECK_FALSE(io::SnapshotCodec::decode(bytes, "v2.tsnap", d));
  REQUIRE(d.has_errors());
  CHECK(d.all()[0].message ==
        "snapshot format version 2 is not supported by this twinscan (it reads version 5); "
        "compile it again");
}

TEST_CASE("a request merged into a snapshot gives the registry loaded from JSON", "[snapshot]") {
  const Sample s = load_sample();
  // 3 firms fit in the room the snapshot leaves after each array; 700 outgrow it and
  // move the arrays to the heap.
  for (int firms : {3, 700}) {
    INFO(firms << " new firms");
    const std::string request = firm_request(firms);
    const auto merged = with_request(s, request, true);
    const auto loaded = with_request(s, request, false);
    CHECK(merged->entity_count() == s.graph->entity_count() + static_cast<std::size_t>(firms));
    CHECK(describe(*merged) == describe(*loaded));
    for (model::KindId k = 0; k < loaded->schema().kinds().size(); ++k) {
      const auto a = merged->vertices_of_kind(k), b = loaded->vertices_of_kind(k);
      CHECK(std::vector<model::VertexId>(a.begin(), a.end()) ==
            std::vector<model::VertexId>(b.begin(), b.end()));
    }
    for (model::RelKindId k = 0; k < loaded->schema().relations().size(); ++k)
      CHECK(merged->relation_count_of_kind(k) == loaded->relation_count_of_kind(k));
    const auto firm = merged->find("firm:new-2");
    REQUIRE(firm);
    CHECK(merged->out_edges(*firm).size() == 2);
  }
}

TEST_CASE("a request clashing with a snapshot's ids is reported as from JSON", "[snapshot]") {
  const Sample s = load_sample();
  const std::string request = R"({"format": "twinscan/1", "entities": [
    {"id": "mun:ashdod", "kind": "Municipality", "name": "Ashdod again"}],
    "relations": []})";
  auto messages = [&](bool from_snapshot) {
    diag::Diagnostics d;
    auto loader = sample_loader(s, from_snapshot, d);
    loader->begin_request();
    loader->add_source(diag::SourceText("request.json", request));
    CHECK_FALSE(loader->finish());
    std::string all;
    for (const auto& m : d.all()) all += m.message + "\n";
    return all;
  };
  const std::string merged = messages(true);
  CHECK(merged.find("entity 'mun:ashdod' is already in the registry") != std::string::npos);
  CHECK(merged == messages(false));
}

TEST_CASE("a snapshot keeps the display name of nameless entities: title, else id", "[snapshot]") {
  diag::Diagnostics d;
  bool missing = false;
  io::SchemaSources schema_sources;
  auto schema = io::load_schema({}, d, missing, &schema_sources);
  io::RegistryLoader loader(schema, d);
  loader.add_source(diag::SourceText("nameless.json", R"({"format": "twinscan/1", "entities": [
    {"id": "agr:1", "kind": "Agreement", "title": "Port cooperation MoU"},
    {"id": "firm:x", "kind": "Firm"},
    {"id": "mun:a", "kind": "Municipality", "name": "Ashdod"}],
    "relations": [{"kind": "PARTY_TO", "from": "mun:a", "to": "agr:1"}]})"));
  const auto graph = loader.finish();
  REQUIRE(graph);
  diag::Diagnostics d2;
  auto reopened =
      io::SnapshotCodec::decode(io::SnapshotCodec::encode(*graph, schema_sources), "n.tsnap", d2);
  REQUIRE(reopened);
  const auto agreement = reopened->find("agr:1");
  const auto firm = reopened->find("firm:x");
  REQUIRE(agreement);
  REQUIRE(firm);
  CHECK(reopened->name(*agreement) == "Port cooperation MoU");
  CHECK(reopened->name(*firm) == "firm:x");
  CHECK(reopened->name_sym(*agreement) == 0);
  CHECK(reopened->name(*reopened->find("mun:a")) == "Ashdod");

  // A nameless agreement merged into a snapshot in place shows its title too.
  io::RegistryLoader extend(std::move(reopened), d2);
  extend.add_source(diag::SourceText("request.json", R"({"format": "twinscan/1", "entities": [
    {"id": "agr:2", "kind": "Agreement", "title": "Letter of intent"}],
    "relations": [{"kind": "PARTY_TO", "from": "mun:a", "to": "agr:2"}]})"));
  const auto merged = extend.finish();
  REQUIRE(merged);
  CHECK(merged->name(*merged->find("agr:2")) == "Letter of intent");
  CHECK(merged->name(*merged->find("firm:x")) == "firm:x");
}

TEST_CASE("a snapshot file changed after it was checked is checked again", "[snapshot]") {
  const Sample s = load_sample();
  std::string bytes = io::SnapshotCodec::encode(*s.graph, s.schema);
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("twinscan-snapshot-recheck-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "registry.tsnap").string();
  auto write = [&](const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
  };
  write(bytes);
  {
    // Checked whole, then mapped again unchecked: the same registry both times.
    diag::Diagnostics d;
    const auto first = io::SnapshotCodec::open(path, d);
    const auto again = io::SnapshotCodec::open(path, d);
    REQUIRE(first);
    REQUIRE(again);
    CHECK(describe(*again) == describe(*s.graph));
  }
  // The same size, one byte changed: the file's change time moves, so it is checked
  // again and the checksum catches it.
  bytes[bytes.size() / 2] ^= 0x40;
  write(bytes);
  diag::Diagnostics d;
  CHECK_FALSE(io::SnapshotCodec::open(path, d));
  REQUIRE(d.has_errors());
  CHECK(d.all()[0].message.find("checksum") != std::string::npos);
  std::filesystem::remove_all(dir);
}

namespace {

// The kilobytes of `path`'s mappings resident in this process, from /proc/self/smaps.
std::size_t resident_kib_of(const std::string& path) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool in_file = false;
  std::size_t kib = 0;
  while (std::getline(smaps, line)) {
    // A mapping's first line starts with its address range; its fields follow.
    const auto first_space = line.find(' ');
    if (first_space != std::string::npos && line.find('-') < first_space) {
      in_file = line.size() >= path.size() &&
                line.compare(line.size() - path.size(), path.size(), path) == 0;
    } else if (in_file && line.rfind("Rss:", 0) == 0) {
      kib += std::stoul(line.substr(4));
    }
  }
  return kib;
}

}  // namespace

TEST_CASE("an opened snapshot holds none of the pages its checks read", "[snapshot]") {
  // Opening reads every byte (checksum and index checks), yet only what is used after
  // counts against the process; the pages are read again when used, and a request
  // merged in place afterwards writes into its own copies of them.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("twinscan-snapshot-resident-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  gen::GeneratorOptions options;
  options.seed = 5;
  options.entities = 40'000;
  gen::generate_registry(options, (dir / "registry").string());
  diag::Diagnostics d;
  bool missing = false;
  io::SchemaSources schema_sources;
  auto schema = io::load_schema({}, d, missing, &schema_sources);
  io::RegistryLoader loader(schema, d);
  loader.add_path((dir / "registry").string());
  const auto graph = loader.finish();
  REQUIRE(graph);
  const std::string path = (dir / "registry.tsnap").string();
  {
    const std::string bytes = io::SnapshotCodec::encode(*graph, schema_sources);
    REQUIRE(bytes.size() > 16 * 1024 * 1024);
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  const std::size_t file_kib = std::filesystem::file_size(path) / 1024;

  auto opened = io::SnapshotCodec::open(path, d);
  REQUIRE(opened);
  CHECK_FALSE(d.has_errors());
  // A page read maps the page cache's whole block around it (up to 2 MB on some file
  // systems): the graph's constructor reads a few.
  CHECK(resident_kib_of(path) < file_kib / 3);
  CHECK(describe(*opened) == describe(*graph));
  CHECK(resident_kib_of(path) > file_kib / 4);  // what describe() read is mapped again

  // A request merged into the opened file gives what JSON gives: new firms, each owned
  // by a firm of the registry, so that old vertices gain edges and new ones appear.
  const auto firm_kind = graph->schema().find_kind("Firm");
  REQUIRE(firm_kind);
  const auto firms = graph->vertices_of_kind(*firm_kind);
  REQUIRE(firms.size() > 10);
  std::string request = R"({"format": "twinscan/1", "entities": [)";
  std::string relations;
  for (int i = 0; i < 700; ++i) {
    const std::string id = "firm:added-" + std::to_string(i);
    request +=
        std::string(i ? "," : "") + R"({"id": ")" + id + R"(", "kind": "Firm", "country": "CN"})";
    relations += std::string(i ? "," : "") + R"({"kind": "OWNED_BY", "from": ")" + id +
                 R"(", "to": ")" + std::string(graph->id(firms[static_cast<std::size_t>(i) % 10])) +
                 R"("})";
  }
  request += R"(], "relations": [)" + relations + "]}";
  io::RegistryLoader merging(std::move(opened), d);
  merging.add_source(diag::SourceText("request.json", request));
  const auto merged = merging.finish();
  REQUIRE(merged);
  io::RegistryLoader from_json(schema, d);
  from_json.add_path((dir / "registry").string());
  from_json.add_source(diag::SourceText("request.json", request));
  const auto loaded = from_json.finish();
  REQUIRE(loaded);
  CHECK(describe(*merged) == describe(*loaded));
  CHECK_FALSE(d.has_errors());
  std::filesystem::remove_all(dir);
}
