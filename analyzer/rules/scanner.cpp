#include "analyzer/rules/scanner.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

namespace twinscan::rules {
namespace {

using query::Slot;
using query::Value;
using query::VariableKind;

/// The ids a match binds, by variable name, and its canonical key (the sorted ids),
/// under which symmetric re-orderings of one match fall together.
struct MatchKey {
  std::vector<std::pair<std::string, std::string>> bindings;
  std::string key;
};

MatchKey key_of(const CompiledRule& rule, const model::Graph& graph,
                const std::vector<Value>& frame) {
  MatchKey out;
  std::vector<std::string> ids;
  for (const auto& [name, slot] : rule.bindings) {
    const Value& v = frame[slot];
    std::string id;
    if (v.type == query::Type::kNode) id = graph.id(v.node);
    if (v.type == query::Type::kRelation) id = graph.relation_id(v.relation);
    out.bindings.emplace_back(name, id);
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  for (const auto& id : ids) {
    out.key += id;
    out.key += '\n';
  }
  return out;
}

// Adds every entity and relation a match holds (paths included) to the evidence.
void add_evidence(const CompiledRule& rule, const std::vector<Value>& frame, Finding& finding) {
  for (const auto& var : rule.query.variables) {
    const Value& v = frame[var.slot];
    switch (v.type) {
      case query::Type::kNode:
        finding.entities.push_back(v.node);
        break;
      case query::Type::kRelation:
        finding.relations.push_back(v.relation);
        break;
      case query::Type::kPath:
        finding.entities.insert(finding.entities.end(), v.path().nodes.begin(),
                                v.path().nodes.end());
        finding.relations.insert(finding.relations.end(), v.path().relations.begin(),
                                 v.path().relations.end());
        break;
      default:
        break;
    }
  }
}

void sort_unique(auto& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

/// Evaluates one rule: finds the distinct binding sets, then builds each finding from
/// every match of its bindings, so that a finding reads the same however it was found.
class RuleRunner {
 public:
  RuleRunner(const model::Graph& graph, const Rule& rule, const ScanOptions& options,
             io::Diagnostics& diagnostics)
      : graph_(graph), rule_(rule), options_(options), diagnostics_(diagnostics) {}

  bool compile() {
    auto compiled = compile_rule(rule_, graph_, options_.params, diagnostics_);
    if (!compiled) return false;
    main_ = std::move(*compiled);
    std::vector<Slot> all_bound;
    for (const auto& [name, slot] : main_.bindings) all_bound.push_back(slot);
    auto by_bindings = compile_rule(rule_, graph_, options_.params, diagnostics_, all_bound);
    if (!by_bindings) return false;
    by_bindings_ = std::move(*by_bindings);
    return true;
  }

  [[nodiscard]] const CompiledRule& main() const { return main_; }

  /// Records the binding set of every match of `plan_owner` run with `frame` preset.
  void collect(const CompiledRule& plan_owner,
               const std::vector<std::pair<Slot, model::VertexId>>& preset) {
    query::Executor executor(graph_, plan_owner.query, {graph_, options_.as_of}, options_.limits);
    for (const auto& [slot, v] : preset) executor.frame()[slot] = Value::of_node(v);
    executor.match([&](const std::vector<Value>& frame) {
      MatchKey k = key_of(main_, graph_, frame);
      auto [it, inserted] = seen_.emplace(k.key, k.bindings);
      if (!inserted && k.bindings < it->second) it->second = k.bindings;
      return true;
    });
  }

  /// Turns each binding set into a finding.
  std::vector<Finding> findings() {
    std::vector<Finding> out;
    if (!main_.cannot_judge.empty()) return out;
    for (const auto& [key, bindings] : seen_) out.push_back(build(bindings));
    return out;
  }

  Finding cannot_judge_finding() const {
    Finding f;
    f.rule = &rule_;
    f.severity = Severity::kInfo;
    f.category = "data-quality";
    f.title = "Cannot judge: " + rule_.title;
    f.message = "Rule " + rule_.id + " was not applied: " + main_.cannot_judge +
                ", so an absence cannot be told from missing data. Add the data or "
                "consider these findings unknown.";
    f.fingerprint = fingerprint_of(rule_.id, {"<cannot-judge>"});
    f.cannot_judge = true;
    return f;
  }

 private:
  Finding build(const std::vector<std::pair<std::string, std::string>>& bindings) {
    Finding f;
    f.rule = &rule_;
    f.severity = rule_.severity;
    f.category = rule_.category;
    f.title = rule_.title;
    f.bindings = bindings;
    std::vector<std::string> ids;
    query::Executor executor(graph_, by_bindings_.query, {graph_, options_.as_of}, options_.limits);
    for (const auto& [name, id] : bindings) {
      ids.push_back(id);
      const Slot slot = by_bindings_.query.slot_of(name);
      const auto& var = by_bindings_.query.variables[slot];
      if (var.kind == VariableKind::kNode) {
        if (auto v = graph_.find(id)) executor.frame()[slot] = Value::of_node(*v);
      }
    }
    // Relation variables are not preset; matches whose relations differ are filtered.
    bool first = true;
    executor.match([&](const std::vector<Value>& frame) {
      if (key_of(by_bindings_, graph_, frame).bindings != bindings) return true;
      if (first) {
        std::vector<Value> extras;
        for (const auto& e : by_bindings_.query.extras) extras.push_back(executor.evaluate(*e));
        f.message = render_message(by_bindings_, graph_, extras);
        first = false;
      }
      add_evidence(by_bindings_, frame, f);
      return true;
    });
    sort_unique(f.entities);
    sort_unique(f.relations);
    f.fingerprint = fingerprint_of(rule_.id, ids);
    return f;
  }

  const model::Graph& graph_;
  const Rule& rule_;
  const ScanOptions& options_;
  io::Diagnostics& diagnostics_;
  CompiledRule main_;
  CompiledRule by_bindings_;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> seen_;
};

/// Runs `work(rule index, diagnostics)` for every rule on `jobs` threads; diagnostics
/// and results come back in rule order, so the output does not depend on the threads.
ScanResult run_rules(
    const std::vector<Rule>& rules, const ScanOptions& options, io::Diagnostics& diagnostics,
    const std::function<std::vector<Finding>(const Rule&, io::Diagnostics&, bool&)>& work) {
  std::vector<std::vector<Finding>> per_rule(rules.size());
  std::vector<io::Diagnostics> per_rule_diagnostics(rules.size());
  std::vector<char> ok(rules.size(), 1);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::vector<double> seconds(rules.size(), 0);
  auto run_one = [&](std::size_t i) {
    const auto start = std::chrono::steady_clock::now();
    bool rule_ok = true;
    per_rule[i] = work(rules[i], per_rule_diagnostics[i], rule_ok);
    ok[i] = rule_ok;
    seconds[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    done.fetch_add(1);
  };
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < rules.size();) run_one(i);
  };
  const unsigned jobs =
      std::max(1U, std::min<unsigned>(options.jobs, static_cast<unsigned>(rules.size())));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  if (options.progress && jobs > 1) {
    // The calling thread reports progress while the others work.
    std::thread last(worker);
    while (done.load() < rules.size()) {
      options.progress(done.load(), rules.size());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    last.join();
  } else if (options.progress) {
    for (std::size_t i; (i = next.fetch_add(1)) < rules.size();) {
      run_one(i);
      options.progress(done.load(), rules.size());
    }
  } else {
    worker();
  }
  for (auto& t : threads) t.join();
  ScanResult result;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    spdlog::info("rule {}: {} finding(s) in {:.1f} ms", rules[i].id, per_rule[i].size(),
                 seconds[i] * 1e3);
    for (const auto& d : per_rule_diagnostics[i].all()) diagnostics.report(d);
    if (!ok[i]) result.ok = false;
    for (auto& f : per_rule[i]) result.findings.push_back(std::move(f));
  }
  std::stable_sort(result.findings.begin(), result.findings.end(), finding_order);
  return result;
}

template <typename F>
std::vector<Finding> guarded(const Rule& rule, io::Diagnostics& diagnostics, bool& ok, F&& f) {
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

}  // namespace

ScanResult scan(const model::Graph& graph, const std::vector<Rule>& rules,
                const ScanOptions& options, io::Diagnostics& diagnostics) {
  return run_rules(rules, options, diagnostics,
                   [&](const Rule& rule, io::Diagnostics& d, bool& ok) {
                     return guarded(rule, d, ok, [&]() -> std::vector<Finding> {
                       RuleRunner runner(graph, rule, options, d);
                       if (!runner.compile()) {
                         ok = false;
                         return {};
                       }
                       if (!runner.main().cannot_judge.empty())
                         return {runner.cannot_judge_finding()};
                       runner.collect(runner.main(), {});
                       return runner.findings();
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
    if (touches) out.push_back(std::move(f));
  }
  return out;
}

namespace {

// Entities a match touching the request may be anchored at: the request's entities and
// the ends of its relations, widened by `hops` (the longest variable-length element),
// since a request element inside a walked path lies within that many hops of its ends.
std::vector<model::VertexId> anchor_vertices(const model::Graph& graph, std::uint32_t request,
                                             std::uint32_t hops) {
  std::vector<model::VertexId> frontier;
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
    if (graph.source(v).document == request) frontier.push_back(v);
  }
  for (model::RelationId r = 0; r < graph.relation_count(); ++r) {
    if (graph.relation_source_ref(r).document != request) continue;
    frontier.push_back(graph.relation_source(r));
    frontier.push_back(graph.relation_target(r));
  }
  sort_unique(frontier);
  std::vector<model::VertexId> all = frontier;
  std::vector<std::uint8_t> seen(graph.entity_count(), 0);
  for (auto v : all) seen[v] = 1;
  for (std::uint32_t depth = 0; depth < hops && !frontier.empty(); ++depth) {
    std::vector<model::VertexId> next;
    for (auto v : frontier) {
      for (const auto& a : graph.out_edges(v)) {
        if (!seen[a.other]) {
          seen[a.other] = 1;
          next.push_back(a.other);
        }
      }
      for (const auto& a : graph.in_edges(v)) {
        if (!seen[a.other]) {
          seen[a.other] = 1;
          next.push_back(a.other);
        }
      }
    }
    all.insert(all.end(), next.begin(), next.end());
    frontier = std::move(next);
  }
  sort_unique(all);
  return all;
}

}  // namespace

ScanResult screen(const model::Graph& graph, const std::vector<Rule>& rules, std::uint32_t request,
                  const ScanOptions& options, io::Diagnostics& diagnostics) {
  return run_rules(rules, options, diagnostics,
                   [&](const Rule& rule, io::Diagnostics& d, bool& ok) {
                     return guarded(rule, d, ok, [&]() -> std::vector<Finding> {
                       RuleRunner runner(graph, rule, options, d);
                       if (!runner.compile()) {
                         ok = false;
                         return {};
                       }
                       // A rule that cannot judge the registry cannot judge the request either; its
                       // note belongs to the batch scan, not to the request's verdict.
                       if (!runner.main().cannot_judge.empty()) return {};
                       std::uint32_t hops = 0;
                       for (const auto& e : runner.main().query.plan.edges) {
                         if (e.variable_length) hops = std::max(hops, e.max_hops);
                       }
                       const auto anchors = anchor_vertices(graph, request, hops);
                       for (Slot slot : runner.main().query.plan.node_slots) {
                         auto anchored = compile_rule(rule, graph, options.params, d, {slot});
                         if (!anchored) {
                           ok = false;
                           return {};
                         }
                         const model::KindMask kinds = anchored->query.variables[slot].kinds;
                         for (auto v : anchors) {
                           if (kinds != 0 && !(kinds >> graph.kind(v) & 1U)) continue;
                           runner.collect(*anchored, {{slot, v}});
                         }
                       }
                       return touching_document(graph, runner.findings(), request);
                     });
                   });
}

}  // namespace twinscan::rules
