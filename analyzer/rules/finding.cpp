#include "analyzer/rules/finding.h"

#include <algorithm>
#include <cstdio>

namespace twinscan::rules {

bool finding_order(const Finding& a, const Finding& b) {
  if (a.severity != b.severity) return a.severity > b.severity;
  if (a.rule->id != b.rule->id) return a.rule->id < b.rule->id;
  return a.bindings < b.bindings;
}

std::string fingerprint_of(const std::string& rule_id, std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto feed = [&](std::string_view text) {
    for (char c : text) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ULL;
    }
    h ^= '\n';
    h *= 0x100000001b3ULL;
  };
  feed(rule_id);
  for (const auto& id : ids) feed(id);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace twinscan::rules
