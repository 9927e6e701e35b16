// EXISTS answered from the texts an inner property takes (SubPlan::value_conjunct): the
// collection of those texts for one outer entity, and the answers read from it.
#include "analyzer/query/matcher.h"

#include <algorithm>
#include <utility>

#include "analyzer/query/functions.h"

namespace twinscan::query {

bool Matcher::answer_by_value(const SubPlan& plan, ValueSets& sets, int& answer) {
  const Value& outer_entity = frame_[plan.memo_slots.front()];
  if (outer_entity.type != Type::kNode) return false;
  // Another value (null, a date a text may equal, a number) is compared as written.
  const Value wanted = evaluator_.evaluate(*plan.memo_properties.front());
  if (wanted.type != Type::kString || sets.abandoned >= ValueSets::kGiveUp) return false;
  if (sets.of_vertex.empty()) sets.of_vertex.assign(graph_.entity_count(), {});
  const model::VertexId v = outer_entity.node;
  if (sets.of_vertex[v].end_plus_one == 0) sets.of_vertex[v] = collect_values(plan, sets);
  const ValueSets::Span span = sets.of_vertex[v];
  if (span.end_plus_one == ValueSets::kNotCollectable) return false;
  const std::uint32_t begin = span.begin;
  const std::uint32_t end = span.end_plus_one - 1;
  answer = 0;
  std::uint32_t why = CollectedValue::kNoReasons;
  for (std::uint32_t i = begin; i < end; ++i) {
    const CollectedValue& c = sets.values[i];
    if (c.view != wanted.text) continue;
    if (c.answer == 1) {
      answer = 1;
      return true;
    }
    if (answer == 0) {
      answer = kImprecise;
      why = c.why;
    }
  }
  if (answer == kImprecise) {
    const std::vector<Imprecision>& reasons = sets.reasons[why];
    std::vector<Imprecision>& pending = evaluator_.pending();
    pending.insert(pending.end(), reasons.begin(), reasons.end());
  }
  return true;
}

ValueSets::Span Matcher::collect_values(const SubPlan& plan, ValueSets& sets) {
  // Like exists(), the subquery runs as a query of its own, each match (sure or
  // undecided) noting its text rather than ending the run.
  ValueCollection collection;
  collection.plan = &plan;
  const std::size_t mark = open_notes_.size();
  const MatchCallback on_undecided = [&](const std::vector<Value>&) {
    collection.add(collection.current, collection.current_view, kImprecise,
                   {open_notes_.begin() + static_cast<std::ptrdiff_t>(mark), open_notes_.end()});
    return true;
  };
  const OwnRun own(*this, &on_undecided, &collection);
  // Every match is gone through, where the subquery asked for one value would stop at
  // the first and evaluate the conditions after the equality only for matches of that
  // value: the collection walks more relations the first time (and none after, so a run
  // may reach its limits elsewhere than before), and a condition that fails to evaluate
  // for another value's match must not fail the question. Such an entity is answered as
  // any other subquery, which fails, or not, as it always did.
  //
  // The slots free now (this subquery's, those of subqueries within it, those the
  // enclosing match has not bound yet) are the ones a run sets and, unwinding normally,
  // sets back to null; an error leaves them bound, and a bound relation slot would read
  // as a relation in use to the next run.
  std::vector<Slot> free_slots;
  for (std::size_t s = 0; s < frame_.size(); ++s) {
    if (frame_[s].type == Type::kNull) free_slots.push_back(static_cast<Slot>(s));
  }
  try {
    run(plan, 0, [&](const std::vector<Value>&) {
      collection.add(collection.current, collection.current_view, 1, {});
      return true;  // every text counts
    });
  } catch (const EvaluationError&) {
    collection.abandoned = true;
    for (const Slot s : free_slots) frame_[s] = Value::null();
  }
  return sets.keep(std::move(collection));
}

}  // namespace twinscan::query
