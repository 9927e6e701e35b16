#include "analyzer/rules/rule_tester.h"

#include <fstream>
#include <ostream>
#include <sstream>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/query/query_engine.h"
#include "analyzer/rules/rule_doc.h"
#include "analyzer/rules/scanner.h"

namespace twinscan::rules {
namespace {

using Bindings = std::vector<std::pair<std::string, std::string>>;

std::string describe(const Bindings& b) {
  std::string out = "{";
  for (std::size_t i = 0; i < b.size(); ++i)
    out += (i ? ", " : "") + b[i].first + ": " + b[i].second;
  return out + "}";
}

// An expectation matches a finding when every binding it names is in the finding.
bool matches(const Bindings& expected, const Finding& f) {
  for (const auto& [name, id] : expected) {
    if (name == "cannot_judge") {
      if (!f.cannot_judge) return false;
      continue;
    }
    bool found = false;
    for (const auto& b : f.bindings) found = found || (b.first == name && b.second == id);
    if (!found) return false;
  }
  return true;
}

// Runs one fixture; appends a line per mismatch to `problems`.
void run_fixture(const Rule& rule, const RuleTest& test, const query::ExecutionLimits& limits,
                 std::vector<std::string>& problems) {
  const std::string where = "  " + test.registry + ": ";
  io::Diagnostics diagnostics;
  bool missing = false;
  auto schema = io::load_schema({}, diagnostics, missing);
  io::RegistryLoader loader(schema, diagnostics);
  loader.add_path(test.registry);
  auto graph = loader.finish();
  if (!graph) {
    std::ostringstream text;
    diagnostics.print(text, false);
    problems.push_back(where + "the fixture does not load:\n" + text.str());
    return;
  }
  ScanOptions options;
  options.limits = limits;
  options.as_of = *model::parse_date(test.as_of.empty() ? "2025-01-01" : test.as_of);
  for (const auto& [name, value] : test.params) {
    options.params[rule.id + "." + name] = query::parse_parameter_value(value);
  }
  const std::vector<Rule> one{rule};
  io::Diagnostics scan_diagnostics;
  ScanResult result = scan(*graph, one, options, scan_diagnostics);
  if (!result.ok) {
    std::ostringstream text;
    scan_diagnostics.print(text, false);
    problems.push_back(where + "the rule failed:\n" + text.str());
    return;
  }
  std::vector<bool> used(result.findings.size(), false);
  for (const auto& expected : test.expect) {
    bool found = false;
    for (std::size_t i = 0; i < result.findings.size() && !found; ++i) {
      if (!used[i] && matches(expected, result.findings[i])) used[i] = found = true;
    }
    if (!found)
      problems.push_back(where + "expected a finding " + describe(expected) + ", got none");
  }
  for (std::size_t i = 0; i < result.findings.size(); ++i) {
    if (!used[i]) {
      problems.push_back(where + "unexpected finding " + describe(result.findings[i].bindings) +
                         ": " + result.findings[i].message);
    }
  }
}

}  // namespace

RuleTestReport test_rules(const std::vector<Rule>& rules, const std::string& docs_dir,
                          std::ostream& out, const query::ExecutionLimits& limits) {
  RuleTestReport report;
  for (const auto& rule : rules) {
    std::vector<std::string> problems;
    bool has_bad = false, has_good = false;
    for (const auto& test : rule.tests) {
      (test.expect.empty() ? has_good : has_bad) = true;
      run_fixture(rule, test, limits, problems);
    }
    if (!has_bad) problems.push_back("  no bad fixture (a test that expects findings)");
    if (!has_good) problems.push_back("  no good fixture (a test that expects no finding)");
    if (!docs_dir.empty()) {
      const std::string path = docs_dir + "/" + rule.id + ".md";
      std::ifstream in(path);
      std::stringstream text;
      text << in.rdbuf();
      if (!in) {
        problems.push_back("  no doc page " + path + " (run: twinscan rules doc --output " +
                           docs_dir + ")");
      } else if (text.str() != rule_doc_markdown(rule)) {
        problems.push_back("  " + path + " is out of date (run: twinscan rules doc --output " +
                           docs_dir + ")");
      }
    }
    if (problems.empty()) {
      ++report.passed;
      out << "PASS " << rule.id << " (" << rule.tests.size() << " fixtures)\n";
    } else {
      ++report.failed;
      out << "FAIL " << rule.id << " (" << rule.file << ")\n";
      for (const auto& p : problems) out << p << '\n';
    }
  }
  out << report.passed << " passed, " << report.failed << " failed\n";
  return report;
}

}  // namespace twinscan::rules
