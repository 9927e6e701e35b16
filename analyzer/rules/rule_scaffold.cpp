// `twinscan rules new`: the files of a new rule, each already in the shape `rules test`
// checks, so that an author edits placeholders instead of starting from a blank page.
// The placeholders are written as instructions ("Replace with …"), never as markers to
// grep for, and the fixtures run: the scaffold fails `rules test` only because its
// golden output is still empty, which `rules test --update` fills after review.
#include "analyzer/rules/rule_scaffold.h"

#include <algorithm>
#include <filesystem>
#include <regex>
#include <stdexcept>

#include <rapidjson/document.h>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/rules/rule_doc.h"
#include "analyzer/rules/rule_reader.h"
#include "analyzer/rules/rule_tester.h"
#include "analyzer/util/atomic_file.h"
#include "analyzer/util/embedded_text.h"

namespace twinscan::rules {
namespace {

// The rule file, with @ID@, @CATEGORY@ and @SEVERITY@ standing for what was asked.
const char* const kRuleTemplate = R"json({
  "format": "twinscan-rule/1",
  "id": "@ID@",
  "title": "Replace with one line saying what a finding means, as a reviewer reads it",
  "category": "@CATEGORY@",
  "severity": "@SEVERITY@",
  "precision": "medium",
  "rationale": "Replace with why this matters: the risk, the documented case or law it comes from, and what the rule leaves out on purpose so that its findings stay true.",
  "remediation": "Replace with what a reviewer should check or ask for when the rule finds something.",
  "references": [
    "Replace with the source of the rule: a section of domain.md, a law, a report or a documented case"
  ],
  "match": [
    "MATCH (m:Municipality)",
    "WHERE m.name = 'Flagged example'"
  ],
  "message": "{m.name}: replace with what was found, naming the entities a reviewer must look at",
  "tests": [
    {"registry": "bad.json", "expect": [
      {"m": "mun:flagged"}
    ]},
    {"registry": "good.json", "expect": []}
  ]
}
)json";

std::string rule_json(const ScaffoldRequest& request) {
  std::string text = kRuleTemplate;
  for (const auto& [key, value] : {std::pair<std::string, const std::string*>{"@ID@", &request.id},
                                   {"@CATEGORY@", &request.category},
                                   {"@SEVERITY@", &request.severity}}) {
    text.replace(text.find(key), key.size(), *value);
  }
  return text;
}

const char* const kBadFixture =
    R"(// The smallest registry in which the rule must find each finding that rule.json's
// "tests" list for bad.json (by the entity ids its match binds). Replace the example
// with the case the rule is about, then review the findings and write them to bad.out
// with: twinscan rules test --update RULE-ID
{
  "format": "twinscan/1",
  "source": {"name": "fixture: replace with the case the rule must find"},
  "entities": [
    {"id": "mun:flagged", "kind": "Municipality", "name": "Flagged example", "country": "IL"}
  ],
  "relations": []
}
)";

const char* const kGoodFixture =
    R"(// Near misses: cases that look like what the rule finds but must not be reported
// (the rule must find nothing here). Replace the example with the cases that keep
// the rule's findings true.
{
  "format": "twinscan/1",
  "source": {"name": "fixture: replace with near misses the rule must not report"},
  "entities": [
    {"id": "mun:clean", "kind": "Municipality", "name": "Clean example", "country": "IL"}
  ],
  "relations": []
}
)";

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string listed(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

}  // namespace

std::vector<std::string> rule_schema_values(std::string_view property) {
  rapidjson::Document schema;
  const std::string_view text = util::rule_schema_text();
  schema.Parse(text.data(), text.size());
  std::vector<std::string> values;
  if (schema.HasParseError() || !schema.HasMember("properties")) return values;
  const auto& properties = schema["properties"];
  const auto it = properties.FindMember(
      rapidjson::Value(property.data(), static_cast<rapidjson::SizeType>(property.size())));
  if (it == properties.MemberEnd() || !it->value.HasMember("enum")) return values;
  for (const auto& v : it->value["enum"].GetArray()) {
    if (v.IsString()) values.emplace_back(v.GetString(), v.GetStringLength());
  }
  return values;
}

ScaffoldStatus scaffold_rule(const ScaffoldRequest& request, std::vector<std::string>& written,
                             std::string& error) {
  namespace fs = std::filesystem;
  // The rule schema's id pattern, said here too so that a bad id is refused by name
  // before any file is written.
  static const std::regex kIdPattern("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  if (!std::regex_match(request.id, kIdPattern)) {
    error = "rule id '" + request.id +
            "' is not lower-case words joined by hyphens (such as port-lease-to-foreign-state)";
    return ScaffoldStatus::kInvalid;
  }
  const auto categories = rule_schema_values("category");
  if (!contains(categories, request.category)) {
    error = "category '" + request.category + "' is not one of " + listed(categories);
    return ScaffoldStatus::kInvalid;
  }
  const auto severities = rule_schema_values("severity");
  if (!contains(severities, request.severity)) {
    error = "severity '" + request.severity + "' is not one of " + listed(severities);
    return ScaffoldStatus::kInvalid;
  }
  const fs::path folder = fs::path(request.rules_dir) / request.id;
  const fs::path doc = fs::path(request.docs_dir) / (request.id + ".md");
  std::error_code ec;
  for (const auto& path : {folder, doc}) {
    if (fs::exists(path, ec)) {
      error = path.string() + " exists already";
      return ScaffoldStatus::kCannotWrite;
    }
  }
  fs::create_directories(folder, ec);
  if (!ec) fs::create_directories(request.docs_dir, ec);
  if (ec) {
    error = "cannot create " + (fs::exists(folder) ? request.docs_dir : folder.string()) + ": " +
            ec.message();
    return ScaffoldStatus::kCannotWrite;
  }
  const auto write = [&](const fs::path& path, std::string_view text) {
    if (!util::write_file_atomically(path.string(), text, error)) {
      error = path.string() + ": " + error;
      return false;
    }
    written.push_back(path.string());
    return true;
  };
  if (!write(folder / "rule.json", rule_json(request)) ||
      !write(folder / "bad.json", kBadFixture) || !write(folder / "good.json", kGoodFixture)) {
    return ScaffoldStatus::kCannotWrite;
  }
  // Read back as `rules test` will, so that the golden header and the doc page are the
  // ones it expects.
  diag::Diagnostics diagnostics;
  bool missing = false;
  const auto loaded = load_rules({(folder / "rule.json").string()}, diagnostics, missing);
  if (loaded.size() != 1 || diagnostics.has_errors()) {
    // The template is ours: a rule file it makes that does not read back is a bug.
    throw std::logic_error("the new rule file does not read back: " +
                           (folder / "rule.json").string());
  }
  const Rule& rule = loaded.front();
  if (!write(folder / "bad.out", golden_header(rule, rule.tests.front())) ||
      !write(doc, rule_doc_markdown(rule))) {
    return ScaffoldStatus::kCannotWrite;
  }
  return ScaffoldStatus::kWritten;
}

}  // namespace twinscan::rules
