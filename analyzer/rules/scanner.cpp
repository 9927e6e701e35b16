#include "analyzer/rules/scanner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include <spdlog/spdlog.h>

#include "analyzer/rules/home_country.h"
#include "analyzer/rules/rule_runner.h"
#include "analyzer/rules/screen_anchoring.h"
#include "analyzer/rules/shared_params.h"
#include "analyzer/util/parallel_for.h"

namespace twinscan::rules {
namespace {

/// Runs `work(rule, diagnostics, ok)` for every rule on `options.jobs` threads;
/// diagnostics and results come back in rule order, so the output does not depend on
/// the threads. A fault in one rule is carried to the caller, which reports it as an
/// internal error.
ScanResult run_rules(
    const std::vector<Rule>& rules, const ScanOptions& options, diag::Diagnostics& diagnostics,
    const std::function<std::vector<Finding>(const Rule&, diag::Diagnostics&, bool&)>& work) {
  std::vector<std::vector<Finding>> per_rule(rules.size());
  std::vector<diag::Diagnostics> per_rule_diagnostics(rules.size());
  std::vector<char> ok(rules.size(), 1);
  std::vector<double> seconds(rules.size(), 0);
  util::parallel_for(
      rules.size(), options.jobs,
      [&](std::size_t i) {
        const auto start = std::chrono::steady_clock::now();
        bool rule_ok = true;
        // Timed and judged whether or not the rule throws.
        struct Done {
          std::chrono::steady_clock::time_point start;
          bool& rule_ok;
          char& ok;
          double& seconds;
          ~Done() {
            ok = rule_ok;
            seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          }
        } done{start, rule_ok, ok[i], seconds[i]};
        per_rule[i] = work(rules[i], per_rule_diagnostics[i], rule_ok);
      },
      options.progress);
  ScanResult result;
  std::size_t total = 0;
  for (const auto& found : per_rule) total += found.size();
  result.findings.reserve(total);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    spdlog::debug("rule {}: {} finding(s) in {:.1f} ms", rules[i].id, per_rule[i].size(),
                  seconds[i] * 1e3);
    for (const auto& d : per_rule_diagnostics[i].all()) diagnostics.report(d);
    if (!ok[i]) result.ok = false;
    for (auto& f : per_rule[i]) result.findings.push_back(std::move(f));
  }
  sort_findings(result.findings);
  return result;
}

template <typename F>
std::vector<Finding> guarded(const Rule& rule, diag::Diagnostics& diagnostics, bool& ok, F&& f) {
  try {
    return f();
  } catch (const query::LimitExceeded& e) {
    diagnostics.error({rule.file, 0, 0}, "rule " + rule.id + " stopped: " + e.what());
  } catch (const query::EvaluationError& e) {
    diagnostics.error({rule.file, 0, 0}, "rule " + rule.id + " failed: " + e.what());
  }
  ok = false;
  return {};
}

// The options with the home country set: a caller that gave none (no --home-country,
// no home_country parameter) gets the registry's own, as the command line would.
ScanOptions with_home_country(const model::Graph& graph, const ScanOptions& given) {
  ScanOptions out = given;
  const std::string key(kHomeCountryParam);
  if (out.params.find(key) == out.params.end()) {
    const HomeCountry home = resolve_home_country(graph, {});
    out.params[key] = home.code.empty() ? query::Value::null() : query::Value::of_string(home.code);
  }
  return out;
}

}  // namespace

ScanResult scan(const model::Graph& graph, const std::vector<Rule>& rules,
                const ScanOptions& given_options, diag::Diagnostics& diagnostics) {
  const ScanOptions options = with_home_country(graph, given_options);
  // Rules started and finished: once every rule has started, a rule that builds its
  // findings may use the threads that the finished rules left idle.
  std::atomic<std::size_t> started{0};
  std::atomic<std::size_t> finished{0};
  auto idle_threads = [&]() -> unsigned {
    const std::size_t running = started.load() - finished.load();
    const unsigned jobs = std::max(1U, options.jobs);
    if (started.load() < rules.size() || running >= jobs) return 1;
    return static_cast<unsigned>(jobs - running + 1);
  };
  return run_rules(rules, options, diagnostics,
                   [&](const Rule& rule, diag::Diagnostics& d, bool& ok) {
                     started.fetch_add(1);
                     struct Finished {
                       std::atomic<std::size_t>& n;
                       ~Finished() { n.fetch_add(1); }
                     } done{finished};
                     return guarded(rule, d, ok, [&]() -> std::vector<Finding> {
                       RuleRunner runner(graph, rule, options, d);
                       if (!runner.compile()) {
                         ok = false;
                         return {};
                       }
                       if (!runner.main().cannot_judge.empty())
                         return {runner.cannot_judge_finding()};
                       runner.search([&] { runner.collect(runner.main(), {}); });
                       return runner.findings(idle_threads());
                     });
                   });
}

std::vector<Finding> touching_document(const model::Graph& graph, std::vector<Finding> findings,
                                       std::uint32_t request) {
  std::vector<Finding> out;
  for (auto& f : findings) {
    const bool touches =
        std::any_of(f.entities.begin(), f.entities.end(),
                    [&](model::VertexId v) { return graph.source(v).document == request; }) ||
        std::any_of(f.relations.begin(), f.relations.end(), [&](model::RelationId r) {
          return graph.relation_source_ref(r).document == request;
        });
    // A rule that stopped early may have missed findings about the request too.
    if (touches || f.incomplete) out.push_back(std::move(f));
  }
  return out;
}

ScanResult screen(const model::Graph& graph, const std::vector<Rule>& rules, std::uint32_t request,
                  const ScanOptions& given_options, diag::Diagnostics& diagnostics) {
  const ScanOptions options = with_home_country(graph, given_options);
  const RequestElements elements = request_elements(graph, request);
  return run_rules(
      rules, options, diagnostics, [&](const Rule& rule, diag::Diagnostics& d, bool& ok) {
        return guarded(rule, d, ok, [&]() -> std::vector<Finding> {
          RuleRunner runner(graph, rule, options, d);
          if (!runner.compile()) {
            ok = false;
            return {};
          }
          // A rule that cannot judge the registry cannot judge the request
          // either; its note belongs to the batch scan, not to the verdict.
          if (!runner.main().cannot_judge.empty()) return {};
          bool compiled_all = true;
          runner.search([&] { compiled_all = collect_anchored(runner, graph, elements); });
          if (!compiled_all) {
            ok = false;
            return {};
          }
          return touching_document(graph, runner.findings(), request);
        });
      });
}

}  // namespace twinscan::rules
