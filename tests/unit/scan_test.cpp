// End-to-end tests of scanning and screening over the sample registry and the bundled
// rules: SARIF validity, screen = filtered scan, stable fingerprints, parallel runs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/report/format_table.h"
#include "analyzer/report/report_context.h"
#include "analyzer/rules/rule_reader.h"
#include "analyzer/rules/scanner.h"
#include "analyzer/rules/work_board.h"

namespace {

using namespace twinscan;

const std::string kRoot = TWINSCAN_SOURCE_DIR;

std::vector<rules::Rule> bundled_rules() {
  diag::Diagnostics d;
  bool missing = false;
  auto rules = rules::load_rules({kRoot + "/rules"}, d, missing);
  REQUIRE_FALSE(d.has_errors());
  REQUIRE_FALSE(rules.empty());
  return rules;
}

std::shared_ptr<const model::Graph> load(const std::vector<diag::SourceText>& sources) {
  diag::Diagnostics d;
  bool missing = false;
  auto schema = io::load_schema({}, d, missing);
  io::RegistryLoader loader(schema, d);
  for (const auto& s : sources) loader.add_source(s);
  auto graph = loader.finish();
  if (!graph) {
    std::ostringstream out;
    d.print(out);
    FAIL(out.str());
  }
  return graph;
}

std::vector<diag::SourceText> sample_sources() {
  std::vector<std::string> files;
  REQUIRE(io::expand_registry_path(kRoot + "/data/sample", files));
  std::vector<diag::SourceText> out;
  for (const auto& f : files) {
    diag::SourceText s("", "");
    std::string error;
    REQUIRE(diag::SourceText::read_file(f, s, error) == diag::SourceText::ReadStatus::kOk);
    out.push_back(std::move(s));
  }
  return out;
}

rules::ScanOptions options_on(const char* date, unsigned jobs = 1) {
  rules::ScanOptions o;
  o.as_of = *model::parse_date(date);
  o.jobs = jobs;
  return o;
}

std::vector<std::string> fingerprints(const rules::FindingList& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.fingerprint + " " + f.message);
  std::sort(out.begin(), out.end());
  return out;
}

std::string json_report(const model::Graph& g, const std::vector<rules::Rule>& rules,
                        const rules::FindingList& findings) {
  report::ReportContext context;
  context.graph = &g;
  context.rules = &rules;
  context.findings = findings;
  std::ostringstream out;
  report::write_report(context, "json", out);
  return out.str();
}

}  // namespace

TEST_CASE("the SARIF report of the sample scan validates against SARIF 2.1.0", "[scan]") {
  const auto rules = bundled_rules();
  auto graph = load(sample_sources());
  diag::Diagnostics d;
  auto result = rules::scan(*graph, rules, options_on("2026-11-22"), d);
  REQUIRE(result.ok);
  REQUIRE_FALSE(result.findings.empty());
  report::ReportContext context;
  context.graph = graph.get();
  context.rules = &rules;
  context.findings = result.findings;
  std::ostringstream sarif;
  report::write_report(context, "sarif", sarif);

  std::ifstream schema_file(kRoot + "/tests/data/sarif-schema-2.1.0.json");
  std::stringstream schema_text;
  schema_text << schema_file.rdbuf();
  rapidjson::Document schema_json;
  schema_json.Parse(schema_text.str().c_str());
  REQUIRE_FALSE(schema_json.HasParseError());
  rapidjson::SchemaDocument schema(schema_json);
  rapidjson::Document doc;
  doc.Parse(sarif.str().c_str());
  REQUIRE_FALSE(doc.HasParseError());
  rapidjson::SchemaValidator validator(schema);
  const bool valid = doc.Accept(validator);
  rapidjson::StringBuffer where;
  validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
  INFO("invalid at " << where.GetString() << " (" << validator.GetInvalidSchemaKeyword() << ")");
  CHECK(valid);
  CHECK(doc["runs"][0]["results"].Size() == result.findings.size());
  CHECK(doc["runs"][0]["tool"]["driver"]["rules"].Size() == rules.size());
}

TEST_CASE("screening a bundled request equals the full scan filtered to it", "[scan]") {
  const auto rules = bundled_rules();
  for (const auto& entry : std::filesystem::directory_iterator(kRoot + "/data/requests")) {
    auto sources = sample_sources();
    diag::SourceText request("", "");
    std::string error;
    REQUIRE(diag::SourceText::read_file(entry.path().string(), request, error) ==
            diag::SourceText::ReadStatus::kOk);
    sources.push_back(request);
    auto graph = load(sources);
    const auto request_doc = static_cast<std::uint32_t>(sources.size() - 1);
    diag::Diagnostics d;
    auto full = rules::scan(*graph, rules, options_on("2026-11-22"), d);
    auto screened = rules::screen(*graph, rules, request_doc, options_on("2026-11-22"), d);
    REQUIRE(full.ok);
    REQUIRE(screened.ok);
    INFO("request " << entry.path());
    CHECK(fingerprints(screened.findings) ==
          fingerprints(rules::touching_document(*graph, full.findings.take_vector(), request_doc)));
  }
}

// Splits the sample's records at random between a registry document and a request
// document, and checks that screening the request equals the filtered full scan.
TEST_CASE("screening random requests equals the filtered full scan", "[scan]") {
  const auto rules = bundled_rules();
  std::vector<std::pair<std::string, std::string>> records;  // (entities|relations, JSON)
  for (const auto& source : sample_sources()) {
    std::string text = source.text();
    // The sample uses // comments; parse with them allowed.
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag>(text.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    for (const char* part : {"entities", "relations"}) {
      if (!doc.HasMember(part)) continue;
      for (const auto& item : doc[part].GetArray()) {
        rapidjson::StringBuffer b;
        rapidjson::Writer<rapidjson::StringBuffer> w(b);
        item.Accept(w);
        records.emplace_back(part, b.GetString());
      }
    }
  }
  std::mt19937 rng(20261122);
  for (int round = 0; round < 25; ++round) {
    std::string registry[2], request[2];
    for (const auto& [part, json] : records) {
      const bool to_request = rng() % 10 == 0;
      std::string* target = to_request ? request : registry;
      std::string& list = target[part == "entities" ? 0 : 1];
      list += (list.empty() ? "" : ",\n") + json;
    }
    auto doc = [](const std::string* parts) {
      return "{\"format\": \"twinscan/1\", \"entities\": [" + parts[0] + "], \"relations\": [" +
             parts[1] + "]}";
    };
    auto graph = load({diag::SourceText("registry.json", doc(registry)),
                       diag::SourceText("request.json", doc(request))});
    diag::Diagnostics d;
    auto full = rules::scan(*graph, rules, options_on("2026-11-22"), d);
    auto screened = rules::screen(*graph, rules, 1, options_on("2026-11-22"), d);
    REQUIRE(full.ok);
    REQUIRE(screened.ok);
    INFO("round " << round);
    CHECK(fingerprints(screened.findings) ==
          fingerprints(rules::touching_document(*graph, full.findings.take_vector(), 1)));
  }
}

TEST_CASE("fingerprints survive unrelated changes to the registry", "[scan]") {
  const auto rules = bundled_rules();
  auto sources = sample_sources();
  auto before = load(sources);
  // A tie the national register records, so that no rule has a finding about it.
  sources.emplace_back("extra.json", R"({"format": "twinscan/1",
    "source": {"id": "mfa", "role": "national-register"}, "entities": [
    {"id": "mun:unrelated", "kind": "Municipality", "name": "Unrelated town"},
    {"id": "city:far", "kind": "ForeignCity", "name": "Far city", "country": "FR"}],
    "relations": [{"kind": "TWINNED_WITH", "from": "mun:unrelated", "to": "city:far", "since": "2001"}]})");
  auto after = load(sources);
  diag::Diagnostics d;
  auto a = rules::scan(*before, rules, options_on("2026-11-22"), d);
  auto b = rules::scan(*after, rules, options_on("2026-11-22"), d);
  CHECK(fingerprints(a.findings) == fingerprints(b.findings));
}

TEST_CASE("a parallel scan reports exactly what a single-threaded one does", "[scan]") {
  const auto rules = bundled_rules();
  auto graph = load(sample_sources());
  diag::Diagnostics d;
  auto one = rules::scan(*graph, rules, options_on("2026-11-22", 1), d);
  auto four = rules::scan(*graph, rules, options_on("2026-11-22", 4), d);
  CHECK(json_report(*graph, rules, one.findings) == json_report(*graph, rules, four.findings));
}

TEST_CASE("findings sorted by precomputed keys are in finding_order, equal ones kept in place",
          "[scan][finding]") {
  rules::Rule a, b, b2;
  a.id = "alpha";
  b.id = "beta";
  b2.id = "beta";  // another rule with the same id: ranked as one
  auto make = [](const rules::Rule* r, rules::Severity s,
                 std::vector<std::pair<std::string, std::string>> bindings, std::string tag) {
    rules::Finding f;
    f.rule = r;
    f.severity = s;
    f.bindings = std::move(bindings);
    f.message = std::move(tag);
    return f;
  };
  using S = rules::Severity;
  std::vector<rules::Finding> findings{
      make(&b, S::kLow, {{"x", "b"}}, "1"),
      make(&a, S::kLow, {{"x", "b"}}, "2"),
      make(&b2, S::kLow, {{"x", "a"}}, "3"),
      make(&a, S::kHigh, {{"x", "z"}}, "4"),
      make(&b, S::kLow, {{"x", std::string("a\0b", 3)}}, "5"),
      make(&b, S::kLow, {{"x", std::string("a\x01", 2)}}, "6"),
      make(&b, S::kLow, {{"x", "a"}, {"y", "c"}}, "7"),
      make(&b, S::kLow, {{"x", "\xc3\xa9"}}, "8"),
      make(&b, S::kLow, {{"x", "b"}}, "9"),
      make(&b, S::kLow, {}, "10"),
  };
  std::vector<rules::Finding> expected = findings;
  std::stable_sort(expected.begin(), expected.end(), rules::finding_order);
  rules::sort_findings(findings);
  REQUIRE(findings.size() == expected.size());
  std::string got, want;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    got += findings[i].message + " ";
    want += expected[i].message + " ";
  }
  CHECK(got == want);
  CHECK(want == "4 2 10 3 7 5 6 1 9 8 ");
}

TEST_CASE("findings whose bindings share a long start sort as finding_order does, alone or halved",
          "[scan][finding]") {
  // Ids that agree for many bytes and differ before, inside and past the eight bytes the
  // sort compares first; ends that are escaped bytes; one binding set a prefix of another.
  rules::Rule r;
  r.id = "rule";
  std::mt19937 random(7);
  const std::string base = "firm:national-register:00000000";
  auto id = [&]() {
    std::string text = base;
    const std::size_t at = random() % text.size();
    text[at] = static_cast<char>('0' + random() % 3);
    if (random() % 5 == 0) text.push_back(static_cast<char>(random() % 3));  // 0, 1 or 2
    if (random() % 7 == 0) text.resize(random() % text.size());
    return text;
  };
  std::vector<rules::Finding> findings;
  for (std::size_t i = 0; i < 3 * rules::kParallelSortFindings; ++i) {
    rules::Finding f;
    f.rule = &r;
    f.severity = random() % 4 == 0 ? rules::Severity::kHigh : rules::Severity::kMedium;
    std::vector<std::pair<std::string, std::string>> bindings{{"f", id()}};
    if (random() % 3 != 0) bindings.emplace_back("g", id());
    f.bindings = bindings;
    f.message = std::to_string(i);
    findings.push_back(std::move(f));
  }
  std::vector<rules::Finding> expected = findings;
  std::stable_sort(expected.begin(), expected.end(), rules::finding_order);
  auto messages = [](const std::vector<rules::Finding>& v) {
    std::vector<std::string> out;
    for (const auto& f : v) out.push_back(f.message);
    return out;
  };
  std::vector<rules::Finding> alone = findings;
  rules::sort_findings(alone);
  CHECK(messages(alone) == messages(expected));
  rules::WorkBoard board;
  rules::HelperThreads helpers(board, 1);
  rules::sort_findings(findings, &board);
  CHECK(messages(findings) == messages(expected));
}

TEST_CASE("runs sorted per rule and joined are in the order of one sort of them all",
          "[scan][finding]") {
  std::mt19937 rng(5);
  std::vector<rules::Rule> rules(6);
  const char* const kIds[] = {"delta", "alpha", "gamma", "beta", "alpha", "epsilon"};
  for (std::size_t i = 0; i < rules.size(); ++i) rules[i].id = kIds[i];
  const auto random_run = [&](const rules::Rule* rule, std::size_t n, bool mixed) {
    std::vector<rules::Finding> run;
    for (std::size_t i = 0; i < n; ++i) {
      rules::Finding f;
      f.rule = mixed && rng() % 3 == 0 ? &rules[rng() % rules.size()] : rule;
      f.severity = static_cast<rules::Severity>(rng() % 5);
      f.bindings = {{"x", std::string(1, static_cast<char>('a' + rng() % 4))}};
      if (rng() % 2 == 0)
        f.bindings.emplace_back("y", std::string(1, static_cast<char>(rng() % 3)));
      f.message = std::to_string(run.size()) + "@" + rule->id + std::to_string(rng() % 1000);
      run.push_back(std::move(f));
    }
    return run;
  };
  // Distinct rules (the join proper), two rules with one id, and runs that mix rules
  // (both joined by one sort instead).
  for (const auto& [picked, mixed] :
       std::vector<std::pair<std::vector<std::size_t>, bool>>{{{0, 1, 2, 3, 5}, false},
                                                              {{0, 1, 4, 3}, false},
                                                              {{0, 1, 2}, true},
                                                              {{2}, false},
                                                              {{3}, true}}) {
    std::vector<std::vector<rules::Finding>> runs;
    std::vector<rules::Finding> all;
    for (const std::size_t r : picked) {
      runs.push_back(random_run(&rules[r], rng() % 200, mixed));
      all.insert(all.end(), runs.back().begin(), runs.back().end());
    }
    runs.emplace_back();  // a rule without findings
    std::stable_sort(all.begin(), all.end(), rules::finding_order);
    for (auto& run : runs) rules::sort_findings(run);
    const auto joined = rules::join_sorted_findings(runs);
    REQUIRE(joined.size() == all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      INFO("finding " << i);
      REQUIRE(joined[i].message == all[i].message);
    }
    for (const auto& run : runs) CHECK(run.empty());
  }
}

TEST_CASE("the join moves no finding: each stays where its rule's run put it", "[scan][finding]") {
  rules::Rule alpha, beta;
  alpha.id = "alpha";
  beta.id = "beta";
  std::vector<std::vector<rules::Finding>> runs(3);
  // alpha: two high, three low; beta (run 0): one critical, one low. Joined: beta's
  // critical, alpha's highs, then the lows of alpha and of beta.
  for (int i = 0; i < 5; ++i) {
    rules::Finding f;
    f.rule = &alpha;
    f.severity = i < 2 ? rules::Severity::kHigh : rules::Severity::kLow;
    f.message = "a" + std::to_string(i);
    runs[1].push_back(std::move(f));
  }
  for (int i = 0; i < 2; ++i) {
    rules::Finding f;
    f.rule = &beta;
    f.severity = i == 0 ? rules::Severity::kCritical : rules::Severity::kLow;
    f.message = "b" + std::to_string(i);
    runs[0].push_back(std::move(f));
  }
  const rules::Finding* alpha_held = runs[1].data();
  const rules::Finding* beta_held = runs[0].data();
  auto joined = rules::join_sorted_findings(runs);
  for (const auto& run : runs) CHECK(run.empty());
  REQUIRE(joined.size() == 7);
  std::vector<std::string> order;
  for (const auto& f : joined) order.push_back(f.message);
  CHECK(order == std::vector<std::string>{"b0", "a0", "a1", "a2", "a3", "a4", "b1"});
  CHECK(&joined[0] == beta_held);
  CHECK(&joined[1] == alpha_held);
  CHECK(&joined[5] == alpha_held + 4);
  CHECK(&joined[6] == beta_held + 1);
  // Stepping, jumping and indexing agree on every position.
  const auto& list = joined;
  std::size_t i = 0;
  for (auto it = list.begin(); it != list.end(); ++it, ++i) {
    CHECK(&*it == &list[i]);
    CHECK(&*(list.begin() + static_cast<std::ptrdiff_t>(i)) == &list[i]);
    CHECK(&list.end()[-static_cast<std::ptrdiff_t>(list.size() - i)] == &list[i]);
  }
  CHECK(i == 7);
  // Taken out as one vector, in the same order.
  const auto taken = joined.take_vector();
  REQUIRE(taken.size() == 7);
  CHECK(taken.front().message == "b0");
  CHECK(taken.back().message == "b1");
  CHECK(joined.empty());
}

TEST_CASE("a run whose severities do not come worst first is sorted, not sliced",
          "[scan][finding]") {
  rules::Rule rule;
  rule.id = "alpha";
  std::vector<std::vector<rules::Finding>> runs(2);
  for (const auto severity : {rules::Severity::kLow, rules::Severity::kHigh}) {
    rules::Finding f;
    f.rule = &rule;
    f.severity = severity;
    f.message = std::string(rules::to_string(severity));
    runs[0].push_back(std::move(f));
  }
  const auto joined = rules::join_sorted_findings(runs);
  REQUIRE(joined.size() == 2);
  CHECK(joined[0].message == "high");
  CHECK(joined[1].message == "low");
}

TEST_CASE("a moved-from finding list is empty", "[scan][finding]") {
  rules::FindingList from{rules::Finding{}, rules::Finding{}};
  rules::FindingList to = std::move(from);
  CHECK(to.size() == 2);
  CHECK(from.empty());  // NOLINT(bugprone-use-after-move): what a move leaves is the point
  CHECK(from.begin() == from.end());
  rules::FindingList again;
  again = std::move(to);
  CHECK(again.size() == 2);
  CHECK(to.empty());  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("a list filled one finding at a time is one run, and reads as a vector would",
          "[scan][finding]") {
  rules::FindingList list;
  CHECK(list.empty());
  CHECK(list.begin() == list.end());
  for (int i = 0; i < 100; ++i) {
    rules::Finding f;
    f.message = std::to_string(i);
    list.push_back(std::move(f));
  }
  REQUIRE(list.size() == 100);
  CHECK(list.run(0).size() == 100);
  for (std::size_t i = 0; i < list.size(); ++i) CHECK(list[i].message == std::to_string(i));
  CHECK(std::distance(list.begin(), list.end()) == 100);
  CHECK(list.back().message == "99");
}

TEST_CASE(
    "findings sorted in two halves on a board's threads and merged are in the order of one sort",
    "[scan][finding]") {
  std::mt19937 rng(11);
  std::vector<rules::Rule> rules(3);
  rules[0].id = "gamma";
  rules[1].id = "alpha";
  rules[2].id = "alpha";  // one id, two rules: ranked as one
  std::vector<rules::Finding> findings;
  for (std::size_t i = 0; i < 3 * rules::kParallelSortFindings; ++i) {
    rules::Finding f;
    f.rule = &rules[rng() % rules.size()];
    f.severity = static_cast<rules::Severity>(rng() % 5);
    // Few distinct bindings: many findings tie on everything but their place.
    f.bindings = {{"x", std::string(1, static_cast<char>('a' + rng() % 5))}};
    if (rng() % 2 == 0) f.bindings.emplace_back("y", std::string(rng() % 3, '\x01'));
    f.message = std::to_string(i);
    findings.push_back(std::move(f));
  }
  std::vector<rules::Finding> expected = findings;
  std::stable_sort(expected.begin(), expected.end(), rules::finding_order);
  rules::WorkBoard board;
  rules::HelperThreads helpers(board, 1);
  rules::sort_findings(findings, &board);
  REQUIRE(findings.size() == expected.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    INFO("finding " << i);
    REQUIRE(findings[i].message == expected[i].message);
  }
}
