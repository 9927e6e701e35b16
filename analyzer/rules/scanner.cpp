#include "analyzer/rules/scanner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>

#include "analyzer/rules/home_country.h"
#include "analyzer/rules/rule_runner.h"
#include "analyzer/rules/screen_anchoring.h"
#include "analyzer/rules/shared_params.h"
#include "analyzer/rules/work_board.h"

namespace twinscan::rules {
namespace {

using RuleWork =
    std::function<std::vector<Finding>(const Rule&, diag::Diagnostics&, bool&, WorkBoard*)>;

/// Runs `work(rule, diagnostics, ok, board)` for every rule on `options.jobs` threads;
/// diagnostics and results come back in rule order, so the output does not depend on
/// the threads. A thread that finds no rule left to start helps the rules still
/// running with the chunks of work they offer on the board (none on one thread). A
/// fault in one rule is carried to the caller, which reports it as an internal error
/// (the fault of the lowest rule, whatever the number of threads). Work that offers
/// chunks on the board (`offers_chunks`) gets every job's thread even with fewer rules;
/// other work gets a thread per rule at most.
ScanResult run_rules(const std::vector<Rule>& rules, const ScanOptions& options,
                     diag::Diagnostics& diagnostics, const RuleWork& work, bool offers_chunks) {
  std::vector<std::vector<Finding>> per_rule(rules.size());
  std::vector<diag::Diagnostics> per_rule_diagnostics(rules.size());
  std::vector<char> ok(rules.size(), 1);
  std::vector<double> seconds(rules.size(), 0);
  std::vector<std::exception_ptr> faults(rules.size());
  // With work that offers chunks, as many threads as jobs even for fewer rules: a thread
  // with no rule to start helps the rules still running.
  const std::size_t jobs = std::max(1U, options.jobs);
  const auto threads = static_cast<unsigned>(
      offers_chunks ? jobs : std::max<std::size_t>(1, std::min(jobs, rules.size())));
  WorkBoard board;
  WorkBoard* shared = threads > 1 ? &board : nullptr;
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  auto run_one = [&](std::size_t i) {
    const auto start = std::chrono::steady_clock::now();
    bool rule_ok = true;
    try {
      per_rule[i] = work(rules[i], per_rule_diagnostics[i], rule_ok, shared);
      // Sorted here, on the rule's thread; the runs are only interleaved at the end.
      sort_findings(per_rule[i], shared);
    } catch (...) {
      faults[i] = std::current_exception();
    }
    ok[i] = rule_ok;
    seconds[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    done.fetch_add(1);
    board.wake();
  };
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < rules.size();) run_one(i);
    if (shared) board.help([&] { return done.load() == rules.size(); });
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads);
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(worker);
  if (options.progress && threads > 1) {
    // The calling thread reports progress while the others work.
    helpers.emplace_back(worker);
    while (done.load() < rules.size()) {
      options.progress(done.load(), rules.size());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    options.progress(rules.size(), rules.size());  // the last word, which ends the line
  } else if (options.progress) {
    for (std::size_t i; (i = next.fetch_add(1)) < rules.size();) {
      run_one(i);
      options.progress(done.load(), rules.size());
    }
  } else {
    worker();
  }
  for (auto& h : helpers) h.join();
  if (options.reaches) {
    const query::ReachCache::Usage kept = options.reaches->usage();
    spdlog::debug("reaches kept for the rules: {} of {} kind(s), {} entities, {:.1f} MB",
                  kept.reaches, kept.keys, kept.entities,
                  static_cast<double>(kept.bytes) / (1 << 20));
    // Given back before the findings are joined and reported, which take memory of their own.
    options.reaches->release();
  }
  if (options.chain_shares) {
    const query::ChainShareCache::Usage kept = options.chain_shares->usage();
    spdlog::debug(
        "ownership chains kept for the rules: {} firm(s), {} share(s), {:.1f} MB, {} holding(s) "
        "followed",
        kept.firms, kept.shares, static_cast<double>(kept.bytes) / (1 << 20), kept.walked);
    options.chain_shares->release();
  }
  for (const auto& fault : faults) {
    if (fault) std::rethrow_exception(fault);
  }
  ScanResult result;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    spdlog::debug("rule {}: {} finding(s) in {:.1f} ms", rules[i].id, per_rule[i].size(),
                  seconds[i] * 1e3);
    for (const auto& d : per_rule_diagnostics[i].all()) diagnostics.report(d);
    if (!ok[i]) result.ok = false;
  }
  const auto join_started = std::chrono::steady_clock::now();
  result.findings = join_sorted_findings(per_rule);
  spdlog::debug(
      "{} finding(s) joined in {:.1f} ms", result.findings.size(),
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - join_started)
          .count());
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
// Whether some node of the rule's pattern may be an entity of the request (a node of any
// kind, or of a kind the request adds).
bool looks_at_any(const query::CompiledQuery& query, const model::Graph& graph,
                  const RequestElements& elements) {
  model::KindMask request_kinds = 0;
  for (const auto v : elements.entities) request_kinds |= model::KindMask{1} << graph.kind(v);
  return std::any_of(query.variables.begin(), query.variables.end(), [&](const auto& var) {
    return var.kind == query::VariableKind::kNode &&
           (var.kinds == 0 || (var.kinds & request_kinds) != 0);
  });
}

// Whether the request holds what a rule that cannot judge the registry would judge. A
// rule wanting relations the registry lacks (OWNED_BY, HELD_OFFICE, NOTIFIED) judges the
// entities such relations leave from (a firm's owners, a person's offices, an agreement's
// notification): a request holding none of those has nothing the rule could judge, and
// its silence is no want of data. A rule wanting an entity kind the registry lacks
// judges whatever its pattern names.
bool could_judge(const Rule& rule, const query::CompiledQuery& query, const model::Graph& graph,
                 const RequestElements& elements) {
  model::KindMask subjects = 0;
  for (const auto& name : rule.requires_kinds) {
    const auto relation = graph.schema().find_relation(name);
    if (!relation) {
      if (const auto kind = graph.schema().find_kind(name);
          kind && graph.vertices_of_kind(*kind).empty())
        return looks_at_any(query, graph, elements);
      continue;
    }
    if (graph.relation_count_of_kind(*relation) != 0) continue;
    const model::KindMask from = graph.schema().relation(*relation).from;
    if (from == 0) return looks_at_any(query, graph, elements);  // any kind may hold one
    subjects |= from;
  }
  if (subjects == 0) return looks_at_any(query, graph, elements);
  return std::any_of(elements.entities.begin(), elements.entities.end(),
                     [&](model::VertexId v) { return (subjects >> graph.kind(v) & 1U) != 0; });
}

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
  ScanOptions options = with_home_country(graph, given_options);
  if (!options.reaches) {
    options.reaches = std::make_shared<query::ReachCache>(
        graph.entity_count(), query::ReachCache::capacity_for(graph.entity_count()));
  }
  if (!options.chain_shares) {
    options.chain_shares = std::make_shared<query::ChainShareCache>(
        graph, options.as_of, query::ChainShareCache::capacity_for(graph.entity_count()));
  }
  return run_rules(
      rules, options, diagnostics,
      [&](const Rule& rule, diag::Diagnostics& d, bool& ok, WorkBoard* board) {
        return guarded(rule, d, ok, [&]() -> std::vector<Finding> {
          RuleRunner runner(graph, rule, options, d);
          if (!runner.compile()) {
            ok = false;
            return {};
          }
          if (!runner.main().cannot_judge.empty()) return {runner.cannot_judge_finding()};
          runner.search_all(board);
          return runner.findings(board);
        });
      },
      /*offers_chunks=*/true);
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
      rules, options, diagnostics,
      [&](const Rule& rule, diag::Diagnostics& d, bool& ok, WorkBoard* /*board*/) {
        return guarded(rule, d, ok, [&]() -> std::vector<Finding> {
          RuleRunner runner(graph, rule, options, d);
          if (!runner.compile()) {
            ok = false;
            return {};
          }
          // A rule that cannot judge the registry cannot judge the request either. When
          // the request holds what the rule looks at, say so: its silence is no
          // "clear" (a late-notified agreement in a registry without notifications).
          if (!runner.main().cannot_judge.empty()) {
            if (!could_judge(rule, runner.main().query, graph, elements)) return {};
            return {runner.cannot_judge_finding()};
          }
          bool compiled_all = true;
          runner.search([&] { compiled_all = collect_anchored(runner, graph, elements); });
          if (!compiled_all) {
            ok = false;
            return {};
          }
          return touching_document(graph, runner.findings(), request);
        });
      },
      /*offers_chunks=*/false);
}

}  // namespace twinscan::rules
