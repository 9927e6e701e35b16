// The sampling the planner uses to pick where a pattern starts: how selective a
// condition on one node is, estimated by evaluating it on a sample of entities.
#pragma once

#include "analyzer/query/compiled_query.h"

namespace twinscan::query {

/// Estimates conditions' selectivity on the graph a query was compiled for; passed to
/// plan_subplan as its ConditionSampler.
class PlanSampler {
 public:
  /// `query`: the compilation the conditions belong to (its variables and subqueries).
  PlanSampler(const model::Graph& graph, const CompiledQuery& query)
      : graph_(graph), query_(query) {}

  /// The fraction of a sample of the entities `slot` may take (of `kinds`, 0: any) for
  /// which `condition`, reading only `slot`, holds.
  double fraction(const CompiledExpr& condition, Slot slot, model::KindMask kinds) const;

 private:
  const model::Graph& graph_;
  const CompiledQuery& query_;
};

}  // namespace twinscan::query
