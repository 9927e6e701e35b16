// Measures Twinscan on generated registries of growing size: JSON load speed and
// memory, full scans of the bundled rules, screening one request, and query latency
// (an anchored two-hop pattern and a full scan of a three-element pattern).
//
// Usage: registry_bench [--sizes 10000,100000,1000000] [--runs 5] [--work DIR]
//                       [--rules DIR] [--profile national|dense]
// Figures are medians over the runs; registries are generated once into --work.
#include <sys/resource.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/gen/registry_generator.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/io/snapshot_codec.h"
#include "analyzer/query/projection.h"
#include "analyzer/query/query_engine.h"
#include "analyzer/rules/rule_reader.h"
#include "analyzer/rules/scanner.h"
#include "analyzer/util/atomic_file.h"

namespace {

using namespace twinscan;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

long peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

struct Loaded {
  std::shared_ptr<const model::Graph> graph;
  std::uint64_t bytes = 0;
  std::uint32_t request_doc = 0;
  std::size_t fast_documents = 0;  // read by the simdjson fast path
  std::size_t documents = 0;
};

// Loads `dir` (and a request); `fast`: documents are first tried with the loader's
// simdjson fast path (as every command does), else read by the full RapidJSON reader.
Loaded load(const std::string& dir, const std::string& request_text, bool fast = true) {
  diag::Diagnostics d;
  bool missing = false;
  auto schema = io::load_schema({}, d, missing);
  io::RegistryLoader loader(schema, d);
  loader.set_fast_path(fast);
  loader.add_path(dir);
  Loaded out;
  if (!request_text.empty()) {
    out.request_doc = loader.add_source(diag::SourceText("request.json", request_text));
  }
  out.bytes = loader.bytes_read();
  out.graph = loader.finish();
  out.fast_documents = loader.fast_documents();
  out.documents = loader.document_count();
  if (!out.graph) {
    d.print(std::cerr);
    std::exit(1);
  }
  return out;
}

// A new confidential MoU between the registry's first municipality and its first
// national foreign organ, concerning its first port project.
std::string make_request(const model::Graph& g) {
  auto first = [&](const char* kind) -> std::string {
    const auto k = g.schema().find_kind(kind);
    const auto vs = g.vertices_of_kind(*k);
    return vs.empty() ? "" : std::string(g.id(vs.front()));
  };
  return R"({"format": "twinscan/1", "entities": [
    {"id": "bench:new-mou", "kind": "Agreement", "name": "New port MoU", "type": "mou",
     "signed_on": "2026-01-10", "clauses": ["confidentiality"]}],
    "relations": [
    {"kind": "PARTY_TO", "from": ")" +
         first("Municipality") + R"(", "to": "bench:new-mou"},
    {"kind": "PARTY_TO", "from": ")" +
         first("ForeignGovernment") + R"(", "to": "bench:new-mou"},
    {"kind": "CONCERNS", "from": "bench:new-mou", "to": ")" +
         first("Project") + R"("}]})";
}

void run_size(std::uint64_t size, gen::Profile profile, const std::string& profile_name, int runs,
              const std::string& work, const std::vector<rules::Rule>& rules) {
  // The national profile keeps the folder name it always had, so that cached registries
  // are used again.
  const std::string dir = work + "/" +
                          (profile == gen::Profile::kNational ? "" : profile_name + "-") +
                          std::to_string(size);
  if (!std::filesystem::exists(dir + "/.complete")) {
    std::filesystem::remove_all(dir);
    gen::GeneratorOptions options;
    options.seed = 42;
    options.entities = size;
    options.profile = profile;
    gen::generate_registry(options, dir);
    std::FILE* marker = std::fopen((dir + "/.complete").c_str(), "w");
    if (marker) std::fclose(marker);
  }
  // Load.
  std::vector<double> load_times;
  Loaded loaded;
  for (int r = 0; r < runs; ++r) {
    loaded = {};
    const auto start = Clock::now();
    loaded = load(dir, "");
    load_times.push_back(seconds_since(start));
  }
  // The same documents through the full reader alone, for comparison.
  std::vector<double> full_path_times;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    const Loaded full = load(dir, "", false);
    full_path_times.push_back(seconds_since(start));
  }
  const model::Graph& g = *loaded.graph;
  const double load_s = median(load_times);
  const double full_path_s = median(full_path_times);
  const auto memory = g.memory();
  std::printf("\n== %llu entities, %zu relations, %.1f MB of JSON (profile %s)\n",
              static_cast<unsigned long long>(g.entity_count()), g.relation_count(),
              static_cast<double>(loaded.bytes) / 1e6, profile_name.c_str());
  std::printf("load JSON            %8.3f s   %7.1f MB/s (%zu of %zu documents by the fast path)\n",
              load_s, static_cast<double>(loaded.bytes) / 1e6 / load_s, loaded.fast_documents,
              loaded.documents);
  std::printf("load JSON, full path %8.3f s   %7.1f MB/s (RapidJSON tree and positions)\n",
              full_path_s, static_cast<double>(loaded.bytes) / 1e6 / full_path_s);
  std::printf(
      "graph memory         %8.1f MB   %5.0f bytes/entity, %5.0f bytes/relation "
      "(strings and properties shared out by count)\n",
      static_cast<double>(memory.total()) / 1e6,
      static_cast<double>(memory.entities + memory.indexes) / static_cast<double>(g.entity_count()),
      static_cast<double>(memory.relations + memory.adjacency) /
          static_cast<double>(std::max<std::size_t>(1, g.relation_count())));
  std::printf(
      "  entities %.1f MB, relations %.1f MB, properties %.1f MB, adjacency %.1f MB, "
      "indexes %.1f MB, strings %.1f MB\n",
      memory.entities / 1e6, memory.relations / 1e6, memory.properties / 1e6,
      memory.adjacency / 1e6, memory.indexes / 1e6, memory.strings / 1e6);

  // Snapshot: written, then opened (mapped, checksummed and checked). A process checks a
  // file once: opening it again while it is unchanged maps it without the checks (what a
  // server merging each request into its registry pays), so each checked open is of the
  // snapshot written afresh, and the reopening is timed apart.
  const std::string snapshot_path = dir + "/.registry.tsnap";
  {
    diag::Diagnostics d;
    bool missing = false;
    io::SchemaSources schema;
    (void)io::load_schema({}, d, missing, &schema);
    const std::string bytes = io::SnapshotCodec::encode(g, schema);
    const auto write = [&](const std::string& path) {
      std::string error;
      if (!util::write_file_atomically(path, bytes, error)) {
        std::cerr << "cannot write " << path << ": " << error << "\n";
        std::exit(1);
      }
    };
    const auto open_timed = [&](const std::string& path) {
      const auto start = Clock::now();
      auto opened = io::SnapshotCodec::open(path, d);
      const double seconds = seconds_since(start);
      if (!opened || opened->entity_count() != g.entity_count()) {
        d.print(std::cerr);
        std::exit(1);
      }
      return seconds;
    };
    std::vector<double> open_times;
    std::vector<double> reopen_times;
    // A file this process has opened is one of its inputs, which it never overwrites:
    // each checked open is of a file of its own.
    for (int r = 0; r < runs; ++r) {
      const std::string fresh = dir + "/.registry-" + std::to_string(r) + ".tsnap";
      write(fresh);
      open_times.push_back(open_timed(fresh));
      std::filesystem::remove(fresh);
    }
    write(snapshot_path);
    (void)open_timed(snapshot_path);
    for (int r = 0; r < runs; ++r) reopen_times.push_back(open_timed(snapshot_path));
    const double open_s = median(open_times);
    std::printf(
        "open snapshot        %8.3f s   %7.1f MB/s (%.1f MB file, checked; %.1f ms to "
        "open it again unchanged)\n",
        open_s, static_cast<double>(bytes.size()) / 1e6 / open_s,
        static_cast<double>(bytes.size()) / 1e6, median(reopen_times) * 1e3);
  }

  // Full scan.
  for (unsigned jobs : {1U, 2U}) {
    std::vector<double> times;
    std::size_t findings = 0;
    for (int r = 0; r < runs; ++r) {
      rules::ScanOptions o;
      o.as_of = *model::parse_date("2026-11-22");
      o.jobs = jobs;
      diag::Diagnostics d;
      const auto start = Clock::now();
      auto result = rules::scan(g, rules, o, d);
      times.push_back(seconds_since(start));
      findings = result.findings.size();
    }
    std::printf("scan, %zu rules, %u job%s %6.3f s   %zu findings\n", rules.size(), jobs,
                jobs == 1 ? " " : "s", median(times), findings);
  }

  // Screen one request merged into the snapshot (opening and merging excluded).
  {
    Loaded with_request;
    {
      diag::Diagnostics d;
      auto base = io::SnapshotCodec::open(snapshot_path, d);
      if (!base) {
        d.print(std::cerr);
        std::exit(1);
      }
      io::RegistryLoader loader(std::move(base), d);
      with_request.request_doc =
          loader.add_source(diag::SourceText("request.json", make_request(g)));
      with_request.graph = loader.finish();
      if (!with_request.graph) {
        d.print(std::cerr);
        std::exit(1);
      }
    }
    std::vector<double> times;
    std::size_t findings = 0;
    for (int r = 0; r < runs; ++r) {
      rules::ScanOptions o;
      o.as_of = *model::parse_date("2026-11-22");
      diag::Diagnostics d;
      const auto start = Clock::now();
      auto result = rules::screen(*with_request.graph, rules, with_request.request_doc, o, d);
      times.push_back(seconds_since(start));
      findings = result.findings.size();
    }
    std::printf("screen one request   %8.2f ms   %zu findings\n", median(times) * 1e3, findings);
  }
  std::filesystem::remove(snapshot_path);

  // Queries.
  const auto municipality = g.vertices_of_kind(*g.schema().find_kind("Municipality")).front();
  const std::string anchored =
      "MATCH (m:Municipality {id: $id})-[:TWINNED_WITH]->(c)-[:CONTROLLED_BY]->(p) RETURN c.id, "
      "p.id";
  const std::string full = "MATCH (f:Firm)-[:OWNED_BY]->(o)-[:OWNED_BY]->(p) RETURN count(*)";
  query::Parameters params{{"id", query::Value::of_view(g.id(municipality))}};
  std::vector<query::QueryMessage> messages;
  auto anchored_q = query::prepare_query(anchored, g, params, {}, messages);
  auto full_q = query::prepare_query(full, g, params, {}, messages);
  if (!anchored_q || !full_q) {
    for (const auto& m : messages) std::cerr << m.message << '\n';
    std::exit(1);
  }
  std::vector<double> anchored_times;
  for (int r = 0; r < 1000; ++r) {
    const auto start = Clock::now();
    auto t = query::run_query(g, *anchored_q, {g, model::today_utc()});
    anchored_times.push_back(seconds_since(start));
  }
  std::printf("anchored 2-hop query %8.2f µs\n", median(anchored_times) * 1e6);
  std::vector<double> full_times;
  std::uint64_t expanded = 0;
  for (int r = 0; r < runs; ++r) {
    query::Executor executor(g, *full_q, {g, model::today_utc()});
    const auto start = Clock::now();
    std::uint64_t rows = 0;
    executor.match([&](const auto&) {
      ++rows;
      return true;
    });
    full_times.push_back(seconds_since(start));
    expanded = executor.expansions();
  }
  const double full_s = median(full_times);
  std::printf("full 3-element query %8.3f s   %.1f M relations expanded/s (%llu expanded)\n",
              full_s, static_cast<double>(expanded) / full_s / 1e6,
              static_cast<unsigned long long>(expanded));
  std::printf("peak RSS so far      %8ld MB\n", peak_rss_mb());
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::uint64_t> sizes{10'000, 100'000, 1'000'000};
  int runs = 5;
  std::string work = "/tmp/twinscan-bench";
  std::string rules_dir = rules::default_rules_dir();
  std::string profile_name = "national";
  gen::Profile profile = gen::Profile::kNational;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--sizes") {
      sizes.clear();
      std::stringstream list(value);
      for (std::string item; std::getline(list, item, ',');) sizes.push_back(std::stoull(item));
    } else if (flag == "--runs") {
      runs = std::stoi(value);
    } else if (flag == "--work") {
      work = value;
    } else if (flag == "--rules") {
      rules_dir = value;
    } else if (flag == "--profile" && gen::profile_from_name(value, profile)) {
      profile_name = value;
    } else {
      std::cerr << "usage: registry_bench [--sizes N,N] [--runs N] [--work DIR] [--rules DIR] "
                   "[--profile national|dense]\n";
      return 64;
    }
  }
  diag::Diagnostics d;
  bool missing = false;
  const auto rules = rules::load_rules({rules_dir}, d, missing);
  if (d.has_errors()) {
    d.print(std::cerr);
    return 65;
  }
  std::printf("Twinscan benchmark: %d runs per figure (median), %zu rules from %s\n", runs,
              rules.size(), rules_dir.c_str());
  for (auto size : sizes) run_size(size, profile, profile_name, runs, work, rules);
  return 0;
}
