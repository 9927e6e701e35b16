// The JSON report renders its findings on several threads with its own string escaper
// and layout; these tests hold both to the bytes RapidJSON's PrettyWriter gives, which
// is what the report was written with before (and what the golden tests were made from).
#include <catch2/catch.hpp>

#include <deque>
#include <random>
#include <sstream>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/report/format_table.h"
#include "analyzer/report/json_text.h"
#include "analyzer/report/report_context.h"
#include "analyzer/util/ordered_render.h"

namespace {

using namespace twinscan;

std::string rapidjson_string(std::string_view s) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return {buffer.GetString(), buffer.GetSize()};
}

std::string escaped(std::string_view s) {
  std::string out;
  report::append_json_string(out, s);
  return out;
}

// Random text: ASCII, every control character, quotes, backslashes, and multibyte
// characters (Hebrew, Chinese, an emoji).
std::string random_text(std::mt19937& rng, std::size_t max_length) {
  static const std::vector<std::string> kPieces = {"a",
                                                   "Z",
                                                   " ",
                                                   "\"",
                                                   "\\",
                                                   "/",
                                                   "\x7f",
                                                   "\xd7\x90",
                                                   "\xe4\xb8\xad",
                                                   "\xf0\x9f\x98\x80",
                                                   "mun:",
                                                   "-PARTY_TO->",
                                                   "'",
                                                   "<",
                                                   "&"};
  std::string out;
  const std::size_t n = std::uniform_int_distribution<std::size_t>(0, max_length)(rng);
  for (std::size_t i = 0; i < n; ++i) {
    if (rng() % 4 == 0) {
      out.push_back(static_cast<char>(rng() % 0x20));
    } else {
      out += kPieces[rng() % kPieces.size()];
    }
  }
  return out;
}

// The JSON report as it was written before its findings were rendered apart: every
// finding through one PrettyWriter.
std::string reference_report(const report::ReportContext& context) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 1);
  const auto str = [&](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  const model::Graph& graph = *context.graph;
  w.StartObject();
  w.Key("tool");
  w.StartObject();
  w.Key("name");
  w.String("twinscan");
  w.Key("version");
  w.String(TWINSCAN_VERSION);
  w.EndObject();
  w.Key("registry");
  w.StartObject();
  w.Key("entities");
  w.Uint64(graph.entity_count());
  w.Key("relations");
  w.Uint64(graph.relation_count());
  w.EndObject();
  w.Key("as_of");
  str(context.as_of);
  w.Key("home_country");
  w.Null();
  w.Key("findings");
  w.StartArray();
  for (std::size_t i = 0; i < context.findings.size(); ++i) {
    const rules::Finding& f = context.findings[i];
    w.StartObject();
    w.Key("rule");
    str(f.rule->id);
    w.Key("category");
    str(f.category);
    w.Key("severity");
    str(rules::to_string(f.severity));
    w.Key("precision");
    str(rules::to_string(f.rule->precision));
    w.Key("title");
    str(f.title);
    w.Key("message");
    str(f.message);
    w.Key("fingerprint");
    str(f.fingerprint);
    if (!context.baseline.empty()) {
      w.Key("baseline");
      str(context.baseline[i] == report::BaselineState::kNew ? "new" : "unchanged");
    }
    w.Key("bindings");
    w.StartObject();
    for (const auto& [name, id] : f.bindings) {
      str(name);
      str(id);
    }
    w.EndObject();
    w.Key("entities");
    w.StartArray();
    for (auto v : f.entities) str(graph.id(v));
    w.EndArray();
    w.Key("relations");
    w.StartArray();
    for (auto r : f.relations) str(graph.relation_id(r));
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  if (!context.baseline.empty()) {
    w.Key("resolved");
    w.StartArray();
    w.EndArray();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::shared_ptr<const model::Graph> small_graph() {
  diag::Diagnostics d;
  bool missing = false;
  auto schema = io::load_schema({}, d, missing);
  io::RegistryLoader loader(schema, d);
  loader.add_source(diag::SourceText("registry.json", R"({
  "format": "twinscan/1",
  "entities": [
    {"id": "mun:a", "kind": "Municipality", "name": "Alpha", "country": "IL"},
    {"id": "agr:\"x\"", "kind": "Agreement", "name": "Deal"},
    {"id": "city:\u05d0\t1", "kind": "ForeignCity", "name": "B", "country": "CN"}
  ],
  "relations": [
    {"kind": "PARTY_TO", "from": "mun:a", "to": "agr:\"x\""},
    {"id": "rel:\\two", "kind": "PARTY_TO", "from": "city:\u05d0\t1", "to": "agr:\"x\""}
  ]
})"));
  auto graph = loader.finish();
  REQUIRE(graph);
  return graph;
}

// A finding with random texts, bindings and evidence. Its category and title are views
// (of its rule's texts, in a report): `texts` keeps them.
rules::Finding random_finding(std::mt19937& rng, const std::vector<rules::Rule>& rules,
                              const model::Graph& graph, std::deque<std::string>& texts) {
  rules::Finding f;
  f.rule = &rules[rng() % rules.size()];
  f.severity = static_cast<rules::Severity>(rng() % 5);
  f.category = texts.emplace_back(random_text(rng, 5));
  f.title = texts.emplace_back(random_text(rng, 10));
  f.message = random_text(rng, 30);
  f.fingerprint = random_text(rng, 4);
  // A first binding that names an entity gives a SARIF result its physical location.
  if (rng() % 2 == 0) f.bindings.emplace_back("a", "mun:a");
  for (std::size_t b = rng() % 3; b > 0; --b)
    f.bindings.emplace_back(random_text(rng, 2), random_text(rng, 6));
  for (std::size_t e = rng() % 4; e > 0; --e)
    f.entities.push_back(static_cast<model::VertexId>(rng() % graph.entity_count()));
  for (std::size_t r = rng() % 3; r > 0; --r)
    f.relations.push_back(static_cast<model::RelationId>(rng() % graph.relation_count()));
  return f;
}

std::string written(const report::ReportContext& context) {
  std::ostringstream out;
  report::write_report(context, "json", out);
  return out.str();
}

}  // namespace

TEST_CASE("JSON strings are escaped as RapidJSON escapes them", "[report][json]") {
  for (int c = 0; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    INFO("byte " << c);
    CHECK(escaped(one) == rapidjson_string(one));
  }
  CHECK(escaped("") == "\"\"");
  CHECK(escaped(std::string_view("a\0b", 3)) == "\"a\\u0000b\"");
  CHECK(escaped("say \"hi\"\\\n\x1f") == "\"say \\\"hi\\\"\\\\\\n\\u001F\"");
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const std::string text = random_text(rng, 40);
    INFO("text " << rapidjson_string(text));
    REQUIRE(escaped(text) == rapidjson_string(text));
  }
}

TEST_CASE("a JSON report rendered on several threads is PrettyWriter's text, byte for byte",
          "[report][json]") {
  const auto graph = small_graph();
  std::mt19937 rng(11);
  std::vector<rules::Rule> rules(3);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    rules[i].id = "rule-" + std::to_string(i) + random_text(rng, 3);
    rules[i].precision = i == 1 ? rules::Precision::kLow : rules::Precision::kHigh;
  }
  report::ReportContext context;
  context.graph = graph.get();
  context.rules = &rules;
  context.as_of = "2026-12-02";
  std::deque<std::string> texts;
  // Pieces of 1,024 findings: 3,000 make three, the last one short.
  for (std::size_t n : {0, 1, 2, 1024, 1025, 3000}) {
    context.findings.clear();
    for (std::size_t i = 0; i < n; ++i)
      context.findings.push_back(random_finding(rng, rules, *graph, texts));
    for (const bool with_baseline : {false, true}) {
      context.baseline.clear();
      if (with_baseline) {
        for (std::size_t i = 0; i < n; ++i)
          context.baseline.push_back(rng() % 2 == 0 ? report::BaselineState::kNew
                                                    : report::BaselineState::kUnchanged);
      }
      const std::string expected = reference_report(context);
      for (const unsigned jobs : {1U, 2U, 5U}) {
        INFO(n << " findings, " << jobs << " jobs, baseline " << with_baseline);
        context.jobs = jobs;
        REQUIRE(written(context) == expected);
      }
    }
  }
}

TEST_CASE("findings of one rule in a row share their head, and a change of any part of it shows",
          "[report][json]") {
  // A report lists a rule's findings together: the text from the brace to the message is
  // kept from one finding to the next while rule, category, severity and title stand.
  const auto graph = small_graph();
  std::mt19937 rng(23);
  std::vector<rules::Rule> rules(2);
  rules[0].id = "rule-a";
  rules[1].id = "rule-\"b\"";
  rules[1].precision = rules::Precision::kLow;
  report::ReportContext context;
  context.graph = graph.get();
  context.rules = &rules;
  context.as_of = "2026-12-06";
  std::deque<std::string> texts;
  const std::string_view category = texts.emplace_back("cat");
  const std::string_view title = texts.emplace_back("A \"title\"");
  // The same texts in other storage read alike, and so share the head too.
  const std::string_view same_title = texts.emplace_back("A \"title\"");
  const std::string_view other_title = texts.emplace_back("A \"title\" too");
  for (int i = 0; i < 600; ++i) {
    rules::Finding f = random_finding(rng, rules, *graph, texts);
    f.rule = &rules[i < 300 ? 0 : 1];
    f.category = i % 97 == 5 ? std::string_view("other") : category;
    f.title = i % 89 == 7 ? other_title : (i % 2 == 0 ? title : same_title);
    f.severity = i % 101 == 9 ? rules::Severity::kCritical : rules::Severity::kHigh;
    context.findings.push_back(std::move(f));
  }
  for (const unsigned jobs : {1U, 2U}) {
    context.jobs = jobs;
    const std::string text = written(context);
    REQUIRE(text == reference_report(context));
    // Every change of the head is in the text: the rules, the other category, title and
    // severity each appear.
    CHECK(text.find("\"rule\": \"rule-\\\"b\\\"\"") != std::string::npos);
    CHECK(text.find("\"category\": \"other\"") != std::string::npos);
    CHECK(text.find("\"title\": \"A \\\"title\\\" too\"") != std::string::npos);
    CHECK(text.find("\"severity\": \"critical\"") != std::string::npos);
    CHECK(text.find("\"precision\": \"low\"") != std::string::npos);
  }
}

TEST_CASE("pieces rendered on several threads are consumed in order, and a fault stops them",
          "[report][json]") {
  for (const unsigned jobs : {1U, 2U, 4U}) {
    std::string joined;
    util::render_in_order(
        500, jobs, 3, [](std::size_t i, std::string& text) { text = std::to_string(i) + ","; },
        [&](const std::string& text) { joined += text; });
    std::string expected;
    for (int i = 0; i < 500; ++i) expected += std::to_string(i) + ",";
    CHECK(joined == expected);

    std::string before_fault;
    CHECK_THROWS_WITH(util::render_in_order(
                          100, jobs, 4,
                          [](std::size_t i, std::string& text) {
                            if (i == 37) throw std::runtime_error("piece 37 failed");
                            text = std::to_string(i) + ",";
                          },
                          [&](const std::string& text) { before_fault += text; }),
                      "piece 37 failed");
    std::string prefix;
    for (int i = 0; i < 37; ++i) prefix += std::to_string(i) + ",";
    CHECK(before_fault == prefix);
  }
}

TEST_CASE("JSON and SARIF reports of thousands of findings read back as PrettyWriter writes them",
          "[report][json]") {
  const auto graph = small_graph();
  std::mt19937 rng(23);
  std::vector<rules::Rule> rules(3);
  for (std::size_t i = 0; i < rules.size(); ++i) rules[i].id = "rule-" + std::to_string(i);
  std::deque<std::string> texts;
  report::ReportContext context;
  context.graph = graph.get();
  context.rules = &rules;
  context.as_of = "2026-12-02";
  for (std::size_t i = 0; i < 2500; ++i)
    context.findings.push_back(random_finding(rng, rules, *graph, texts));
  for (const char* format : {"json", "sarif"}) {
    std::string one_thread;
    for (const unsigned jobs : {1U, 2U, 5U}) {
      INFO(format << ", " << jobs << " jobs");
      context.jobs = jobs;
      std::ostringstream out;
      report::write_report(context, format, out);
      const std::string text = out.str();
      if (jobs == 1) {
        one_thread = text;
        // What PrettyWriter (indent of one space) writes of the same document.
        rapidjson::Document doc;
        doc.Parse(text.c_str(), text.size());
        REQUIRE_FALSE(doc.HasParseError());
        rapidjson::StringBuffer buffer;
        rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
        w.SetIndent(' ', 1);
        doc.Accept(w);
        REQUIRE(text == std::string(buffer.GetString(), buffer.GetSize()) + "\n");
        const auto& results =
            std::string(format) == "sarif" ? doc["runs"][0]["results"] : doc["findings"];
        CHECK(results.Size() == context.findings.size());
      } else {
        REQUIRE(text == one_thread);
      }
    }
  }
}
