#include "analyzer/rules/finding.h"

#include <algorithm>
#include <cstdio>

#include "analyzer/util/hash.h"

namespace twinscan::rules {

bool finding_order(const Finding& a, const Finding& b) {
  if (a.severity != b.severity) return a.severity > b.severity;
  // Findings of one rule (the commonest comparison) share the rule: no text to compare.
  if (a.rule != b.rule && a.rule->id != b.rule->id) return a.rule->id < b.rule->id;
  return a.bindings < b.bindings;
}

std::string fingerprint_of(const std::string& rule_id, std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  // FNV-1a: its values are in users' baselines and suppressions, so it must not change.
  util::Fnv1a64 h;
  auto feed = [&](std::string_view text) {
    h.add(text);
    h.add_byte('\n');
  };
  feed(rule_id);
  for (const auto& id : ids) feed(id);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h.value()));
  return buf;
}

}  // namespace twinscan::rules
