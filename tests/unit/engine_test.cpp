// The front door: a registry opened once serves scans and screenings, and a screening
// merges its request without changing the registry.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/engine/catalogue.h"
#include "analyzer/engine/query.h"
#include "analyzer/engine/registry.h"
#include "analyzer/engine/request.h"
#include "analyzer/engine/scan.h"
#include "analyzer/engine/screen.h"

using namespace twinscan;

namespace {

const std::string kRoot = TWINSCAN_SOURCE_DIR;

engine::RunOptions on(const char* date) {
  engine::RunOptions options;
  options.as_of = *model::parse_date(date);
  return options;
}

}  // namespace

TEST_CASE("a screening merges its request into a copy, leaving the registry as it was") {
  diag::Diagnostics d;
  const auto registry =
      engine::Registry::open({{kRoot + "/data/sample"}, {}, {}, false, {}, {}}, d);
  REQUIRE(registry);
  const auto catalogue = engine::Catalogue::load({{kRoot + "/rules"}, true}, d);
  REQUIRE(catalogue);
  const std::size_t entities = registry->graph().entity_count();
  const std::size_t documents = registry->graph().documents().size();

  const auto request =
      engine::Request::merge(*registry, kRoot + "/data/requests/ashdod-ningbo-port-mou.json", d);
  REQUIRE(request);
  CHECK(request->document() == documents);
  CHECK(request->merged().graph().entity_count() > entities);
  CHECK(registry->graph().entity_count() == entities);

  const auto screened = engine::screen(*request, *catalogue, on("2026-11-22"), d);
  REQUIRE(screened.outcome == engine::Outcome::kOk);
  CHECK(engine::verdict(screened.findings) == "escalate");
  // The registry alone holds none of the request's findings.
  const auto scanned = engine::scan(*registry, *catalogue, on("2026-11-22"), d);
  REQUIRE(scanned.outcome == engine::Outcome::kOk);
  for (const auto& f : screened.findings) {
    for (const auto& g : scanned.findings) CHECK(f.fingerprint != g.fingerprint);
  }
  CHECK_FALSE(d.has_errors());
}

TEST_CASE("a missing registry path is missing input, not a malformed one") {
  diag::Diagnostics d;
  engine::Outcome failure = engine::Outcome::kOk;
  CHECK_FALSE(
      engine::Registry::open({{kRoot + "/no/such/registry"}, {}, {}, false, {}, {}}, d, &failure));
  CHECK(failure == engine::Outcome::kMissingInput);
}

TEST_CASE("parameters are checked against what the rules declare") {
  diag::Diagnostics d;
  auto catalogue = engine::Catalogue::load({{kRoot + "/rules"}, true}, d);
  REQUIRE(catalogue);
  CHECK_FALSE(catalogue->bind_parameters({{"proximty_km", query::Value::of_int(3), "3", ""}}, d));
  CHECK(d.has_errors());
  diag::Diagnostics ok;
  CHECK(
      catalogue->bind_parameters({{"home_country", query::Value::of_string("fr"), "fr", ""}}, ok));
  CHECK(catalogue->parameters().at("home_country").text == "FR");
}

TEST_CASE("a query's problems and results come back through the engine") {
  diag::Diagnostics d;
  const auto registry =
      engine::Registry::open({{kRoot + "/data/sample"}, {}, {}, false, {}, {}}, d);
  REQUIRE(registry);
  engine::QuerySpec spec;
  spec.text = "MATCH (m:Municipality) RETURN count(m) AS n";
  const auto table = engine::query(*registry, spec, d);
  REQUIRE(table);
  CHECK(table->columns == std::vector<std::string>{"n"});
  spec.text = "MATCH (m:Municipalit) RETURN m";
  CHECK_FALSE(engine::query(*registry, spec, d));
  CHECK(d.has_errors());
}

namespace {

// The fingerprints and messages of a screening's findings, sorted.
std::vector<std::string> screened_findings(const engine::Request& request,
                                           const engine::Catalogue& catalogue) {
  diag::Diagnostics d;
  const auto result = engine::screen(request, catalogue, on("2026-11-22"), d);
  std::vector<std::string> out;
  for (const auto& f : result.findings) out.push_back(f.fingerprint + " " + f.message);
  std::sort(out.begin(), out.end());
  return out;
}

void screenings_in_private_copies_match_one_off_screenings(const engine::RegistrySpec& spec) {
  diag::Diagnostics d;
  engine::RegistrySpec shared = spec;
  shared.private_copies = true;
  const auto registry = engine::Registry::open(shared, d);
  REQUIRE(registry);
  REQUIRE(registry->image() != nullptr);
  const auto catalogue = engine::Catalogue::load({{kRoot + "/rules"}, true}, d);
  REQUIRE(catalogue);
  const std::string requests[] = {kRoot + "/data/requests/ashdod-ningbo-port-mou.json",
                                  kRoot + "/data/requests/petah-tikva-uibe-expansion.json"};
  // Both requests merged at once, each into its own copy.
  std::optional<engine::Request> merged[2];
  std::vector<std::string> found[2];
  std::thread other([&] {
    diag::Diagnostics d2;
    merged[1] = engine::Request::merge(*registry, requests[1], d2);
    if (merged[1]) found[1] = screened_findings(*merged[1], *catalogue);
  });
  merged[0] = engine::Request::merge(*registry, requests[0], d);
  if (merged[0]) found[0] = screened_findings(*merged[0], *catalogue);
  other.join();
  REQUIRE(merged[0]);
  REQUIRE(merged[1]);
  const model::Graph& first = merged[0]->merged().graph();
  const model::Graph& second = merged[1]->merged().graph();
  // Neither copy holds the other's request, and the registry holds neither.
  CHECK(first.find(std::string_view("agr:ashdod-ningbo-port-mou-2026")));
  CHECK_FALSE(second.find(std::string_view("agr:ashdod-ningbo-port-mou-2026")));
  CHECK_FALSE(registry->graph().find(std::string_view("agr:ashdod-ningbo-port-mou-2026")));
  CHECK(registry->graph().entity_count() < first.entity_count());
  // The copy's lookups answer for the request's entities too, over the registry's indexes.
  const auto firm = first.find(std::string_view("firm:ningbo-zhoushan-port-group"));
  REQUIRE(firm);
  util::Sym key = 0;
  REQUIRE(first.strings().find("state_owned", key));
  model::Value yes;
  yes.type = model::ValueType::kBool;
  yes.boolean = true;
  const auto* owned = first.vertices_with(key, yes);
  REQUIRE(owned);
  CHECK(std::find(owned->begin(), owned->end(), *firm) != owned->end());
  const auto* owned_in_registry = registry->graph().vertices_with(key, yes);
  REQUIRE(owned_in_registry);
  CHECK(owned->size() == owned_in_registry->size() + 1);
  CHECK(std::is_sorted(owned->begin(), owned->end()));
  // Every kind's entities stay ascending, the request's last.
  for (model::KindId k = 0; k < first.schema().kinds().size(); ++k) {
    const auto of_kind = first.vertices_of_kind(k);
    CHECK(std::is_sorted(of_kind.begin(), of_kind.end()));
    for (const auto v : of_kind) CHECK(first.kind(v) == k);
  }
  // The same findings as a one-off screening, which reads the registry with the request.
  for (int i = 0; i < 2; ++i) {
    diag::Diagnostics d3;
    const auto one_off = engine::Request::open(spec, requests[i], d3);
    REQUIRE(one_off);
    CHECK(found[i] == screened_findings(*one_off, *catalogue));
    CHECK_FALSE(found[i].empty());
  }
  // Screened again, with the rules compiled for the registry served from its cache.
  REQUIRE(registry->compiled_rules());
  const auto hits = registry->compiled_rules()->hits();
  diag::Diagnostics d4;
  const auto again = engine::Request::merge(*registry, requests[0], d4);
  REQUIRE(again);
  CHECK(screened_findings(*again, *catalogue) == found[0]);
  CHECK(registry->compiled_rules()->hits() > hits);
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace

TEST_CASE("screenings in private copies of a registry match one-off screenings") {
  engine::RegistrySpec spec;
  spec.paths = {kRoot + "/data/sample"};
  spec.judgements = kRoot + "/data/sample/judgements.json";
  SECTION("a registry read from documents (copied from an image in memory)") {
    screenings_in_private_copies_match_one_off_screenings(spec);
  }
  SECTION("a registry opened from a snapshot (copied from the file)") {
    diag::Diagnostics d;
    engine::RegistrySpec compile = spec;
    compile.keep_schema_sources = true;
    const auto registry = engine::Registry::open(compile, d);
    REQUIRE(registry);
    const std::string path = std::filesystem::temp_directory_path() /
                             ("twinscan-private-copy-" + std::to_string(::getpid()) + ".snap");
    {
      std::ofstream out(path, std::ios::binary);
      REQUIRE(registry->write_snapshot([&out](std::string_view block) {
        out.write(block.data(), static_cast<std::streamsize>(block.size()));
        return static_cast<bool>(out);
      }));
    }
    engine::RegistrySpec from_snapshot = spec;
    from_snapshot.paths = {path};
    screenings_in_private_copies_match_one_off_screenings(from_snapshot);
    std::filesystem::remove(path);
  }
}

TEST_CASE(
    "a rule compiled for the registry is compiled again for a request that stores a key "
    "the registry never does") {
  // The registry stores no `secrecy_reason` anywhere, so the rule compiled for it reads
  // that key as null; a request giving the reason must not be judged by that compilation.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("twinscan-rule-cache-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  write_file(dir / "registry.json", R"({"format": "twinscan/1", "source": {"name": "registry"},
    "entities": [
      {"id": "mun:a", "kind": "Municipality", "name": "Alpha", "country": "IL"},
      {"id": "gov:x", "kind": "ForeignGovernment", "name": "Commission X", "country": "CN",
       "level": "national"}],
    "relations": []})");
  auto request = [](const char* id, const char* reason) {
    return std::string(R"({"format": "twinscan/1", "source": {"name": "request"},
      "entities": [{"id": ")") +
           id +
           R"(", "kind": "Agreement", "name": "MoU", "type": "mou", "signed_on": "2026-10-05",
        "clauses": ["confidentiality"])" +
           (reason ? std::string(R"(, "secrecy_reason": ")") + reason + "\"" : "") + R"(}],
      "relations": [{"kind": "PARTY_TO", "from": "mun:a", "to": ")" +
           id + R"("},
                    {"kind": "PARTY_TO", "from": "gov:x", "to": ")" +
           id + R"("}]})";
  };
  write_file(dir / "unexplained.json", request("agr:unexplained", nullptr));
  write_file(dir / "explained.json", request("agr:explained", "a tender under way"));
  engine::RegistrySpec spec;
  spec.paths = {(dir / "registry.json").string()};
  spec.private_copies = true;
  diag::Diagnostics d;
  const auto registry = engine::Registry::open(spec, d);
  REQUIRE(registry);
  REQUIRE(registry->compiled_rules());
  const auto catalogue = engine::Catalogue::load({{kRoot + "/rules"}, true}, d);
  REQUIRE(catalogue);
  auto secrecy_findings = [&](const std::string& path) {
    const auto merged = engine::Request::merge(*registry, path, d);
    REQUIRE(merged);
    std::size_t n = 0;
    for (const auto& f : screened_findings(*merged, *catalogue))
      n += f.find("keep the agreement") != std::string::npos ? 1 : 0;
    return n;
  };
  CHECK(secrecy_findings((dir / "unexplained.json").string()) == 1);
  const auto hits = registry->compiled_rules()->hits();
  CHECK(secrecy_findings((dir / "explained.json").string()) == 0);
  CHECK(registry->compiled_rules()->hits() > hits);  // the other rules came from the cache
  // A copy keeps the registry's home country, unless its request adds a municipality.
  CHECK(registry->home_country().code == "IL");
  write_file(dir / "french.json", R"({"format": "twinscan/1", "source": {"name": "request"},
    "entities": [{"id": "mun:f", "kind": "Municipality", "name": "Foix", "country": "FR"}],
    "relations": []})");
  const auto french = engine::Request::merge(*registry, (dir / "french.json").string(), d);
  REQUIRE(french);
  CHECK(french->merged().home_country().code.empty());
  const auto same = engine::Request::merge(*registry, (dir / "explained.json").string(), d);
  REQUIRE(same);
  CHECK(same->merged().home_country().code == "IL");
  std::filesystem::remove_all(dir);
}
