// Samples 64 entities spread evenly over the kinds' entities, so the estimate is the
// same every time, and evaluates the condition on each with an Executor (not a bare
// Evaluator: the condition may hold an EXISTS, which needs a Matcher). A condition
// that cannot be evaluated counts as holding; the as-of date is not known when
// compiling, so date() reads as year 0 in the estimate.
#include "analyzer/query/plan_sampler.h"

#include <algorithm>

#include "analyzer/query/entity_sample.h"
#include "analyzer/query/executor.h"

namespace twinscan::query {

double PlanSampler::fraction(const CompiledExpr& condition, Slot slot,
                             model::KindMask kinds) const {
  constexpr std::size_t kSamples = 64;
  const std::vector<model::VertexId> sample = sample_entities(graph_, kinds, kSamples);
  if (sample.empty()) return 1;
  ExecutionLimits limits;
  limits.max_expansions = 100'000;
  Executor executor(graph_, query_, FunctionContext{graph_, model::Date{}}, limits);
  std::size_t hits = 0;
  for (const model::VertexId entity : sample) {
    executor.frame()[slot] = Value::of_node(entity);
    try {
      hits += executor.holds(condition) ? 1 : 0;
    } catch (const std::exception&) {
      ++hits;
    }
  }
  return std::max(0.5, static_cast<double>(hits)) / static_cast<double>(sample.size());
}

}  // namespace twinscan::query
