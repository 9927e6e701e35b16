// Samples 64 entities spread evenly over the kinds' entities, so the estimate is the
// same every time, and evaluates the condition on each with an Executor (not a bare
// Evaluator: the condition may hold an EXISTS, which needs a Matcher). A condition
// that cannot be evaluated counts as holding; the as-of date is not known when
// compiling, so date() reads as year 0 in the estimate.
#include "analyzer/query/plan_sampler.h"

#include <algorithm>
#include <span>

#include "analyzer/query/executor.h"

namespace twinscan::query {

double PlanSampler::fraction(const CompiledExpr& condition, Slot slot,
                             model::KindMask kinds) const {
  constexpr std::size_t kSamples = 64;
  std::vector<std::span<const model::VertexId>> lists;
  std::size_t total = 0;
  for (model::KindId k = 0; k < graph_.schema().kinds().size(); ++k) {
    if (kinds != 0 && !(kinds >> k & 1U)) continue;
    lists.push_back(graph_.vertices_of_kind(k));
    total += lists.back().size();
  }
  if (total == 0) return 1;
  ExecutionLimits limits;
  limits.max_expansions = 100'000;
  Executor executor(graph_, query_, FunctionContext{graph_, model::Date{}}, limits);
  const std::size_t samples = std::min(kSamples, total);
  std::size_t hits = 0;
  for (std::size_t i = 0; i < samples; ++i) {
    std::size_t at = i * total / samples;
    std::size_t list = 0;
    while (at >= lists[list].size()) at -= lists[list++].size();
    executor.frame()[slot] = Value::of_node(lists[list][at]);
    try {
      hits += executor.holds(condition) ? 1 : 0;
    } catch (const std::exception&) {
      ++hits;
    }
  }
  return std::max(0.5, static_cast<double>(hits)) / static_cast<double>(samples);
}

}  // namespace twinscan::query
