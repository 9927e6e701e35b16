#include "analyzer/rules/rule_tester.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/query/query_engine.h"
#include "analyzer/rules/home_country.h"
#include "analyzer/rules/rule_doc.h"
#include "analyzer/rules/scanner.h"
#include "analyzer/rules/shared_params.h"
#include "analyzer/util/atomic_file.h"

namespace twinscan::rules {
namespace {

using Bindings = std::vector<std::pair<std::string, std::string>>;

/// The date a fixture is judged on when its test gives none.
constexpr const char* kDefaultFixtureDate = "2025-01-01";

// Expected bindings (string pairs) and a finding's (FindingBindings) alike.
std::string describe(const auto& bindings) {
  std::string out = "{";
  for (const auto& [name, id] : bindings) {
    if (out.size() > 1) out += ", ";
    out.append(name).append(": ").append(id);
  }
  return out + "}";
}

// An expectation matches a finding when every binding it names is in the finding, and
// a "cannot judge" finding only an expectation that says cannot_judge.
bool matches(const Bindings& expected, const Finding& f) {
  const bool expects_cannot_judge =
      std::any_of(expected.begin(), expected.end(),
                  [](const auto& binding) { return binding.first == "cannot_judge"; });
  if (f.cannot_judge != expects_cannot_judge) return false;
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

// The golden file of a fixture: its findings as users read them, beside the fixture
// ("bad.json" → "bad.out"), like a compiler test's expected output. A registry that a
// later test runs again (with other parameters, say) gets the test's number too
// ("bad.3.out" for the third test).
std::string golden_path(const Rule& rule, const RuleTest& test) {
  const auto index = static_cast<std::size_t>(&test - rule.tests.data());
  bool first = true;
  for (std::size_t i = 0; i < index; ++i) first = first && rule.tests[i].registry != test.registry;
  std::filesystem::path p(test.registry);
  p.replace_extension(first ? ".out" : "." + std::to_string(index + 1) + ".out");
  return p.string();
}

std::string join_ids(const model::Graph& graph, const std::vector<model::VertexId>& vs) {
  std::vector<std::string> ids;
  for (auto v : vs) ids.emplace_back(graph.id(v));
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

std::string join_relations(const model::Graph& graph, const std::vector<model::RelationId>& rs) {
  std::vector<std::string> ids;
  for (auto r : rs) ids.emplace_back(graph.relation_id(r));
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

// Every finding in full: what a reviewer reads (title, message) and what tools key on
// (bindings, evidence, fingerprint), so that a change to any of them shows in a diff.
std::string render_findings(const Rule& rule, const RuleTest& test, const model::Graph& graph,
                            const FindingList& findings) {
  std::string out = golden_header(rule, test);
  for (const auto& f : findings) {
    out += "\n[" + std::string(to_string(f.severity)) + "] " + std::string(f.category) + ": " +
           std::string(f.title) + "\n";
    out += "  bindings: " + describe(f.bindings) + "\n";
    out += "  message: " + f.message + "\n";
    out += "  entities: " + join_ids(graph, f.entities) + "\n";
    out += "  relations: " + join_relations(graph, f.relations) + "\n";
    out += "  fingerprint: " + f.fingerprint + "\n";
  }
  return out;
}

// The first line where two texts differ, shown as expected and actual.
std::string first_difference(const std::string& expected, const std::string& actual) {
  std::istringstream e(expected), a(actual);
  std::string el, al;
  for (std::size_t line = 1;; ++line) {
    const bool more_e = static_cast<bool>(std::getline(e, el));
    const bool more_a = static_cast<bool>(std::getline(a, al));
    if (!more_e && !more_a) return {};
    if (!more_e) el = "(end of file)";
    if (!more_a) al = "(end of output)";
    if (el != al || !more_e || !more_a) {
      return "line " + std::to_string(line) + ":\n      expected: " + el +
             "\n      actual:   " + al;
    }
  }
}

// Runs one fixture; appends a line per mismatch to `problems`.
void run_fixture(const Rule& rule, const RuleTest& test, const TestOptions& test_options,
                 std::vector<std::string>& problems) {
  const std::string where = "  " + test.registry + ": ";
  diag::Diagnostics diagnostics;
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
  const std::string as_of = test.as_of.empty() ? kDefaultFixtureDate : test.as_of;
  options.as_of = *model::parse_date(as_of);
  options.limits = test_options.limits;
  for (const auto& [name, value] : test.params) {
    options.params[rule.id + "." + name] = query::parse_parameter_value(value);
  }
  // The home country as a scan would find it: a fixture names its municipalities'
  // country, or sets home_country among its params.
  const std::string home_key(kHomeCountryParam);
  std::string given;
  if (auto it = options.params.find(rule.id + "." + home_key);
      it != options.params.end() && it->second.type == query::Type::kString) {
    given = std::string(it->second.text);
  }
  const HomeCountry home = resolve_home_country(*graph, given);
  options.params[home_key] =
      home.code.empty() ? query::Value::null() : query::Value::of_string(home.code);
  const std::vector<Rule> one{rule};
  diag::Diagnostics scan_diagnostics;
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
  // A finding must say what it found and show it: an empty one reads as nothing found.
  for (const auto& f : result.findings) {
    if (f.cannot_judge || f.incomplete) continue;
    if (f.message.empty() || f.entities.empty())
      problems.push_back(where + "finding " + describe(f.bindings) +
                         " has an empty message or no evidence");
  }
  if (test.expect.empty()) return;
  const std::string rendered = render_findings(rule, test, *graph, result.findings);
  const std::string path = golden_path(rule, test);
  if (test_options.update) {
    std::string error;
    if (!util::write_file_atomically(path, rendered, error))
      problems.push_back(where + "cannot write " + path + ": " + error);
    return;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back(where + "no golden output " + path +
                       " (review the findings, then run: twinscan rules test --update " + rule.id +
                       ")");
    return;
  }
  std::stringstream golden;
  golden << in.rdbuf();
  if (golden.str() != rendered) {
    problems.push_back(where + "the rendered findings differ from " + path + ", " +
                       first_difference(golden.str(), rendered) +
                       "\n    (if the change is intended: twinscan rules test --update " + rule.id +
                       ")");
  }
}

}  // namespace

std::string golden_header(const Rule& rule, const RuleTest& test) {
  return "# Findings of " + rule.id + " on " +
         std::filesystem::path(test.registry).filename().string() + " as of " +
         (test.as_of.empty() ? std::string(kDefaultFixtureDate) : test.as_of) +
         " (refresh after a reviewed change: twinscan rules test --update " + rule.id + ")\n";
}

RuleTestReport test_rules(const std::vector<Rule>& rules, const TestOptions& test_options,
                          std::ostream& out) {
  const std::string& docs_dir = test_options.docs_dir;
  RuleTestReport report;
  for (const auto& rule : rules) {
    std::vector<std::string> problems;
    bool has_bad = false, has_good = false;
    for (const auto& test : rule.tests) {
      (test.expect.empty() ? has_good : has_bad) = true;
      run_fixture(rule, test, test_options, problems);
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
      out << (test_options.update ? "UPDATED " : "PASS ") << rule.id << " (" << rule.tests.size()
          << " fixtures)\n";
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
