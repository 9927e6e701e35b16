#include "analyzer/engine/rule_parameters.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/diag/source_text.h"
#include "analyzer/io/json_tree.h"
#include "analyzer/query/query_engine.h"
#include "analyzer/rules/shared_params.h"
#include "analyzer/util/nearest_name.h"
#include "analyzer/util/output_target.h"

namespace twinscan::engine {
namespace {

// Whether `value` can stand where a parameter with default `d` is read.
bool fits(const query::Value& value, const query::Value& d) {
  switch (d.type) {
    case query::Type::kNull:
      return true;
    case query::Type::kInt:
    case query::Type::kFloat:
      return value.is_number();
    case query::Type::kList: {
      if (value.type != query::Type::kList) return false;
      if (d.list().empty()) return true;
      for (const auto& e : value.list()) {
        if (!fits(e, d.list().front())) return false;
      }
      return true;
    }
    default:
      return value.type == d.type;
  }
}

// What a value of the default's type is, for messages.
std::string kind_of(const query::Value& d) {
  switch (d.type) {
    case query::Type::kInt:
    case query::Type::kFloat:
      return "a number";
    case query::Type::kBool:
      return "true or false";
    case query::Type::kString:
      return "a string";
    case query::Type::kList:
      if (d.list().empty()) return "a list";
      return d.list().front().type == query::Type::kString ? "a list of strings"
             : d.list().front().is_number()                ? "a list of numbers"
                                                           : "a list";
    default:
      return std::string("a ") + std::string(query::type_name(d.type));
  }
}

}  // namespace

Outcome read_parameter_file(const std::string& path, std::vector<GivenParameter>& out,
                            diag::Diagnostics& diagnostics) {
  diag::SourceText source("", "");
  std::string error;
  const auto status = diag::SourceText::read_file(path, source, error);
  if (status == diag::SourceText::ReadStatus::kMissing) {
    diagnostics.error({path, 0, 0}, "no such file (given with --params)");
    return Outcome::kMissingInput;
  }
  if (status != diag::SourceText::ReadStatus::kOk) {
    diagnostics.error({path, 1, 1}, "cannot read: " + error);
    return Outcome::kBadInput;
  }
  util::protect_input(path);  // no output of this run may replace the parameters it reads
  io::JsonTree tree;
  std::size_t offset = 0;
  if (!tree.parse(source.text(), error, offset)) {
    diagnostics.error(source.location(offset), error);
    return Outcome::kBadInput;
  }
  if (!tree.root().value->IsObject()) {
    diagnostics.error({path, 1, 1}, "a parameter file is a JSON object {\"NAME\": value}");
    return Outcome::kBadInput;
  }
  bool ok = true;
  tree.for_each_member(tree.root(), [&](std::string_view key, io::JsonTree::Node value) {
    if (value.value->IsObject() || value.value->IsNull()) {
      diagnostics.error(
          source.location(tree.offset(value)),
          "parameter '" + std::string(key) + "' must be a number, string, bool or list");
      ok = false;
      return;
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.value->Accept(writer);
    GivenParameter given;
    given.key = std::string(key);
    given.text = buffer.GetString();
    given.value = query::parse_parameter_value(given.text);
    const diag::SourceLocation at = source.location(tree.key_offset(value));
    given.where = at.file + ':' + std::to_string(at.line) + ':' + std::to_string(at.column);
    out.push_back(std::move(given));
  });
  return ok ? Outcome::kOk : Outcome::kBadInput;
}

DeclaredParameters declared_parameters(const std::vector<rules::Rule>& rules) {
  DeclaredParameters out;
  for (const auto& rule : rules) {
    auto& params = out[rule.id];
    for (const auto& p : rules::declared_params(rule)) {
      // A null default says nothing of the type; a declared type stands in for it.
      query::Value typed = p.default_value;
      if (typed.type == query::Type::kNull && p.type == "string") typed = query::Value::of_view("");
      if (typed.type == query::Type::kNull && p.type == "number") typed = query::Value::of_int(0);
      if (typed.type == query::Type::kNull && p.type == "boolean")
        typed = query::Value::of_bool(false);
      params.push_back({p.name, typed, p.default_text});
    }
  }
  return out;
}

bool check_parameters(const std::vector<GivenParameter>& given, const DeclaredParameters& declared,
                      query::Parameters& out, diag::Diagnostics& diagnostics) {
  // Reports one problem with a given parameter, where it was given.
  auto report = [&](const GivenParameter& p, const std::string& message) {
    if (p.where.empty()) {
      diagnostics.error({}, "--param " + p.key + '=' + p.text + ": " + message);
    } else {
      diagnostics.error({p.where, 0, 0}, message);
    }
  };
  bool ok = true;
  for (const auto& p : given) {
    const auto dot = p.key.rfind('.');
    const std::string name = dot == std::string::npos ? p.key : p.key.substr(dot + 1);
    // The declarations the value must fit: the one rule's, or every rule's that has it.
    std::vector<std::pair<std::string, const DeclaredParameter*>> targets;
    std::vector<std::string> candidates;
    if (dot != std::string::npos) {
      const std::string rule_id = p.key.substr(0, dot);
      const auto rule = declared.find(rule_id);
      if (rule == declared.end()) {
        std::vector<std::string> ids;
        for (const auto& [id, params] : declared) ids.push_back(id);
        const std::string hint = util::did_you_mean(rule_id, ids);
        report(p, "no rule '" + rule_id + "' is loaded" +
                      (hint.empty() ? "; run 'twinscan rules list' for the rule ids" : hint));
        ok = false;
        continue;
      }
      for (const auto& d : rule->second) {
        candidates.push_back(d.name);
        if (d.name == name) targets.emplace_back(rule_id, &d);
      }
      if (targets.empty()) {
        const std::string hint = util::did_you_mean(name, candidates);
        report(p,
               "rule '" + rule_id + "' has no parameter '" + name + "'" +
                   (hint.empty() ? "; run 'twinscan rules show " + rule_id + "' for its parameters"
                                 : hint));
        ok = false;
        continue;
      }
    } else {
      for (const auto& [id, params] : declared) {
        for (const auto& d : params) {
          candidates.push_back(d.name);
          if (d.name == name) targets.emplace_back(id, &d);
        }
      }
      if (targets.empty()) {
        const std::string hint = util::did_you_mean(name, candidates);
        report(p, "no rule has a parameter '" + name + "'" +
                      (hint.empty() ? "; run 'twinscan rules show RULE-ID' for a rule's parameters"
                                    : hint));
        ok = false;
        continue;
      }
    }
    query::Value value = p.value;
    // A string parameter takes the text as written on the command line (a name such
    // as 2024 or true is still a name).
    if (p.where.empty() && value.type != query::Type::kString &&
        targets.front().second->default_value.type == query::Type::kString)
      value = query::Value::of_string(p.text);
    bool fitted = true;
    for (const auto& [rule_id, d] : targets) {
      if (fits(value, d->default_value)) continue;
      report(p, (dot == std::string::npos ? "" : "rule '" + rule_id + "': ") + "'" + name +
                    "' takes " + kind_of(d->default_value) + " (default: " + d->default_text +
                    "), not '" + p.text + "'");
      fitted = false;
      break;
    }
    if (!fitted) {
      ok = false;
      continue;
    }
    out[p.key] = std::move(value);
  }
  return ok;
}

}  // namespace twinscan::engine
