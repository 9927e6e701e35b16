#include "analyzer/rules/rule_reader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/io/document_kind.h"
#include "analyzer/io/json_tree.h"
#include "analyzer/query/query_engine.h"
#include "analyzer/util/embedded_text.h"
#include "analyzer/util/output_target.h"

namespace twinscan::rules {
namespace {

using io::JsonTree;
using Node = JsonTree::Node;

const rapidjson::SchemaDocument& rule_schema() {
  static const rapidjson::SchemaDocument kSchema = [] {
    rapidjson::Document d;
    const std::string_view text = util::rule_schema_text();
    d.Parse(text.data(), text.size());
    return rapidjson::SchemaDocument(d);
  }();
  return kSchema;
}

// Follows a JSON pointer ("/tests/0/expect") through the tree to the node it names.
Node resolve_pointer(const JsonTree& tree, const std::string& pointer) {
  Node node = tree.root();
  std::size_t pos = 1;
  while (pos <= pointer.size() && pos > 0 && pointer.size() > 1) {
    const std::size_t next = pointer.find('/', pos);
    std::string token =
        pointer.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    for (std::size_t i; (i = token.find("~1")) != std::string::npos;) token.replace(i, 2, "/");
    for (std::size_t i; (i = token.find("~0")) != std::string::npos;) token.replace(i, 2, "~");
    Node child{};
    if (node.value->IsObject()) {
      if (!tree.find_member(node, token, child)) return node;
    } else if (node.value->IsArray()) {
      std::size_t index = std::strtoul(token.c_str(), nullptr, 10), i = 0;
      tree.for_each_element(node, [&](Node e) {
        if (i++ == index) child = e;
      });
      if (!child.value) return node;
    } else {
      return node;
    }
    node = child;
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return node;
}

// Words for a schema violation: RapidJSON 1.1 names only the keyword and the schema
// location, so the missing or unknown keys are worked out here from both.
std::string describe_schema_error(const std::string& keyword, const std::string& schema_pointer,
                                  const rapidjson::Value& instance) {
  static const rapidjson::Document kSchemaJson = [] {
    rapidjson::Document d;
    const std::string_view text = util::rule_schema_text();
    d.Parse(text.data(), text.size());
    return d;
  }();
  std::string path = schema_pointer;
  if (!path.empty() && path[0] == '#') path.erase(0, 1);
  const rapidjson::Value* schema =
      path.empty() ? &kSchemaJson : rapidjson::Pointer(path.c_str()).Get(kSchemaJson);
  if (keyword == "required" && schema && schema->HasMember("required") && instance.IsObject()) {
    std::string names;
    for (const auto& name : (*schema)["required"].GetArray()) {
      if (!instance.HasMember(name))
        names += (names.empty() ? "\"" : ", \"") + std::string(name.GetString()) + "\"";
    }
    return "missing " + names;
  }
  if (keyword == "additionalProperties" && schema && schema->HasMember("properties") &&
      instance.IsObject()) {
    for (auto it = instance.MemberBegin(); it != instance.MemberEnd(); ++it) {
      if (!(*schema)["properties"].HasMember(it->name)) {
        return std::string("unknown key \"") + it->name.GetString() + "\"";
      }
    }
  }
  if (keyword == "enum" && schema && schema->HasMember("enum")) {
    std::string values;
    for (const auto& e : (*schema)["enum"].GetArray()) {
      values += (values.empty() ? "" : ", ") + std::string(e.GetString());
    }
    return "expected one of: " + values;
  }
  if (keyword == "type" && schema && schema->HasMember("type")) {
    const auto& t = (*schema)["type"];
    return std::string("expected ") + (t.IsString() ? t.GetString() : "another type");
  }
  if (keyword == "oneOf") return "expected a string or a list of strings";
  if (keyword == "pattern") return "an id is lower-case words joined by '-', like secrecy-clause";
  if (keyword == "minItems") return "too few items";
  if (keyword == "minLength") return "must not be empty";
  return "does not satisfy the rule schema (" + keyword + ")";
}

std::string as_string(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

std::string json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return buffer.GetString();
}

}  // namespace

std::optional<Rule> read_rule(const diag::SourceText& source, diag::Diagnostics& diagnostics) {
  JsonTree tree;
  std::string error;
  std::size_t offset = 0;
  if (!tree.parse(source.text(), error, offset)) {
    diagnostics.error(source.location(offset), error);
    return std::nullopt;
  }
  const Node root = tree.root();
  rapidjson::SchemaValidator validator(rule_schema());
  if (!root.value->Accept(validator)) {
    rapidjson::StringBuffer pointer;
    validator.GetInvalidDocumentPointer().StringifyUriFragment(pointer);
    std::string where = pointer.GetString();
    if (!where.empty() && where[0] == '#') where.erase(0, 1);
    const Node node = resolve_pointer(tree, where);
    rapidjson::StringBuffer schema_pointer;
    validator.GetInvalidSchemaPointer().StringifyUriFragment(schema_pointer);
    diagnostics.error(source.location(tree.offset(node)),
                      (where.empty() ? std::string("rule") : where) + ": " +
                          describe_schema_error(validator.GetInvalidSchemaKeyword(),
                                                schema_pointer.GetString(), *node.value));
    return std::nullopt;
  }
  const rapidjson::Value& v = *root.value;
  Rule rule;
  rule.file = source.name();
  rule.id = as_string(v["id"]);
  rule.title = as_string(v["title"]);
  rule.category = as_string(v["category"]);
  rule.severity = *parse_severity(as_string(v["severity"]));
  rule.precision = *parse_precision(as_string(v["precision"]));
  rule.rationale = as_string(v["rationale"]);
  for (const auto& r : v["references"].GetArray()) rule.references.push_back(as_string(r));
  if (v.HasMember("remediation")) rule.remediation = as_string(v["remediation"]);
  if (v.HasMember("requires")) {
    for (const auto& r : v["requires"].GetArray()) rule.requires_kinds.push_back(as_string(r));
  }
  if (v.HasMember("params")) {
    for (auto it = v["params"].MemberBegin(); it != v["params"].MemberEnd(); ++it) {
      RuleParam p;
      p.name = as_string(it->name);
      p.default_text = json_text(it->value["default"]);
      p.default_value = query::parse_parameter_value(p.default_text);
      p.description = as_string(it->value["description"]);
      rule.params.push_back(std::move(p));
    }
  }
  Node match;
  (void)tree.find_member(root, "match", match);  // required by the schema
  if (match.value->IsString()) {
    rule.match = as_string(*match.value);
    const auto loc = source.location(tree.offset(match) + 1);
    rule.match_line = loc.line;
    rule.match_column = loc.column;
  } else {
    bool first = true;
    tree.for_each_element(match, [&](Node line) {
      if (!first) rule.match += '\n';
      rule.match += as_string(*line.value);
      if (first) {
        const auto loc = source.location(tree.offset(line) + 1);
        rule.match_line = loc.line;
        rule.match_column = loc.column;
      }
      first = false;
    });
  }
  Node message;
  (void)tree.find_member(root, "message", message);
  rule.message = as_string(*message.value);
  const auto mloc = source.location(tree.offset(message) + 1);
  rule.message_line = mloc.line;
  rule.message_column = mloc.column;
  const auto folder = std::filesystem::path(source.name()).parent_path();
  for (const auto& t : v["tests"].GetArray()) {
    RuleTest test;
    test.registry = (folder / as_string(t["registry"])).string();
    if (t.HasMember("as_of")) test.as_of = as_string(t["as_of"]);
    if (t.HasMember("params")) {
      for (auto it = t["params"].MemberBegin(); it != t["params"].MemberEnd(); ++it) {
        test.params.emplace_back(as_string(it->name), json_text(it->value));
      }
    }
    for (const auto& e : t["expect"].GetArray()) {
      std::vector<std::pair<std::string, std::string>> bindings;
      for (auto it = e.MemberBegin(); it != e.MemberEnd(); ++it) {
        bindings.emplace_back(as_string(it->name), as_string(it->value));
      }
      std::sort(bindings.begin(), bindings.end());
      test.expect.push_back(std::move(bindings));
    }
    rule.tests.push_back(std::move(test));
  }
  return rule;
}

std::vector<Rule> load_rules(const std::vector<std::string>& paths, diag::Diagnostics& diagnostics,
                             bool& missing) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      diagnostics.error({path, 0, 0}, "no such rule file or folder");
      missing = true;
      continue;
    }
    if (!fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
      std::error_code entry_ec;
      if (entry.is_regular_file(entry_ec) && entry.path().extension() == ".json" &&
          io::sniff_document_kind(entry.path().string()) == io::DocumentKind::kRule) {
        files.push_back(entry.path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Rule> rules;
  for (const auto& file : files) {
    diag::SourceText source("", "");
    std::string error;
    if (diag::SourceText::read_file(file, source, error) != diag::SourceText::ReadStatus::kOk) {
      diagnostics.error({file, 1, 1}, "cannot read: " + error);
      continue;
    }
    util::protect_input(file);  // no output of this run may replace a rule it reads
    if (auto rule = read_rule(source, diagnostics)) rules.push_back(std::move(*rule));
  }
  std::sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < rules.size(); ++i) {
    if (rules[i].id == rules[i - 1].id) {
      diagnostics.error({rules[i].file, 0, 0}, "duplicate rule id '" + rules[i].id + "' (also in " +
                                                   rules[i - 1].file + ")");
    }
  }
  return rules;
}

std::string default_rules_dir() {
  if (const char* env = std::getenv("TWINSCAN_RULES"); env != nullptr && *env != '\0') return env;
  return std::string(TWINSCAN_DATA_DIR) + "/rules";
}

}  // namespace twinscan::rules
