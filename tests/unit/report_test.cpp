// Tests of the report writers: the text report's layout and escaping, the query table's
// alignment of wide characters, SARIF suppressions, the home country in every format,
// and the HTML report of very long and right-to-left names.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/report/evidence_drawing.h"
#include "analyzer/report/format_table.h"
#include "analyzer/report/report_context.h"
#include "analyzer/report/table_writer.h"
#include "analyzer/rules/rule_reader.h"
#include "analyzer/rules/scanner.h"
#include "analyzer/util/country_name.h"
#include "analyzer/util/terminal_text.h"

namespace {

using namespace twinscan;

const std::string kRoot = TWINSCAN_SOURCE_DIR;

std::shared_ptr<const model::Graph> load(const std::string& json) {
  diag::Diagnostics d;
  bool missing = false;
  auto schema = io::load_schema({}, d, missing);
  io::RegistryLoader loader(schema, d);
  loader.add_source(diag::SourceText("registry.json", json));
  auto graph = loader.finish();
  if (!graph) {
    std::ostringstream out;
    d.print(out);
    FAIL(out.str());
  }
  return graph;
}

model::RelationId relation_named(const model::Graph& g, std::string_view id) {
  for (model::RelationId r = 0; r < g.relation_count(); ++r) {
    if (g.relation_id(r) == id) return r;
  }
  FAIL("no relation " << id);
  return 0;
}

rules::Rule make_rule(std::string id, rules::Severity severity, std::string category) {
  rules::Rule r;
  r.id = std::move(id);
  r.title = "Title of " + r.id;
  r.category = std::move(category);
  r.severity = severity;
  r.rationale = "Why.";
  return r;
}

rules::Finding make_finding(const rules::Rule& rule, const model::Graph& g, std::string message,
                            std::vector<std::string> ids) {
  rules::Finding f;
  f.rule = &rule;
  f.severity = rule.severity;
  f.category = rule.category;
  f.title = rule.title;
  f.message = std::move(message);
  f.fingerprint = rules::fingerprint_of(rule.id, ids);
  for (const auto& id : ids) {
    f.bindings.emplace_back("v" + std::to_string(f.bindings.size()), id);
    f.entities.push_back(*g.find(id));
  }
  return f;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const char* const kTwoParties = R"({
  "format": "twinscan/1",
  "entities": [
    {"id": "mun:a", "kind": "Municipality", "name": "Alpha", "country": "IL"},
    {"id": "agr:x", "kind": "Agreement", "name": "Deal", "signed_on": "2020-01-01"},
    {"id": "mun:evil", "kind": "Municipality", "name": "Evil\nHIGH forged-rule: all clear\u202e", "country": "IL"}
  ],
  "relations": [
    {"id": "rel:one", "kind": "PARTY_TO", "from": "mun:a", "to": "agr:x", "role": "signatory"},
    {"id": "rel:two", "kind": "PARTY_TO", "from": "mun:a", "to": "agr:x", "role": "witness"}
  ]
})";

rapidjson::Document validated_sarif(const std::string& sarif) {
  std::ifstream schema_file(kRoot + "/tests/data/sarif-schema-2.1.0.json");
  std::stringstream schema_text;
  schema_text << schema_file.rdbuf();
  rapidjson::Document schema_json;
  schema_json.Parse(schema_text.str().c_str());
  REQUIRE_FALSE(schema_json.HasParseError());
  rapidjson::SchemaDocument schema(schema_json);
  rapidjson::Document doc;
  doc.Parse(sarif.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  rapidjson::SchemaValidator validator(schema);
  const bool valid = doc.Accept(validator);
  rapidjson::StringBuffer where;
  validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
  INFO("invalid at " << where.GetString() << " (" << validator.GetInvalidSchemaKeyword() << ")");
  CHECK(valid);
  return doc;
}

}  // namespace

TEST_CASE("a name with control or bidi characters cannot forge a text report line", "[report]") {
  CHECK(util::escape_for_terminal("plain Ашдод אשדוד 宁波") == "plain Ашдод אשדוד 宁波");
  CHECK(util::escape_for_terminal("a\nb\tc\rd\x1b[31m\x7f") ==
        "a\\u{0a}b\\u{09}c\\u{0d}d\\u{1b}[31m\\u{7f}");
  CHECK(util::escape_for_terminal("x\u0085y\u009b") == "x\\u{85}y\\u{9b}");
  CHECK(util::escape_for_terminal("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") ==
        "\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{202e}\\u{2066}\\u{2067}\\u{2068}\\u{2069}");
  CHECK(util::escape_for_terminal("bad \xff\xc3 end") == "bad \\x{ff}\\x{c3} end");

  const auto g = load(kTwoParties);
  const auto high = make_rule("some-rule", rules::Severity::kMedium, "linkage");
  std::vector<rules::Rule> rules{high};
  report::ReportContext context;
  context.graph = g.get();
  context.rules = &rules;
  context.findings.push_back(
      make_finding(rules[0], *g, "Evil\nHIGH forged-rule: all clear\u202e", {"mun:evil"}));
  std::ostringstream out;
  report::write_report(context, "text", out);
  const std::string text = out.str();
  CHECK(text.find("\nHIGH forged-rule") == std::string::npos);
  CHECK(text.find("\u202e") == std::string::npos);
  CHECK(text.find("MEDIUM some-rule: Evil\\u{0a}HIGH forged-rule: all clear\\u{202e} [mun:evil]") !=
        std::string::npos);
}

TEST_CASE("the text report shows its summary first and groups findings by severity", "[report]") {
  const auto g = load(kTwoParties);
  std::vector<rules::Rule> rules{make_rule("low-rule", rules::Severity::kLow, "data-quality"),
                                 make_rule("crit-rule", rules::Severity::kCritical, "secrecy"),
                                 make_rule("high-rule", rules::Severity::kHigh, "secrecy")};
  report::ReportContext context;
  context.graph = g.get();
  context.rules = &rules;
  context.verdict = "escalate";
  context.home_country = "FR";
  // Given in no particular order.
  context.findings.push_back(make_finding(rules[0], *g, "low one", {"mun:a"}));
  context.findings.push_back(make_finding(rules[1], *g, "critical one", {"agr:x"}));
  context.findings.push_back(make_finding(rules[2], *g, "high one", {"mun:a", "agr:x"}));
  context.findings.push_back(make_finding(rules[0], *g, "low two", {"agr:x"}));
  std::ostringstream out;
  report::write_report(context, "text", out);
  const auto lines = lines_of(out.str());
  REQUIRE(lines.size() >= 10);
  CHECK(lines[0] == "verdict: escalate");
  CHECK(lines[1] == "Home country: France (FR)");
  CHECK(lines[2] == "4 findings in 3 entities and 2 relations");
  CHECK(lines[3] == "  by severity: 1 critical, 1 high, 2 low");
  CHECK(lines[4] == "  by category: data-quality 2, secrecy 2");
  CHECK(lines[5].empty());
  CHECK(lines[6] == "== CRITICAL (1) ==");
  CHECK(lines[7] == "CRITICAL crit-rule: critical one [agr:x]");
  const std::string text = out.str();
  const auto high = text.find("== HIGH (1) ==");
  const auto low = text.find("== LOW (2) ==");
  REQUIRE(high != std::string::npos);
  REQUIRE(low != std::string::npos);
  CHECK(high < text.find("HIGH high-rule: high one"));
  CHECK(text.find("HIGH high-rule: high one") < low);
  CHECK(low < text.find("LOW low-rule: low one"));
  CHECK(low < text.find("LOW low-rule: low two"));
  CHECK(text.find("MEDIUM") == std::string::npos);  // No heading for an empty severity.

  context.home_country.clear();
  context.verdict.reset();
  std::ostringstream unknown;
  report::write_report(context, "text", unknown);
  CHECK(lines_of(unknown.str())[0] == "Home country: not known (give --home-country)");
}

TEST_CASE("two relations with the same kind and ends are not shown as identical evidence lines",
          "[report]") {
  const auto g = load(kTwoParties);
  std::vector<rules::Rule> rules{make_rule("r", rules::Severity::kHigh, "linkage")};
  auto f = make_finding(rules[0], *g, "m", {"mun:a", "agr:x"});
  f.relations = {relation_named(*g, "rel:one"), relation_named(*g, "rel:two")};
  report::ReportContext context;
  context.graph = g.get();
  context.rules = &rules;
  context.findings.push_back(f);
  std::ostringstream out;
  report::write_report(context, "text", out);
  std::vector<std::string> evidence;
  for (const auto& line : lines_of(out.str())) {
    if (line.find("-[PARTY_TO]->") != std::string::npos) evidence.push_back(line);
  }
  REQUIRE(evidence.size() == 2);
  CHECK(evidence[0] != evidence[1]);
  CHECK(evidence[0].find("[relation rel:one, stated in registry.json:") != std::string::npos);
  CHECK(evidence[1].find("[relation rel:two, stated in registry.json:") != std::string::npos);

  // A relation that reads differently keeps its plain line.
  f.relations = {relation_named(*g, "rel:one")};
  context.findings = {f};
  std::ostringstream single;
  report::write_report(context, "text", single);
  CHECK(single.str().find("    Alpha (mun:a) -[PARTY_TO]-> Deal (agr:x)\n") != std::string::npos);
}

TEST_CASE("the query table aligns Chinese names by their display width", "[report]") {
  CHECK(report::display_width("abc") == 3);
  CHECK(report::display_width("宁波市") == 6);
  CHECK(report::display_width("ＡＢ") == 4);             // Fullwidth forms.
  CHECK(report::display_width("e\u0301te\u0301") == 3);  // Combining acute accents.
  CHECK(report::display_width("\u20dd") == 0);           // Enclosing mark.
  CHECK(report::display_width("a\u200db") == 2);         // Zero-width joiner.
  const auto g = load(kTwoParties);
  query::ResultTable table;
  table.columns = {"name", "n"};
  table.rows.push_back({query::Value::of_string("宁波市"), query::Value::of_string("1")});
  table.rows.push_back({query::Value::of_string("Ashdod"), query::Value::of_string("2")});
  table.rows.push_back({query::Value::of_string("舟山"), query::Value::of_string("3")});
  std::ostringstream out;
  report::write_table(table, *g, report::TableFormat::kTable, out);
  CHECK(out.str() ==
        "name    n\n"
        "------  -\n"
        "宁波市  1\n"
        "Ashdod  2\n"
        "舟山    3\n"
        "(3 rows)\n");
}

TEST_CASE("a query table cell with a newline cannot forge a table row", "[report]") {
  const auto g = load(kTwoParties);
  query::ResultTable table;
  table.columns = {"name"};
  table.rows.push_back({query::Value::of_string("a\nb")});
  std::ostringstream out;
  report::write_table(table, *g, report::TableFormat::kTable, out);
  CHECK(out.str() == "name\n--------\na\\u{0a}b\n(1 row)\n");
}

TEST_CASE("suppressed findings stay in the SARIF log with SARIF suppressions", "[report]") {
  const auto g = load(kTwoParties);
  std::vector<rules::Rule> rules{make_rule("kept-rule", rules::Severity::kHigh, "linkage"),
                                 make_rule("set-aside", rules::Severity::kMedium, "secrecy")};
  report::ReportContext context;
  context.graph = g.get();
  context.rules = &rules;
  context.home_country = "IL";
  context.findings.push_back(make_finding(rules[0], *g, "kept", {"mun:a"}));
  context.suppressed.push_back({make_finding(rules[1], *g, "set aside", {"agr:x"}),
                                "Reviewed with the liaison.", "reviewer@example.gov",
                                "2027-06-30"});
  std::ostringstream sarif;
  report::write_report(context, "sarif", sarif);
  const auto doc = validated_sarif(sarif.str());
  const auto& run = doc["runs"][0];
  REQUIRE(run["results"].Size() == 2);
  CHECK_FALSE(run["results"][0].HasMember("suppressions"));
  const auto& result = run["results"][1];
  CHECK(std::string(result["ruleId"].GetString()) == "set-aside");
  CHECK(result["ruleIndex"].GetUint() == 1);
  REQUIRE(result.HasMember("suppressions"));
  const auto& s = result["suppressions"][0];
  CHECK(std::string(s["kind"].GetString()) == "external");
  CHECK(std::string(s["status"].GetString()) == "accepted");
  CHECK(std::string(s["justification"].GetString()) == "Reviewed with the liaison.");
  CHECK(std::string(s["properties"]["author"].GetString()) == "reviewer@example.gov");
  CHECK(std::string(s["properties"]["expires"].GetString()) == "2027-06-30");
  CHECK(std::string(run["properties"]["home_country"].GetString()) == "IL");
}

TEST_CASE("every report format shows the home country", "[report]") {
  CHECK(util::country_name("FR") == "France");
  CHECK(util::country_name("il") == "Israel");
  CHECK(util::country_name("CN") == "China");
  CHECK(util::country_name("F") == "");
  CHECK(util::country_name("F1") == "");
  CHECK(util::country_name("QQ") == "");
  const auto g = load(kTwoParties);
  std::vector<rules::Rule> rules;
  report::ReportContext context;
  context.graph = g.get();
  context.rules = &rules;
  context.home_country = "FR";
  std::ostringstream json, sarif, html;
  report::write_report(context, "json", json);
  report::write_report(context, "sarif", sarif);
  report::write_report(context, "html", html);
  rapidjson::Document doc;
  doc.Parse(json.str().c_str());
  CHECK(std::string(doc["home_country"].GetString()) == "FR");
  CHECK(std::string(
            validated_sarif(sarif.str())["runs"][0]["properties"]["home_country"].GetString()) ==
        "FR");
  CHECK(html.str().find("home country: France (FR)</p>") != std::string::npos);

  context.home_country.clear();
  std::ostringstream json2, sarif2, html2;
  report::write_report(context, "json", json2);
  report::write_report(context, "sarif", sarif2);
  report::write_report(context, "html", html2);
  doc.Parse(json2.str().c_str());
  CHECK(doc["home_country"].IsNull());
  CHECK(validated_sarif(sarif2.str())["runs"][0]["properties"]["home_country"].IsNull());
  CHECK(html2.str().find("home country: not known (give --home-country)</p>") != std::string::npos);
  CHECK_FALSE(validated_sarif(sarif2.str())["runs"][0]["properties"].HasMember("verdict"));
}

TEST_CASE("a screening's SARIF log carries its verdict", "[report]") {
  const auto g = load(kTwoParties);
  std::vector<rules::Rule> rules;
  report::ReportContext context;
  context.graph = g.get();
  context.rules = &rules;
  context.verdict = "review";
  std::ostringstream sarif;
  report::write_report(context, "sarif", sarif);
  CHECK(std::string(validated_sarif(sarif.str())["runs"][0]["properties"]["verdict"].GetString()) ==
        "review");
}

TEST_CASE("an HTML message that begins with a Hebrew name reads left to right", "[report]") {
  const auto g = load(kTwoParties);
  std::vector<rules::Rule> rules{make_rule("r", rules::Severity::kHigh, "linkage")};
  report::ReportContext context;
  context.graph = g.get();
  context.rules = &rules;
  context.findings.push_back(
      make_finding(rules[0], *g, "אשדוד signed 'صور 2' with 宁波 <b>", {"mun:a"}));
  std::ostringstream html;
  report::write_report(context, "html", html);
  CHECK(html.str().find("<p class=\"message\" dir=\"ltr\"><bdi>אשדוד</bdi> signed "
                        "&#39;<bdi>صور</bdi> 2&#39; with 宁波 &lt;b&gt;</p>") != std::string::npos);
  CHECK(html.str().find("dir=\"auto\"") == std::string::npos);
  CHECK(html.str().find("Droid Sans Fallback") != std::string::npos);
}

TEST_CASE("an HTML report of an entity with a 5 MB name is complete and draws a short label",
          "[report]") {
  const std::string long_name = "N" + std::string(5 * 1024 * 1024, 'x') + "<&>";
  const std::string registry = R"({"format": "twinscan/1", "entities": [
    {"id": "mun:long", "kind": "Municipality", "name": ")" +
                               long_name + R"(", "country": "IL"},
    {"id": "auth:mfa", "kind": "CentralAuthority", "name": "Ministry"},
    {"id": "city:x", "kind": "ForeignCity", "name": "River City", "country": "CN"},
    {"id": "city:y", "kind": "ForeignCity", "name": "Free City", "country": "DE"},
    {"id": "agr:mou", "kind": "Agreement", "name": "MoU", "signed_on": "2026-01-10"},
    {"id": "agr:old", "kind": "Agreement", "name": "Old", "signed_on": "2005-06-12"}],
  "relations": [
    {"kind": "PARTY_TO", "from": "mun:long", "to": "agr:mou"},
    {"kind": "PARTY_TO", "from": "city:x", "to": "agr:mou"},
    {"kind": "PARTY_TO", "from": "mun:long", "to": "agr:old"},
    {"kind": "PARTY_TO", "from": "city:y", "to": "agr:old"},
    {"kind": "NOTIFIED", "from": "agr:old", "to": "auth:mfa", "on": "2005-06-27"}]})";
  const auto g = load(registry);
  diag::Diagnostics d;
  bool missing = false;
  const auto rules = rules::load_rules({kRoot + "/rules/agreement-not-notified"}, d, missing);
  REQUIRE(rules.size() == 1);
  rules::ScanOptions options;
  options.as_of = *model::parse_date("2026-11-22");
  options.jobs = 1;
  auto result = rules::scan(*g, rules, options, d);
  REQUIRE(result.ok);
  REQUIRE(result.findings.size() == 1);
  report::ReportContext context;
  context.graph = g.get();
  context.rules = &rules;
  context.findings = result.findings;
  std::ostringstream out;
  report::write_report(context, "html", out);
  const std::string html = out.str();
  const std::string escaped = "N" + std::string(5 * 1024 * 1024, 'x') + "&lt;&amp;&gt;";
  // The message and the evidence list carry the whole name, escaped.
  CHECK(count(html, escaped) == 2);
  CHECK(html.find("<p class=\"message\" dir=\"ltr\">" + escaped + " signed &#39;MoU&#39;") !=
        std::string::npos);
  // The drawing is there, with the name cut short.
  const auto svg_start = html.find("<svg");
  const auto svg_end = html.find("</svg>");
  REQUIRE(svg_start != std::string::npos);
  REQUIRE(svg_end != std::string::npos);
  const std::string svg = html.substr(svg_start, svg_end - svg_start);
  CHECK(svg.find("N" + std::string(78, 'x') + "…") != std::string::npos);
  CHECK(svg.find("N" + std::string(79, 'x')) == std::string::npos);
  CHECK(html.size() < 2 * escaped.size() + 100000);
}
