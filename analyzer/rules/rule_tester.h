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

struct TestOptions {
  std::string docs_dir;           ///< When not empty, docs_dir/<id>.md must be up to date.
  bool update = false;            ///< Write each bad fixture's golden output instead of comparing.
  query::ExecutionLimits limits;  ///< Each rule's budget on each fixture.
};

/// The first line of a fixture's golden output (`bad.out`), which a fixture without
/// findings renders alone: the rule, the fixture, its date and how to refresh it.
std::string golden_header(const Rule& rule, const RuleTest& test);

/// Runs every fixture of every rule: a bad fixture must produce exactly the expected
/// findings, and render exactly as its golden output (`bad.json` → `bad.out`: titles,
/// bindings, messages, evidence, fingerprints); a good fixture none. No finding may have
/// an empty message or evidence. Also checks that each rule has a bad and a good fixture
/// and the doc page. Writes a line per rule and one per mismatch (never stopping at the
/// first) to `out`.
RuleTestReport test_rules(const std::vector<Rule>& rules, const TestOptions& options,
                          std::ostream& out);

}  // namespace twinscan::rules
