#include "analyzer/rules/scanner.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "analyzer/rules/home_country.h"
#include "analyzer/rules/shared_params.h"

namespace twinscan::rules {
namespace {

using query::Slot;
using query::Value;

/// What one named variable of a match holds: an entity, a relation, or nothing.
struct Bound {
  query::Type type = query::Type::kNull;
  std::uint32_t index = 0;
  bool operator==(const Bound&) const = default;
};

/// What a match binds, one Bound per named variable (in the order of the rule's
/// bindings, sorted by name), and its canonical key: the interned ids, sorted, under
/// which symmetric re-orderings of one match fall together.
struct MatchKey {
  std::vector<Bound> bound;
  std::vector<model::Sym> key;
};

struct SymsHash {
  std::size_t operator()(const std::vector<model::Sym>& syms) const {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (model::Sym s : syms) h = (h ^ s) * 0x100000001b3ULL;
    return static_cast<std::size_t>(h);
  }
};

MatchKey key_of(const CompiledRule& rule, const model::Graph& graph,
                const std::vector<Value>& frame) {
  MatchKey out;
  out.bound.reserve(rule.bindings.size());
  out.key.reserve(rule.bindings.size());
  for (const auto& [name, slot] : rule.bindings) {
    const Value& v = frame[slot];
    Bound b;
    model::Sym id = 0;  // the empty string: nothing bound
    if (v.type == query::Type::kNode) {
      b = {query::Type::kNode, v.node};
      id = graph.id_sym(v.node);
    } else if (v.type == query::Type::kRelation) {
      b = {query::Type::kRelation, v.relation};
      id = graph.relation_id_sym(v.relation);
    }
    out.bound.push_back(b);
    out.key.push_back(id);
  }
  std::sort(out.key.begin(), out.key.end());
  return out;
}

std::string_view id_of(const model::Graph& graph, const Bound& b) {
  if (b.type == query::Type::kNode) return graph.id(b.index);
  if (b.type == query::Type::kRelation) return graph.relation_id(b.index);
  return {};
}

/// The bindings as (variable, id) text, as findings show them.
std::vector<std::pair<std::string, std::string>> binding_text(const CompiledRule& rule,
                                                              const model::Graph& graph,
                                                              const std::vector<Bound>& bound) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(bound.size());
  for (std::size_t i = 0; i < bound.size(); ++i)
    out.emplace_back(rule.bindings[i].first, std::string(id_of(graph, bound[i])));
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

std::string describe_bindings(const std::vector<std::pair<std::string, std::string>>& bindings) {
  std::string out;
  for (const auto& [name, id] : bindings) out += (out.empty() ? "" : ", ") + name + " = " + id;
  return out;
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
             diag::Diagnostics& diagnostics)
      : graph_(graph), rule_(rule), options_(options), diagnostics_(diagnostics) {}

  bool compile() {
    auto compiled = compile_rule(rule_, graph_, options_.params, diagnostics_);
    if (!compiled) return false;
    main_ = std::move(*compiled);
    // The evidence pass presets the bound entities only: a relation variable is bound
    // when its relation is walked, so a condition on it (`n.on`) must be planned after
    // that walk, not at the start, where it would read nothing and reject every match.
    std::vector<Slot> entity_slots;
    for (const auto& [name, slot] : main_.bindings) {
      if (main_.query.variables[slot].kind == query::VariableKind::kNode)
        entity_slots.push_back(slot);
    }
    auto by_bindings = compile_rule(rule_, graph_, options_.params, diagnostics_, entity_slots,
                                    RuleQueryUse::kGatherEvidence);
    if (!by_bindings) return false;
    by_bindings_ = std::move(*by_bindings);
    return true;
  }

  [[nodiscard]] const CompiledRule& main() const { return main_; }

  /// Records the binding set of every match of `plan_owner` run with `frame` preset.
  void collect(const CompiledRule& plan_owner,
               const std::vector<std::pair<Slot, model::VertexId>>& preset) {
    query::Executor executor(graph_, plan_owner.query, {graph_, options_.as_of}, limits());
    struct Count {
      query::Executor& executor;
      std::uint64_t& walked;
      ~Count() { walked = executor.expansions(); }
    } count{executor, walked_};
    for (const auto& [slot, v] : preset) executor.frame()[slot] = Value::of_node(v);
    executor.match(
        [&](const std::vector<Value>& frame) {
          MatchKey k = key_of(main_, graph_, frame);
          auto [it, inserted] = seen_.try_emplace(std::move(k.key), k.bound);
          // Of symmetric matches, the one whose bindings read first stands for them all.
          if (!inserted && k.bound != it->second &&
              binding_text(main_, graph_, k.bound) < binding_text(main_, graph_, it->second)) {
            it->second = k.bound;
          }
          return true;
        },
        [&](const std::vector<Value>& frame) {
          // Undecided because of date imprecision: the first such match of its bindings
          // is kept to explain it.
          MatchKey k = key_of(main_, graph_, frame);
          auto [it, inserted] = undecided_.try_emplace(std::move(k.key));
          if (inserted) {
            it->second.bound = k.bound;
            it->second.why = executor.imprecisions();
            add_evidence(main_, frame, it->second.evidence);
          }
          return true;
        });
  }

  /// Runs `search` (calls of collect()), and when the rule's budget or deadline runs
  /// out, keeps what was found so far and remembers why the search stopped.
  template <typename F>
  void search(F&& f) {
    if (!stopped_.empty()) return;
    try {
      f();
    } catch (const query::LimitExceeded& e) {
      stopped_ = e.what();
    }
  }

  /// Turns each binding set into a finding; a rule that ran out of its budget adds one
  /// finding saying so, so that silence never stands for "nothing found".
  std::vector<Finding> findings() {
    std::vector<Finding> out;
    if (!main_.cannot_judge.empty()) return out;
    out.reserve(seen_.size() + 1);
    if (stopped_.empty()) {
      try {
        for (const auto& [key, bound] : seen_) out.push_back(build(bound));
      } catch (const query::LimitExceeded& e) {
        stopped_ = e.what();
      }
    }
    // Bindings that no match decides, for want of a precise date: "cannot judge".
    for (const auto& [key, u] : undecided_) {
      if (!seen_.contains(key)) out.push_back(undecided_finding(u));
    }
    // Findings built before the stop are whole; the matches whose evidence was not
    // built yet, and whatever the search had not reached, are what the note stands for.
    if (!stopped_.empty()) out.push_back(incomplete_finding(out.size()));
    return out;
  }

  Finding incomplete_finding(std::size_t reported) const {
    Finding f;
    f.rule = &rule_;
    f.severity = Severity::kMedium;
    f.category = "data-quality";
    f.title = "Incomplete: " + rule_.title;
    f.message = "Rule " + rule_.id + " stopped before it finished: " + stopped_ + ". " +
                std::to_string(reported) + " of its findings are reported; the rest of the " +
                "registry was not judged by this rule.";
    f.fingerprint = fingerprint_of(rule_.id, {"<incomplete>"});
    f.incomplete = true;
    return f;
  }

  Finding cannot_judge_finding() const {
    Finding f;
    f.rule = &rule_;
    f.severity = Severity::kInfo;
    f.category = "data-quality";
    f.title = "Cannot judge: " + rule_.title;
    f.message = "Rule " + rule_.id + " was not applied: " + main_.cannot_judge +
                ". Consider what it checks unknown for this registry.";
    f.fingerprint = fingerprint_of(rule_.id, {"<cannot-judge>"});
    f.cannot_judge = true;
    return f;
  }

 private:
  /// A binding set whose only matches are undecided because of date imprecision.
  struct Undecided {
    std::vector<Bound> bound;
    std::vector<query::Imprecision> why;
    Finding evidence;  ///< Its entities and relations.
  };

  Finding undecided_finding(const Undecided& u) const {
    Finding f = u.evidence;
    f.rule = &rule_;
    f.severity = Severity::kInfo;
    f.category = "data-quality";
    f.title = "Cannot judge: " + rule_.title;
    f.bindings = binding_text(main_, graph_, u.bound);
    std::vector<Value> bound;
    for (const auto& b : u.bound) {
      bound.push_back(b.type == query::Type::kNode       ? Value::of_node(b.index)
                      : b.type == query::Type::kRelation ? Value::of_relation(b.index)
                                                         : Value::null());
    }
    f.message = undecided_message(main_, graph_, u.why, bound);
    sort_unique(f.entities);
    sort_unique(f.relations);
    std::vector<std::string> ids{"<cannot-judge>"};
    for (const auto& [name, id] : f.bindings) ids.push_back(id);
    f.fingerprint = fingerprint_of(rule_.id, std::move(ids));
    f.cannot_judge = true;
    return f;
  }

  Finding build(const std::vector<Bound>& bound) {
    Finding f;
    f.rule = &rule_;
    f.severity = rule_.severity;
    f.category = rule_.category;
    f.title = rule_.title;
    f.bindings = binding_text(main_, graph_, bound);
    // One executor serves every finding of the rule, so that what an EXISTS learnt for
    // one finding (whether the register covers a country, say) is not searched again.
    if (!evidence_executor_) {
      evidence_executor_ = std::make_unique<query::Executor>(
          graph_, by_bindings_.query, query::FunctionContext{graph_, options_.as_of}, limits());
    }
    query::Executor& executor = *evidence_executor_;
    std::fill(executor.frame().begin(), executor.frame().end(), Value::null());
    // Both compilations bind the same names to the same slots.
    for (std::size_t i = 0; i < bound.size(); ++i) {
      if (bound[i].type == query::Type::kNode)
        executor.frame()[by_bindings_.bindings[i].second] = Value::of_node(bound[i].index);
    }
    // Relation variables are not preset; matches whose relations differ are filtered.
    auto same = [&](const std::vector<Value>& frame) {
      for (std::size_t i = 0; i < bound.size(); ++i) {
        const Value& v = frame[by_bindings_.bindings[i].second];
        const Bound b = v.type == query::Type::kNode ? Bound{query::Type::kNode, v.node}
                        : v.type == query::Type::kRelation
                            ? Bound{query::Type::kRelation, v.relation}
                            : Bound{};
        if (!(b == bound[i])) return false;
      }
      return true;
    };
    bool first = true;
    executor.match([&](const std::vector<Value>& frame) {
      if (!same(frame)) return true;
      if (first) {
        std::vector<Value> extras;
        for (const auto& e : by_bindings_.query.extras) extras.push_back(executor.evaluate(*e));
        f.message = render_message(by_bindings_, graph_, extras);
        first = false;
      }
      add_evidence(by_bindings_, frame, f);
      return true;
    });
    if (first) {
      // The binding set was found by the search, so some match must rebuild it; an empty
      // finding would read as clear. Say it is a fault instead.
      throw EvidenceError("rule " + rule_.id + " found bindings it could not rebuild (" +
                          describe_bindings(f.bindings) + ")");
    }
    sort_unique(f.entities);
    sort_unique(f.relations);
    std::vector<std::string> ids;
    ids.reserve(f.bindings.size());
    for (const auto& [name, id] : f.bindings) ids.push_back(id);
    f.fingerprint = fingerprint_of(rule_.id, std::move(ids));
    return f;
  }

  /// The rule's limits: one deadline and one walk budget for all of its searches.
  [[nodiscard]] query::ExecutionLimits limits() const {
    query::ExecutionLimits out = options_.limits;
    out.started = started_;
    out.already_walked = walked_;
    return out;
  }

  const model::Graph& graph_;
  const Rule& rule_;
  const ScanOptions& options_;
  diag::Diagnostics& diagnostics_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::uint64_t walked_ = 0;  ///< Relations walked by the searches so far.
  std::string stopped_;       ///< Why the rule's budget ran out, if it did.
  CompiledRule main_;
  CompiledRule by_bindings_;
  std::unique_ptr<query::Executor> evidence_executor_;
  std::unordered_map<std::vector<model::Sym>, std::vector<Bound>, SymsHash> seen_;
  std::unordered_map<std::vector<model::Sym>, Undecided, SymsHash> undecided_;
};

/// Runs `work(rule index, diagnostics)` for every rule on `jobs` threads; diagnostics
/// and results come back in rule order, so the output does not depend on the threads.
ScanResult run_rules(
    const std::vector<Rule>& rules, const ScanOptions& options, diag::Diagnostics& diagnostics,
    const std::function<std::vector<Finding>(const Rule&, diag::Diagnostics&, bool&)>& work) {
  std::vector<std::vector<Finding>> per_rule(rules.size());
  std::vector<diag::Diagnostics> per_rule_diagnostics(rules.size());
  std::vector<char> ok(rules.size(), 1);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::vector<double> seconds(rules.size(), 0);
  // A fault in one rule's thread is carried to the caller, which reports it as an
  // internal error; thrown out of a thread it would end the process without a word.
  std::vector<std::exception_ptr> faults(rules.size());
  auto run_one = [&](std::size_t i) {
    const auto start = std::chrono::steady_clock::now();
    bool rule_ok = true;
    try {
      per_rule[i] = work(rules[i], per_rule_diagnostics[i], rule_ok);
    } catch (...) {
      faults[i] = std::current_exception();
    }
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
  for (const auto& fault : faults) {
    if (fault) std::rethrow_exception(fault);
  }
  ScanResult result;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    spdlog::debug("rule {}: {} finding(s) in {:.1f} ms", rules[i].id, per_rule[i].size(),
                  seconds[i] * 1e3);
    for (const auto& d : per_rule_diagnostics[i].all()) diagnostics.report(d);
    if (!ok[i]) result.ok = false;
    for (auto& f : per_rule[i]) result.findings.push_back(std::move(f));
  }
  std::stable_sort(result.findings.begin(), result.findings.end(), finding_order);
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
    out.params[key] = home.code.empty() ? Value::null() : Value::of_string(home.code);
  }
  return out;
}

}  // namespace

ScanResult scan(const model::Graph& graph, const std::vector<Rule>& rules,
                const ScanOptions& given_options, diag::Diagnostics& diagnostics) {
  const ScanOptions options = with_home_country(graph, given_options);
  return run_rules(rules, options, diagnostics,
                   [&](const Rule& rule, diag::Diagnostics& d, bool& ok) {
                     return guarded(rule, d, ok, [&]() -> std::vector<Finding> {
                       RuleRunner runner(graph, rule, options, d);
                       if (!runner.compile()) {
                         ok = false;
                         return {};
                       }
                       if (!runner.main().cannot_judge.empty())
                         return {runner.cannot_judge_finding()};
                       runner.search([&] { runner.collect(runner.main(), {}); });
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
    // A rule that stopped early may have missed findings about the request too.
    if (touches || f.incomplete) out.push_back(std::move(f));
  }
  return out;
}

namespace {

/// What a request adds: its entities and relations.
struct RequestElements {
  std::vector<model::VertexId> entities;
  std::vector<model::RelationId> relations;
};

// Documents are read one after the other, so a document's elements are contiguous, and
// a request read last ends the arrays: it is found walking back from the end, without
// reading the whole registry. A request read earlier is searched for everywhere.
RequestElements request_elements(const model::Graph& graph, std::uint32_t request) {
  RequestElements out;
  if (request + 1 == graph.documents().size()) {
    for (auto v = graph.entity_count(); v > 0 && graph.source(v - 1).document == request; --v)
      out.entities.push_back(static_cast<model::VertexId>(v - 1));
    for (auto r = graph.relation_count();
         r > 0 && graph.relation_source_ref(r - 1).document == request; --r)
      out.relations.push_back(static_cast<model::RelationId>(r - 1));
    std::reverse(out.entities.begin(), out.entities.end());
    std::reverse(out.relations.begin(), out.relations.end());
    return out;
  }
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
    if (graph.source(v).document == request) out.entities.push_back(v);
  }
  for (model::RelationId r = 0; r < graph.relation_count(); ++r) {
    if (graph.relation_source_ref(r).document == request) out.relations.push_back(r);
  }
  return out;
}

bool type_allowed(const std::vector<model::RelKindId>& types, model::RelKindId kind) {
  return types.empty() || std::find(types.begin(), types.end(), kind) != types.end();
}

bool kind_fits(model::KindMask kinds, model::KindId kind) {
  return kinds == 0 || (kinds >> kind & 1U) != 0;
}

// Vertices from which a walk along `edge` (its relation kinds and direction, at most
// max_hops) can reach a request element: a walked segment holding a request entity or
// relation starts at one of them. They are found walking the other way from the
// request, so a large neighbour that the walk could only leave (a city with many
// agreements, say) does not pull in its whole neighbourhood.
std::vector<model::VertexId> segment_starts(const model::Graph& graph,
                                            const query::PatternEdge& edge,
                                            const RequestElements& request) {
  const bool back_in = edge.direction != query::Direction::kIn;  // walk forward: come from in-edges
  const bool back_out = edge.direction != query::Direction::kOut;  // walk backward: from out-edges
  std::vector<model::VertexId> frontier;
  for (auto v : request.entities) frontier.push_back(v);
  for (auto r : request.relations) {
    if (!type_allowed(edge.types, graph.relation_kind(r))) continue;
    if (back_in) frontier.push_back(graph.relation_source(r));
    if (back_out) frontier.push_back(graph.relation_target(r));
  }
  sort_unique(frontier);
  // A set, not a mark per entity: the search stays near the request, and clearing an
  // array the size of the registry would cost more than the search.
  std::unordered_set<model::VertexId> seen(frontier.begin(), frontier.end());
  std::vector<model::VertexId> all = frontier;
  auto visit = [&](std::span<const model::Adjacency> adjacent, std::vector<model::VertexId>& next) {
    for (const auto& a : adjacent) {
      if (seen.insert(a.other).second) next.push_back(a.other);
    }
  };
  for (std::uint32_t depth = 0; depth < edge.max_hops && !frontier.empty(); ++depth) {
    std::vector<model::VertexId> next;
    for (auto v : frontier) {
      if (edge.types.empty()) {
        if (back_out) visit(graph.out_edges(v), next);
        if (back_in) visit(graph.in_edges(v), next);
      } else {
        for (auto t : edge.types) {
          if (back_out) visit(graph.out_edges(v, t), next);
          if (back_in) visit(graph.in_edges(v, t), next);
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

// A match touching the request holds a request entity at some node, a request relation
// at some fixed relation element, or a request element inside a walked segment; each
// case is run anchored there, so screening costs what the request's neighbourhood costs.
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
          // A rule that cannot judge the registry cannot judge the request either; its note
          // belongs to the batch scan, not to the request's verdict.
          if (!runner.main().cannot_judge.empty()) return {};
          auto anchored = [&](const std::vector<Slot>& slots) {
            auto compiled = compile_rule(rule, graph, options.params, d, slots);
            if (!compiled) ok = false;
            return compiled;
          };
          // Returns false when an anchored form of the rule does not compile.
          auto anchor_all = [&]() -> bool {
            const auto& plan = runner.main().query.plan;
            const auto& variables = runner.main().query.variables;
            // Request entities at every node of the pattern.
            for (Slot slot : plan.node_slots) {
              if (elements.entities.empty()) break;
              auto compiled = anchored({slot});
              if (!compiled) return false;
              for (auto v : elements.entities) {
                if (kind_fits(variables[slot].kinds, graph.kind(v)))
                  runner.collect(*compiled, {{slot, v}});
              }
            }
            for (const auto& edge : plan.edges) {
              if (edge.variable_length) {
                // Request elements inside a walked segment: start the walk near them.
                const auto starts = segment_starts(graph, edge, elements);
                if (starts.empty()) continue;
                auto compiled = anchored({edge.left});
                if (!compiled) return false;
                for (auto v : starts) {
                  if (kind_fits(variables[edge.left].kinds, graph.kind(v))) {
                    runner.collect(*compiled, {{edge.left, v}});
                  }
                }
                continue;
              }
              // Request relations at a fixed relation element: both ends fixed.
              std::optional<CompiledRule> compiled;
              for (auto r : elements.relations) {
                if (!type_allowed(edge.types, graph.relation_kind(r))) continue;
                const auto from = graph.relation_source(r), to = graph.relation_target(r);
                std::vector<std::pair<model::VertexId, model::VertexId>> ends;
                if (edge.direction != query::Direction::kIn) ends.emplace_back(from, to);
                if (edge.direction != query::Direction::kOut) ends.emplace_back(to, from);
                for (const auto& [left, right] : ends) {
                  if (!kind_fits(variables[edge.left].kinds, graph.kind(left)) ||
                      !kind_fits(variables[edge.right].kinds, graph.kind(right)) ||
                      (edge.left == edge.right && left != right)) {
                    continue;
                  }
                  if (!compiled) compiled = anchored({edge.left, edge.right});
                  if (!compiled) return false;
                  if (edge.left == edge.right) {
                    runner.collect(*compiled, {{edge.left, left}});
                  } else {
                    runner.collect(*compiled, {{edge.left, left}, {edge.right, right}});
                  }
                }
              }
            }
            return true;
          };
          bool compiled_all = true;
          runner.search([&] { compiled_all = anchor_all(); });
          if (!compiled_all) return {};
          return touching_document(graph, runner.findings(), request);
        });
      });
}

}  // namespace twinscan::rules
