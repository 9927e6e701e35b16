#include "analyzer/rules/rule_doc.h"

#include <algorithm>
#include <cctype>

#include "analyzer/rules/shared_params.h"

namespace twinscan::rules {
namespace {

// Whether the match or the message reads $name (not a longer name that starts with it).
bool reads_parameter(const Rule& rule, const std::string& name) {
  for (const std::string* text : {&rule.match, &rule.message}) {
    const std::string needle = "$" + name;
    for (auto at = text->find(needle); at != std::string::npos; at = text->find(needle, at + 1)) {
      const std::size_t end = at + needle.size();
      if (end == text->size() ||
          !(std::isalnum(static_cast<unsigned char>((*text)[end])) || (*text)[end] == '_'))
        return true;
    }
  }
  return false;
}

}  // namespace

std::string rule_doc_markdown(const Rule& rule) {
  std::string md;
  md += "# " + rule.id + "\n\n";
  md += "**" + rule.title + "**\n\n";
  md += "| category | severity | precision |\n|---|---|---|\n";
  md += "| " + rule.category + " | " + std::string(to_string(rule.severity)) + " | " +
        std::string(to_string(rule.precision)) + " |\n\n";
  md +=
      "Severity says how bad a finding is if true; precision, how likely a finding is to be "
      "true.\n\n";
  md += "## Why it matters\n\n" + rule.rationale + "\n\n";
  if (!rule.remediation.empty()) md += "## What to check\n\n" + rule.remediation + "\n\n";
  // The rule's own parameters, then the catalogue's shared ones that it reads.
  std::vector<std::pair<RuleParam, bool>> shown;
  for (const auto& p : rule.params) shown.emplace_back(p, false);
  for (const auto& p : shared_params()) {
    const bool own = std::any_of(rule.params.begin(), rule.params.end(),
                                 [&](const RuleParam& q) { return q.name == p.name; });
    if (!own && reads_parameter(rule, p.name)) shown.emplace_back(p, true);
  }
  if (!shown.empty()) {
    md += "## Parameters\n\n| name | default | meaning |\n|---|---|---|\n";
    for (const auto& [p, shared] : shown) {
      md += "| `" + p.name + "` | `" + p.default_text + "` | " + p.description +
            (shared ? " (shared by every rule)" : "") + " |\n";
    }
    md += "\nOverride with `--param " + shown[0].first.name +
          "=VALUE` (every rule with that "
          "parameter) or `--param " +
          rule.id + "." + shown[0].first.name + "=VALUE`.\n\n";
  }
  if (!rule.requires_kinds.empty()) {
    md += "## Data it needs\n\nThe rule judges only registries that hold ";
    for (std::size_t i = 0; i < rule.requires_kinds.size(); ++i) {
      md += (i ? ", " : "") + std::string("`") + rule.requires_kinds[i] + "`";
    }
    md += " records; without them it reports once that it could not judge.\n\n";
  }
  md += "## Match\n\n```cypher\n" + rule.match + "\n```\n\n";
  md += "## Message\n\n```\n" + rule.message + "\n```\n\n";
  md += "## Fixtures\n\n";
  for (const auto& t : rule.tests) {
    const auto slash = t.registry.find_last_of('/');
    const std::string name = slash == std::string::npos ? t.registry : t.registry.substr(slash + 1);
    md += "- `" + name + "`: " +
          (t.expect.empty()
               ? std::string("no finding")
               : std::to_string(t.expect.size()) + " finding" + (t.expect.size() == 1 ? "" : "s")) +
          (t.as_of.empty() ? "" : " (as of " + t.as_of + ")");
    for (const auto& [param, value] : t.params) md += ", with `" + param + "` = `" + value + "`";
    md += "\n";
  }
  md += "\n## References\n\n";
  for (const auto& r : rule.references) md += "- " + r + "\n";
  return md;
}

}  // namespace twinscan::rules
