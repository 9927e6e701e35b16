// Command-line arguments: rule parameters checked against what the rules declare, and
// a positional argument taken back from a many-valued option that swallowed it.
#include <catch2/catch.hpp>

#include <algorithm>

#include <CLI/CLI.hpp>

#include "analyzer/cli/arguments.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/query/query_engine.h"

namespace {

using namespace twinscan;

rules::RuleParam param(const std::string& name, const std::string& default_text) {
  rules::RuleParam p;
  p.name = name;
  p.default_text = default_text;
  p.default_value = query::parse_parameter_value(default_text);
  return p;
}

std::vector<rules::Rule> two_rules() {
  rules::Rule near;
  near.id = "project-near-site";
  near.params = {param("proximity_km", "5"), param("home_country", "\"IL\""),
                 param("roles", "[\"witness\", \"observer\"]")};
  rules::Rule late;
  late.id = "agreement-late";
  late.params = {param("notify_within_days", "30"), param("home_country", "\"IL\"")};
  return {near, late};
}

bool check(const std::vector<std::string>& args, query::Parameters& out) {
  std::vector<engine::GivenParameter> given;
  REQUIRE(cli::parse_rule_parameters(args, given));
  diag::Diagnostics diagnostics;
  return engine::check_parameters(given, engine::declared_parameters(two_rules()), out,
                                  diagnostics);
}

}  // namespace

TEST_CASE("declared parameters are listed rule by rule with their defaults") {
  const auto declared = engine::declared_parameters(two_rules());
  REQUIRE(declared.size() == 2);
  // Its own three, then the catalogue's shared ones it does not declare itself.
  const auto& near = declared.at("project-near-site");
  REQUIRE(near.size() >= 3);
  CHECK(std::any_of(near.begin(), near.end(),
                    [](const auto& p) { return p.name == "countries_of_concern"; }));
  CHECK(declared.at("project-near-site")[0].name == "proximity_km");
  CHECK(declared.at("project-near-site")[0].default_value.integer == 5);
  CHECK(declared.at("agreement-late")[0].name == "notify_within_days");
}

TEST_CASE("a parameter of the declared type is taken, for every rule or one") {
  query::Parameters out;
  REQUIRE(check(
      {"proximity_km=2.5", "agreement-late.notify_within_days=10", "roles=[\"signatory\"]"}, out));
  CHECK(out.at("proximity_km").as_double() == 2.5);
  CHECK(out.at("agreement-late.notify_within_days").integer == 10);
  REQUIRE(out.at("roles").type == query::Type::kList);
  CHECK(out.at("roles").list().front().text == "signatory");
}

TEST_CASE("a string parameter given on the command line is the text as written") {
  query::Parameters out;
  REQUIRE(check({"home_country=2024"}, out));
  REQUIRE(out.at("home_country").type == query::Type::kString);
  CHECK(out.at("home_country").text == "2024");
}

TEST_CASE("a later parameter wins over an earlier one") {
  query::Parameters out;
  REQUIRE(check({"proximity_km=2", "proximity_km=3"}, out));
  CHECK(out.at("proximity_km").integer == 3);
}

TEST_CASE("parameter value of the wrong type is refused") {
  query::Parameters out;
  CHECK_FALSE(check({"proximity_km=abc"}, out));
  CHECK_FALSE(check({"roles=witness"}, out));
  CHECK_FALSE(check({"roles=[\"witness\", 1]"}, out));
  CHECK(out.empty());
}

TEST_CASE("misspelt parameter name or rule id is refused") {
  query::Parameters out;
  CHECK_FALSE(check({"proximty_km=2"}, out));
  CHECK_FALSE(check({"agreement-lat.notify_within_days=10"}, out));
  // Declared, but by another rule than the one named.
  CHECK_FALSE(check({"agreement-late.proximity_km=2"}, out));
  CHECK(out.empty());
}

TEST_CASE("parameter file keys are checked, with the key's position") {
  // A file's values keep their JSON types: "home_country": 5 is a number, not a name.
  std::vector<engine::GivenParameter> given{
      {"home_country", query::parse_parameter_value("5"), "5", "params.json:2:3"}};
  query::Parameters out;
  diag::Diagnostics diagnostics;
  CHECK_FALSE(
      engine::check_parameters(given, engine::declared_parameters(two_rules()), out, diagnostics));
  REQUIRE(diagnostics.all().size() == 1);
  CHECK(diagnostics.all().front().to_string().starts_with("params.json:2:3: error: "));
}

namespace {

struct Parsed {
  std::vector<std::string> registry;
  std::vector<cli::OptionRun> runs;
  std::string positional;
  std::string format;
};

Parsed parse(std::vector<std::string> args) {
  Parsed p;
  CLI::App app;
  cli::add_list_option(app, "--registry", p.registry, p.runs, "registry");
  app.add_option("text", p.positional);
  app.add_option("--format", p.format);
  std::reverse(args.begin(), args.end());
  app.parse(args);
  cli::reclaim_positional(p.positional, {{&p.registry, &p.runs}});
  return p;
}

}  // namespace

TEST_CASE("positional argument after a many-valued option is taken back") {
  SECTION("options after the positional") {
    const auto p = parse({"--registry", "a", "QUERY", "--format", "csv"});
    CHECK(p.registry == std::vector<std::string>{"a"});
    CHECK(p.positional == "QUERY");
    CHECK(p.format == "csv");
  }
  SECTION("positional last") {
    const auto p = parse({"--format", "csv", "--registry", "a", "b", "QUERY"});
    CHECK(p.registry == std::vector<std::string>{"a", "b"});
    CHECK(p.positional == "QUERY");
  }
  SECTION("positional first") {
    const auto p = parse({"QUERY", "--registry", "a", "b"});
    CHECK(p.registry == std::vector<std::string>{"a", "b"});
    CHECK(p.positional == "QUERY");
  }
  SECTION("from the latest use that took several values") {
    const auto p = parse({"--registry", "a", "QUERY", "--format", "csv", "--registry", "b"});
    CHECK(p.registry == std::vector<std::string>{"a", "b"});
    CHECK(p.positional == "QUERY");
  }
  SECTION("separate uses of one value each are all registry paths") {
    const auto p = parse({"--registry", "a", "--registry", "b"});
    CHECK(p.registry == std::vector<std::string>{"a", "b"});
    CHECK(p.positional.empty());
  }
}
