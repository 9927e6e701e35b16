#include "analyzer/rules/rule_runner.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>

#include "analyzer/util/lasting_text.h"
#include "analyzer/util/prefault.h"
#include "analyzer/util/prefetch.h"

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
  if (!by_bindings_) return false;
  evidence_plan_ = plan_gathered_evidence(*main_, *by_bindings_);
  seen_ = FoundSets(main_->bindings.size());
  return true;
}

void RuleRunner::record_match(FoundSets& sets, const MatchKey& match,
                              const std::vector<Value>& frame, bool gather) {
  const auto [index, added] = sets.find_or_add(match.key, FoundSets::hash_of(match.key));
  FoundSet& set = sets[index];
  if (added) {
    set.bound = match.bound;
  } else if (match.bound != set.bound) {
    set.evidence.drop();
    if (bindings_less(graph_, match.bound, set.bound)) set.bound = match.bound;
    return;
  }
  if (gather) {
    set.evidence.add(*main_, frame, evidence_plan_.end_walks);
  } else {
    set.evidence.drop();
  }
}

Finding RuleRunner::build_finding(FindingsBuilder& builder, const FoundSet& set) const {
  if (!anchored_ && set.evidence.complete)
    return builder.build(set.bound, set.evidence, evidence_plan_.end_walks);
  return builder.build(set.bound);
}

std::shared_ptr<const CompiledRule> RuleRunner::compile_anchored(
    const std::vector<Slot>& prebound) {
  return compile_for(prebound, RuleQueryUse::kFindBindings);
}

void RuleRunner::collect(const CompiledRule& plan_owner,
                         const std::vector<std::pair<Slot, model::VertexId>>& preset) {
  query::Executor executor(graph_, plan_owner.query, function_context(), limits());
  struct Count {
    query::Executor& executor;
    std::uint64_t& walked;
    ~Count() { walked = executor.expansions(); }
  } count{executor, walked_};
  for (const auto& [slot, v] : preset) executor.frame()[slot] = Value::of_node(v);
  if (&plan_owner != main_.get() || !preset.empty()) anchored_ = true;
  const bool gather = evidence_plan_.gathers && !anchored_;
  MatchKey match;  // one room for the key of every match
  executor.match(
      [&](const std::vector<Value>& frame) {
        key_of(*main_, graph_, frame, match);
        record_match(seen_, match, frame, gather);
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

namespace {

/// The binding sets one chunk of a split search found, in the order it first found them.
struct ChunkSets {
  using Key = std::vector<model::Sym>;
  FoundSets seen;
  std::vector<Key> undecided_order;
  std::unordered_map<Key, std::size_t, util::WordsHash> undecided;  ///< Index in `undecided_sets`.
  std::vector<std::pair<std::vector<Bound>, std::vector<query::Imprecision>>> undecided_sets;
  std::vector<Finding> undecided_evidence;
};

/// Asks for what the findings a few sets after the `i`th read first, while the `i`th is
/// built: each set's bindings lie apart from it, and the ids and names they bind three
/// loads deeper at random places of the string pool (Graph::prefetch_entity_texts). Each
/// load is asked for one set ahead of the one that reads what it brings: the set five
/// ahead, its bindings four ahead, then their symbols, where their texts lie, the texts.
void ask_ahead(const model::Graph& graph, const std::vector<const FoundSet*>& sets, std::size_t i,
               std::size_t end) {
  if (i + 5 < end) util::prefetch(sets[i + 5]);
  if (i + 4 < end) util::prefetch(sets[i + 4]->bound.data());
  using Step = model::Graph::TextStep;
  const auto ask = [&](std::size_t at, Step step) {
    if (at >= end) return;
    for (const Bound& b : sets[at]->bound) {
      if (b.type == query::Type::kNode) {
        graph.prefetch_entity_texts(b.index, step);
      } else if (b.type == query::Type::kRelation) {
        graph.prefetch_relation_text(b.index, step);
      }
    }
  };
  ask(i + 3, Step::kSymbols);
  ask(i + 2, Step::kEntries);
  ask(i + 1, Step::kTexts);
}

/// Adds what a participant walked to a total when it leaves.
struct WalkCount {
  std::atomic<std::uint64_t>& total;
  std::uint64_t base;
  std::function<std::uint64_t()> walked;
  ~WalkCount() { total.fetch_add(walked() - base); }
};

}  // namespace

void RuleRunner::restart() {
  seen_.clear();
  undecided_.clear();
  anchored_ = false;
  walked_ = 0;
  stopped_.clear();
  builder_.reset();
  split_ = false;
}

void RuleRunner::search_all(WorkBoard* board) {
  split_ = false;
  if (board && stopped_.empty() && seen_.empty() && undecided_.empty()) {
    query::Executor probe(graph_, main_->query, function_context(), limits());
    const std::size_t candidates = probe.start_candidates();
    if (candidates >= 2) {
      if (search_split(*board, candidates)) {
        split_ = true;
        return;
      }
      restart();
    }
  }
  search([&] { collect(*main_, {}); });
}

bool RuleRunner::search_split(WorkBoard& board, std::size_t candidates) {
  const std::size_t chunks = std::min(candidates, kSearchChunks);
  std::vector<ChunkSets> found(chunks);
  for (auto& sets : found) sets.seen = FoundSets(seen_.width());
  std::atomic<std::uint64_t> walked{0};
  const query::ExecutionLimits shared = limits();
  WorkBoard::MakeParticipant make = [&]() -> WorkBoard::Participant {
    auto executor =
        std::make_shared<query::Executor>(graph_, main_->query, function_context(), shared);
    auto count = std::make_shared<WalkCount>(
        WalkCount{walked, shared.already_walked, [e = executor.get()] { return e->expansions(); }});
    auto match = std::make_shared<MatchKey>();  // one room for the key of every match
    return [this, executor, count, match, &found, candidates, chunks](std::size_t c) {
      ChunkSets& sets = found[c];
      query::Executor& ex = *executor;
      ex.match_range(
          candidates * c / chunks, candidates * (c + 1) / chunks,
          [&](const std::vector<Value>& frame) {
            key_of(*main_, graph_, frame, *match);
            record_match(sets.seen, *match, frame, evidence_plan_.gathers);
            return true;
          },
          [&](const std::vector<Value>& frame) {
            MatchKey k = key_of(*main_, graph_, frame);
            auto [it, inserted] = sets.undecided.try_emplace(k.key, sets.undecided_sets.size());
            if (inserted) {
              sets.undecided_order.push_back(std::move(k.key));
              sets.undecided_sets.emplace_back(k.bound, ex.imprecisions());
              sets.undecided_evidence.emplace_back();
              add_evidence(*main_, frame, sets.undecided_evidence.back());
            }
            return true;
          });
    };
  };
  try {
    board.share(chunks, make);
  } catch (const query::LimitExceeded&) {
    return false;
  } catch (const query::EvaluationError&) {
    return false;  // one thread reports it, where one thread meets it
  }
  // One thread walks no more than the chunks did in all: when that fits the budget,
  // one thread would not have stopped either.
  if (walked.load() > shared.max_expansions - std::min(shared.max_expansions, walked_))
    return false;
  walked_ += walked.load();
  // Joined in chunk order: the sets come first in the order one thread finds them.
  std::size_t parts = seen_.size();
  for (const auto& sets : found) parts += sets.seen.size();
  seen_.reserve(parts);
  for (auto& sets : found) {
    for (std::size_t i = 0; i < sets.seen.size(); ++i) {
      FoundSet& set = sets.seen[i];
      const auto [index, added] = seen_.find_or_add(sets.seen.key(i), sets.seen.hash(i));
      FoundSet& joined = seen_[index];
      if (added) {
        joined = std::move(set);
      } else if (set.bound != joined.bound) {
        joined.evidence.drop();
        if (bindings_less(graph_, set.bound, joined.bound)) joined.bound = std::move(set.bound);
      } else {
        joined.evidence.merge(std::move(set.evidence));
      }
    }
    for (auto& key : sets.undecided_order) {
      const std::size_t i = sets.undecided.at(key);
      auto [it, inserted] = undecided_.try_emplace(std::move(key));
      if (inserted) {
        it->second.bound = std::move(sets.undecided_sets[i].first);
        it->second.why = std::move(sets.undecided_sets[i].second);
        it->second.evidence = std::move(sets.undecided_evidence[i]);
      }
    }
    sets = {};
  }
  return true;
}

bool RuleRunner::build_shared(std::vector<Finding>& out, WorkBoard& board) {
  std::vector<const FoundSet*> sets;
  sets.reserve(seen_.size());
  for (std::size_t i = 0; i < seen_.size(); ++i) sets.push_back(&seen_[i]);
  const std::size_t chunks = std::min<std::size_t>(256, (sets.size() + 255) / 256);
  // Each chunk builds its findings in their places: no second copy of them all.
  const std::size_t first = out.size();
  out.reserve(first + sets.size());
  {
    // The threads that help build the findings wait for this one to make their places.
    const util::BackHalfPrefault back_half(out.data() + first, sets.size() * sizeof(Finding));
    out.resize(first + sets.size());
  }
  Finding* const places = out.data() + first;
  std::atomic<std::uint64_t> walked{0};
  const query::ExecutionLimits shared = limits();
  WorkBoard::MakeParticipant make = [&]() -> WorkBoard::Participant {
    auto builder = std::make_shared<FindingsBuilder>(
        graph_, rule_, *by_bindings_, function_context(), shared, options_.stable_ids.get());
    auto count = std::make_shared<WalkCount>(
        WalkCount{walked, shared.already_walked, [b = builder.get()] { return b->walked(); }});
    return [this, builder, count, &sets, places, chunks](std::size_t c) {
      const std::size_t begin = sets.size() * c / chunks;
      const std::size_t end = sets.size() * (c + 1) / chunks;
      for (std::size_t i = begin; i < end; ++i) {
        ask_ahead(graph_, sets, i, end);
        places[i] = build_finding(*builder, *sets[i]);
      }
    };
  };
  try {
    board.share(chunks, make);
  } catch (const query::LimitExceeded&) {
    return false;
  }
  // A chunk walks at least what one thread would for its sets (its remembered EXISTS
  // answers start empty): when the chunks in all fit the budget, one thread fits too.
  if (walked.load() > shared.max_expansions - std::min(shared.max_expansions, walked_))
    return false;
  walked_ += walked.load();
  return true;
}

std::vector<Finding> RuleRunner::findings(unsigned threads) {
  if (threads <= 1) return findings(nullptr);
  WorkBoard board;
  HelperThreads helpers(board, threads - 1);
  return findings(&board);
}

std::vector<Finding> RuleRunner::findings(WorkBoard* board) {
  std::vector<Finding> out = findings_once(board);
  if (split_ && !stopped_.empty()) {
    // Stopped after a split search: one thread would have walked less by then, so it
    // starts again on one thread, to stop where one thread stops.
    restart();
    search([&] { collect(*main_, {}); });
    out = findings_once(nullptr);
  }
  return out;
}

std::vector<Finding> RuleRunner::findings_once(WorkBoard* board) {
  std::vector<Finding> out;
  if (!main_->cannot_judge.empty()) return out;
  out.reserve(seen_.size() + 1);
  if (stopped_.empty() && board && seen_.size() >= kParallelFindings && build_shared(out, *board)) {
    // Built; the undecided ones follow.
  } else if (stopped_.empty()) {
    out.clear();
    try {
      std::vector<const FoundSet*> sets;  // in order, to ask ahead
      sets.reserve(seen_.size());
      for (std::size_t i = 0; i < seen_.size(); ++i) sets.push_back(&seen_[i]);
      for (std::size_t i = 0; i < sets.size(); ++i) {
        if (!builder_) {
          builder_ =
              std::make_unique<FindingsBuilder>(graph_, rule_, *by_bindings_, function_context(),
                                                limits(), options_.stable_ids.get());
        }
        ask_ahead(graph_, sets, i, sets.size());
        out.push_back(build_finding(*builder_, *sets[i]));
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
  f.title = util::lasting_text("Incomplete: " + rule_.title);
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
  f.title = util::lasting_text("Cannot judge: " + rule_.title);
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
  f.title = util::lasting_text("Cannot judge: " + rule_.title);
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
  for (auto& id : fingerprint_ids(graph_, u.bound, options_.stable_ids.get()))
    ids.push_back(std::move(id));
  f.fingerprint = fingerprint_of(rule_.id, std::move(ids));
  f.cannot_judge = true;
  return f;
}

query::FunctionContext RuleRunner::function_context() const {
  query::FunctionContext out{graph_, options_.as_of};
  out.reaches = options_.reaches.get();
  out.chain_shares = options_.chain_shares.get();
  return out;
}

query::ExecutionLimits RuleRunner::limits() const {
  query::ExecutionLimits out = options_.limits;
  out.started = started_;
  out.already_walked = walked_;
  return out;
}

}  // namespace twinscan::rules
