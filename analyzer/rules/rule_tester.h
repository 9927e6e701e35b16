#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "analyzer/query/executor.h"
#include "analyzer/rules/rule.h"

namespace twinscan::rules {

struct RuleTestReport {
  std::size_t passed = 0;
  std::size_t failed = 0;
};

/// Runs every fixture of every rule: a bad fixture must produce exactly the expected
/// findings, a good one none. Also checks that each rule has a bad and a good fixture
/// and, when `docs_dir` is not empty, an up-to-date page docs_dir/<id>.md. Writes a line
/// per rule and one per mismatch (never stopping at the first) to `out`. `limits` is each
/// rule's budget on each fixture.
RuleTestReport test_rules(const std::vector<Rule>& rules, const std::string& docs_dir,
                          std::ostream& out, const query::ExecutionLimits& limits = {});

}  // namespace twinscan::rules
