// The front door: a registry opened once serves scans and screenings, and a screening
// merges its request without changing the registry.
#include <catch2/catch.hpp>

#include <string>

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
