#include "analyzer/rules/rule_doc.h"

namespace twinscan::rules {

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
  if (!rule.params.empty()) {
    md += "## Parameters\n\n| name | default | meaning |\n|---|---|---|\n";
    for (const auto& p : rule.params) {
      md += "| `" + p.name + "` | `" + p.default_text + "` | " + p.description + " |\n";
    }
    md += "\nOverride with `--param " + rule.params[0].name +
          "=VALUE` (every rule with that "
          "parameter) or `--param " +
          rule.id + "." + rule.params[0].name + "=VALUE`.\n\n";
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
