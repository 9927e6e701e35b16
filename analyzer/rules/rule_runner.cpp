#include "analyzer/rules/rule_runner.h"

#include <exception>
#include <thread>

namespace twinscan::rules {

using query::Slot;
using query::Value;

RuleRunner::RuleRunner(const model::Graph& graph, const Rule& rule, const ScanOptions& options,
                       diag::Diagnostics& diagnostics)
    : graph_(graph), rule_(rule), options_(options), diagnostics_(diagnostics) {}

RuleRunner::~RuleRunner() = default;

std::shared_ptr<const CompiledRule> RuleRunner::compile_for(const std::vector<Slot>& prebound,
                                                            RuleQueryUse use) {
  if (options_.compiled_rules) {
    return options_.compiled_rules->compile(rule_, graph_, options_.params, diagnostics_, prebound,
                                            use);
  }
  auto compiled = compile_rule(rule_, graph_, options_.params, diagnostics_, prebound, use);
  if (!compiled) return nullptr;
  return std::make_shared<const CompiledRule>(std::move(*compiled));
}

bool RuleRunner::compile() {
  main_ = compile_for({}, RuleQueryUse::kFindBindings);
  if (!main_) return false;
  // The evidence pass presets the bound entities only: a relation variable is bound
  // when its relation is walked, so a condition on it (`n.on`) must be planned after
  // that walk, not at the start, where it would read nothing and reject every match.
  std::vector<Slot> entity_slots;
  for (const auto& [name, slot] : main_->bindings) {
    if (main_->query.variables[slot].kind == query::VariableKind::kNode)
      entity_slots.push_back(slot);
  }
  by_bindings_ = compile_for(entity_slots, RuleQueryUse::kGatherEvidence);
  return by_bindings_ != nullptr;
}

std::shared_ptr<const CompiledRule> RuleRunner::compile_anchored(
    const std::vector<Slot>& prebound) {
  return compile_for(prebound, RuleQueryUse::kFindBindings);
}

void RuleRunner::collect(const CompiledRule& plan_owner,
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
        MatchKey k = key_of(*main_, graph_, frame);
        auto [it, inserted] = seen_.try_emplace(std::move(k.key), k.bound);
        // Of symmetric matches, the one whose bindings read first stands for them all.
        if (!inserted && k.bound != it->second && bindings_less(graph_, k.bound, it->second)) {
          it->second = k.bound;
        }
        return true;
      },
      [&](const std::vector<Value>& frame) {
        // Undecided because of date imprecision: the first such match of its bindings
        // is kept to explain it.
        MatchKey k = key_of(*main_, graph_, frame);
        auto [it, inserted] = undecided_.try_emplace(std::move(k.key));
        if (inserted) {
          it->second.bound = k.bound;
          it->second.why = executor.imprecisions();
          add_evidence(*main_, frame, it->second.evidence);
        }
        return true;
      });
}

bool RuleRunner::build_in_parallel(std::vector<Finding>& out, unsigned threads) {
  std::vector<const std::vector<Bound>*> sets;
  sets.reserve(seen_.size());
  for (const auto& [key, bound] : seen_) sets.push_back(&bound);
  std::vector<std::vector<Finding>> runs(threads);
  std::vector<std::exception_ptr> faults(threads);
  std::vector<char> limited(threads, 0);
  // Each run may walk an equal share of what is left of the budget. A run walks at
  // least what one thread would for its sets (its remembered EXISTS answers start
  // empty), so when no run passes its share, one thread would not have stopped either.
  query::ExecutionLimits shared = limits();
  if (shared.already_walked < shared.max_expansions) {
    shared.already_walked =
        shared.max_expansions - (shared.max_expansions - shared.already_walked) / threads;
  }
  auto build_run = [&](unsigned t) {
    try {
      const std::size_t begin = sets.size() * t / threads;
      const std::size_t end = sets.size() * (t + 1) / threads;
      FindingsBuilder builder(graph_, rule_, *by_bindings_, options_.as_of, shared);
      runs[t].reserve(end - begin);
      for (std::size_t i = begin; i < end; ++i) runs[t].push_back(builder.build(*sets[i]));
    } catch (const query::LimitExceeded&) {
      limited[t] = 1;
    } catch (...) {
      faults[t] = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(build_run, t);
  build_run(0);
  for (auto& h : helpers) h.join();
  for (unsigned t = 0; t < threads; ++t) {
    if (faults[t]) std::rethrow_exception(faults[t]);
    if (limited[t]) return false;
  }
  for (auto& run : runs) {
    for (auto& f : run) out.push_back(std::move(f));
  }
  return true;
}

std::vector<Finding> RuleRunner::findings(unsigned threads) {
  std::vector<Finding> out;
  if (!main_->cannot_judge.empty()) return out;
  out.reserve(seen_.size() + 1);
  if (stopped_.empty() && threads > 1 && seen_.size() >= kParallelFindings &&
      build_in_parallel(out, threads)) {
    // Built; the undecided ones follow.
  } else if (stopped_.empty()) {
    out.clear();
    try {
      for (const auto& [key, bound] : seen_) {
        if (!builder_) {
          builder_ = std::make_unique<FindingsBuilder>(graph_, rule_, *by_bindings_, options_.as_of,
                                                       limits());
        }
        out.push_back(builder_->build(bound));
      }
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

Finding RuleRunner::incomplete_finding(std::size_t reported) const {
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

Finding RuleRunner::cannot_judge_finding() const {
  Finding f;
  f.rule = &rule_;
  f.severity = Severity::kInfo;
  f.category = "data-quality";
  f.title = "Cannot judge: " + rule_.title;
  f.message = "Rule " + rule_.id + " was not applied: " + main_->cannot_judge +
              ". Consider what it checks unknown for this registry.";
  f.fingerprint = fingerprint_of(rule_.id, {"<cannot-judge>"});
  f.cannot_judge = true;
  return f;
}

Finding RuleRunner::undecided_finding(const Undecided& u) const {
  Finding f = u.evidence;
  f.rule = &rule_;
  f.severity = Severity::kInfo;
  f.category = "data-quality";
  f.title = "Cannot judge: " + rule_.title;
  f.bindings = binding_text(*main_, graph_, u.bound);
  std::vector<Value> bound;
  for (const auto& b : u.bound) {
    bound.push_back(b.type == query::Type::kNode       ? Value::of_node(b.index)
                    : b.type == query::Type::kRelation ? Value::of_relation(b.index)
                                                       : Value::null());
  }
  f.message = undecided_message(*main_, graph_, u.why, bound);
  finish_evidence(f);
  std::vector<std::string> ids{"<cannot-judge>"};
  for (const auto& [name, id] : f.bindings) ids.push_back(id);
  f.fingerprint = fingerprint_of(rule_.id, std::move(ids));
  f.cannot_judge = true;
  return f;
}

query::ExecutionLimits RuleRunner::limits() const {
  query::ExecutionLimits out = options_.limits;
  out.started = started_;
  out.already_walked = walked_;
  return out;
}

}  // namespace twinscan::rules
