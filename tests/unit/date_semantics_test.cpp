// Partial dates judged honestly (a year-only date is one unknown day of its year), and
// what rule messages show: day ranges, readable numbers, display names, country names.
#include <catch2/catch.hpp>

#include <algorithm>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/query/executor.h"
#include "analyzer/query/functions.h"
#include "analyzer/query/query_engine.h"
#include "analyzer/rules/compiled_rule.h"
#include "analyzer/rules/rule_reader.h"
#include "analyzer/rules/scanner.h"

namespace {

using namespace twinscan;
using query::kImprecise;
using query::Type;
using query::Value;

Value date(const char* text) {
  return Value::of_date(*model::parse_date(text));
}

Value days_between(const char* a, const char* b) {
  const auto* fn = query::find_function("days_between");
  REQUIRE(fn != nullptr);
  diag::Diagnostics d;
  bool missing = false;
  io::RegistryLoader loader(io::load_schema({}, d, missing), d);
  loader.add_source(diag::SourceText("empty.json", R"({"format": "twinscan/1", "entities": []})"));
  static const auto graph = loader.finish();
  const Value args[] = {date(a), date(b)};
  return fn->fn({*graph, *model::parse_date("2026-11-22")}, std::span<const Value>(args, 2));
}

std::shared_ptr<const model::Graph> load(const std::string& text) {
  diag::Diagnostics d;
  bool missing = false;
  io::RegistryLoader loader(io::load_schema({}, d, missing), d);
  loader.add_source(diag::SourceText("registry.json", text));
  auto graph = loader.finish();
  if (!graph) {
    std::ostringstream out;
    d.print(out);
    FAIL(out.str());
  }
  return graph;
}

// One rule over one registry: the findings' messages.
std::vector<rules::Finding> scan_with(const std::string& rule_text, const std::string& registry) {
  diag::Diagnostics d;
  auto rule = rules::read_rule(diag::SourceText("rule.json", rule_text), d);
  if (!rule) {
    std::ostringstream out;
    d.print(out);
    FAIL(out.str());
  }
  static std::vector<rules::Rule> keep;  // findings point at their rule
  keep.reserve(16);
  keep.push_back(*rule);
  const auto graph = load(registry);
  rules::ScanOptions options;
  options.as_of = *model::parse_date("2026-11-22");
  auto result = rules::scan(*graph, {keep.back()}, options, d);
  std::ostringstream out;
  d.print(out);
  INFO(out.str());
  REQUIRE(result.ok);
  return result.findings.take_vector();
}

std::string rule_json(const std::string& match, const std::string& message) {
  return R"({"format": "twinscan-rule/1", "id": "t", "title": "Test rule", "category": "notification",
    "severity": "low", "precision": "high", "rationale": "r", "references": ["r"],
    "match": ")" +
         match + R"(", "message": ")" + message + R"(",
    "tests": [{"registry": "bad.json", "expect": [{"a": "x"}]}, {"registry": "good.json", "expect": []}]})";
}

const char* kAgreements = R"({"format": "twinscan/1", "entities": [
  {"id": "mun:a", "kind": "Municipality", "name": "Alpha", "country": "IL"},
  {"id": "city:p", "kind": "ForeignCity", "name": "Paris", "country": "FR"},
  {"id": "agr:titled", "kind": "Agreement", "title": "Alpha-Paris letter", "signed_on": "2011"},
  {"id": "agr:day", "kind": "Agreement", "name": "Day agreement", "signed_on": "2011-03-01"}],
  "relations": [{"kind": "PARTY_TO", "from": "mun:a", "to": "agr:titled"},
                {"kind": "PARTY_TO", "from": "city:p", "to": "agr:titled"}]})";

}  // namespace

TEST_CASE("partial dates judged honestly: days_between gives every day count possible", "[dates]") {
  // Day precision: one exact count.
  const Value exact = days_between("2011-01-01", "2011-03-01");
  REQUIRE(exact.type == Type::kInt);
  CHECK(exact.integer == 59);
  // A year: from its last day to its first.
  const Value year = days_between("2011", "2011-03-01");
  REQUIRE(year.type == Type::kRange);
  CHECK(year.range().lo == -305);
  CHECK(year.range().hi == 59);
  // A month.
  const Value month = days_between("2011-02", "2011-03-01");
  REQUIRE(month.type == Type::kRange);
  CHECK(month.range().lo == 1);
  CHECK(month.range().hi == 28);
  // Both partial.
  const Value both = days_between("2009", "2011-03");
  REQUIRE(both.type == Type::kRange);
  CHECK(both.range().lo == 425);
  CHECK(both.range().hi == 819);
}

TEST_CASE("partial dates judged honestly: comparisons decide only for every possible day",
          "[dates]") {
  const Value year = days_between("2011", "2011-03-01");             // -305..59
  CHECK(query::less(Value::of_int(30), year, false) == kImprecise);  // > 30: open
  CHECK(query::less(Value::of_int(60), year, false) == 0);           // > 60: never
  CHECK(query::less(Value::of_int(-400), year, false) == 1);         // > -400: always
  CHECK(query::equals(year, Value::of_int(100)) == 0);
  CHECK(query::equals(year, Value::of_int(0)) == kImprecise);
  const Value late = days_between("2009", "2011-03-01");  // 425..789
  CHECK(query::less(Value::of_int(30), late, false) == 1);
  // Dates: day against day decides; overlapping periods are open; disjoint ones decide.
  CHECK(query::less(date("2011-03-01"), date("2011-03-02"), false) == 1);
  CHECK(query::less(date("2011"), date("2011-03-01"), false) == kImprecise);
  CHECK(query::less(date("2011"), date("2011-01-01"), false) == 0);  // no day of 2011 is before
  CHECK(query::less(date("2011"), date("2011-01-01"), true) == kImprecise);
  CHECK(query::less(date("2010"), date("2011-01"), false) == 1);
  CHECK(query::less(date("2011-03"), date("2011"), false) == kImprecise);
  CHECK(query::equals(date("2011-03-01"), date("2011-03-01")) == 1);
  CHECK(query::equals(date("2011"), date("2011-03-01")) == kImprecise);
  CHECK(query::equals(date("2011"), date("2011")) == kImprecise);
  CHECK(query::equals(date("2011"), date("2012-03")) == 0);
}

TEST_CASE("partial dates judged honestly: an open WHERE is an undecided match, not a match",
          "[dates]") {
  const auto graph = load(kAgreements);
  std::vector<query::QueryMessage> messages;
  const auto compiled = query::prepare_query(
      "MATCH (a:Agreement) WHERE days_between(a.signed_on, date('2011-03-01')) > 30 "
      "AND a.signed_on IS NOT NULL RETURN a",
      *graph, {}, {}, messages);
  REQUIRE(compiled);
  query::Executor executor(*graph, *compiled, {*graph, *model::parse_date("2026-11-22")});
  std::vector<std::string> sure, undecided;
  executor.match(
      [&](const std::vector<Value>& f) {
        sure.emplace_back(graph->id(f[0].node));
        return true;
      },
      [&](const std::vector<Value>& f) {
        undecided.emplace_back(graph->id(f[0].node));
        REQUIRE(executor.imprecisions().size() == 1);
        CHECK(executor.imprecisions()[0].dates.size() == 1);
        CHECK(executor.imprecisions()[0].dates[0].key == "signed_on");
        return true;
      });
  CHECK(sure.empty());
  CHECK(undecided == std::vector<std::string>{"agr:titled"});
}

TEST_CASE("message of a day count from a partial date is a range, never one exact number",
          "[dates][messages]") {
  const auto findings = scan_with(
      rule_json("MATCH (a:Agreement) WHERE a.signed_on IS NOT NULL",
                "{days_between(a.signed_on, date('2011-03-01'))} days; signed {a.signed_on}"),
      kAgreements);
  std::vector<std::string> messages;
  for (const auto& f : findings) messages.push_back(f.message);
  std::sort(messages.begin(), messages.end());
  CHECK(messages == std::vector<std::string>{"0 days; signed 2011-03-01",
                                             "between -305 and 59 days; signed 2011"});
}

TEST_CASE("message numbers print readably, never in exponent form", "[messages]") {
  CHECK(rules::message_number(1234.5) == "1234.5");
  CHECK(rules::message_number(0.51) == "0.51");
  CHECK(rules::message_number(0.638) == "0.638");
  CHECK(rules::message_number(3.2) == "3.2");
  CHECK(rules::message_number(3.24159) == "3.24");
  CHECK(rules::message_number(64.0) == "64");
  CHECK(rules::message_number(1.5e9) == "1500000000");
  CHECK(rules::message_number(0.00123456) == "0.00123");
  CHECK(rules::message_number(-2.5) == "-2.5");
}

TEST_CASE("message names a nameless entity by its display name, not as unknown", "[messages]") {
  const auto findings =
      scan_with(rule_json("MATCH (a:Agreement {id: 'agr:titled'})", "{a.name} / {a}"), kAgreements);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message.find("(unknown)") == std::string::npos);
  CHECK(findings[0].message == "Alpha-Paris letter / Alpha-Paris letter");
}

TEST_CASE("message shows a country code as its name", "[messages]") {
  const auto findings = scan_with(
      rule_json("MATCH (c:ForeignCity)", "{c.name} is in {c.country} ({c.country})"), kAgreements);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "Paris is in France (FR) (France)");
}

TEST_CASE("a year-only date's undecided deadline becomes a cannot-judge finding", "[dates]") {
  const auto findings =
      scan_with(rule_json("MATCH (m:Municipality)-[:PARTY_TO]->(a:Agreement) WHERE "
                          "days_between(a.signed_on, date('2011-03-01')) > 30",
                          "{a.name} late"),
                kAgreements);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].cannot_judge);
  CHECK(findings[0].severity == rules::Severity::kInfo);
  CHECK(findings[0].category == "data-quality");
  CHECK(findings[0].title == "Cannot judge: Test rule");
  CHECK(findings[0].message.find("'Alpha-Paris letter' is dated only to 2011 (its signed_on)") !=
        std::string::npos);
  CHECK(findings[0].message.find("between -305 and 59") != std::string::npos);
}
