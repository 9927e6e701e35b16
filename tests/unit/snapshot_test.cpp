// The snapshot format: a round trip gives the same registry, and a truncated, corrupted
// or foreign file is a clear error, never a crash.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <sstream>

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
  io::Diagnostics d;
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

// Writes a fresh checksum so that corruption reaches the structural checks.
void restamp(std::string& bytes) {
  io::Diagnostics d;
  // Decode the header fields by hand: magic(8) version(4) zero(4) size(8) sum(8).
  const std::size_t header = 32;
  const char* payload = bytes.data() + header;
  const std::size_t size = bytes.size() - header;
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ size;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, payload + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  for (; i < size; ++i) h = (h ^ static_cast<unsigned char>(payload[i])) * 0x100000001b3ULL;
  std::memcpy(bytes.data() + 24, &h, 8);
}

}  // namespace

TEST_CASE("a snapshot opens to the registry it was written from", "[snapshot]") {
  const Sample s = load_sample();
  const std::string bytes = io::SnapshotCodec::encode(*s.graph, s.schema);
  io::Diagnostics d;
  auto reopened = io::SnapshotCodec::decode(bytes, "sample.tsnap", d);
  REQUIRE(reopened);
  CHECK_FALSE(d.has_errors());
  CHECK(describe(*reopened) == describe(*s.graph));
  CHECK(reopened->relation_count() == s.graph->relation_count());
  CHECK(reopened->find("mun:ashdod").has_value());
  // Writing the reopened graph again gives the same bytes.
  CHECK(io::SnapshotCodec::encode(*reopened, s.schema) == bytes);
}

TEST_CASE("a truncated snapshot is an error at every length", "[snapshot]") {
  const Sample s = load_sample();
  const std::string bytes = io::SnapshotCodec::encode(*s.graph, s.schema);
  for (std::size_t n = 0; n < bytes.size(); n += 1 + n / 8) {
    io::Diagnostics d;
    CHECK_FALSE(io::SnapshotCodec::decode(bytes.substr(0, n), "cut.tsnap", d));
    CHECK(d.has_errors());
  }
}

TEST_CASE("a corrupted snapshot is caught by its checksum", "[snapshot]") {
  const Sample s = load_sample();
  std::string bytes = io::SnapshotCodec::encode(*s.graph, s.schema);
  bytes[bytes.size() / 2] ^= 0x40;
  io::Diagnostics d;
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
      const std::size_t at = 32 + rng() % (bytes.size() - 32);
      bytes[at] = static_cast<char>(rng());
    }
    restamp(bytes);
    io::Diagnostics d;
    auto graph = io::SnapshotCodec::decode(bytes, "fuzzed.tsnap", d);
    if (!graph) {
      ++rejected;
      CHECK(d.has_errors());
    }
  }
  CHECK(rejected > 0);
}

TEST_CASE("a file that is not a snapshot, or of another version, is refused", "[snapshot]") {
  io::Diagnostics d;
  CHECK_FALSE(io::SnapshotCodec::decode("{\"format\": \"twinscan/1\"}", "x.json", d));
  const Sample s = load_sample();
  std::string bytes = io::SnapshotCodec::encode(*s.graph, s.schema);
  bytes[8] = 9;  // version
  io::Diagnostics d2;
  CHECK_FALSE(io::SnapshotCodec::decode(bytes, "v9.tsnap", d2));
  REQUIRE(d2.has_errors());
  CHECK(d2.all()[0].message.find("version 9") != std::string::npos);
}
