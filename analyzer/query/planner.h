#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/query/compiled_query.h"
#include "analyzer/query/plan.h"

namespace twinscan::query {

/// The fraction of the entities that `slot` may take (of the kinds allowed to it) for
/// which `condition`, reading only `slot`, holds: an estimate from a sample.
using ConditionSampler =
    std::function<double(const CompiledExpr& condition, Slot slot, model::KindMask kinds)>;

/// Orders a sub-plan's work into steps: starts each connected part of the pattern at its
/// most selective node (an id lookup, else the kind with the fewest entities left once
/// the conditions on the node alone are applied: equalities count a tenth, others as
/// `sample` estimates when given; the firms of a walk up ownership chains read from the
/// chain shares rather than its fewer owners where firms_start_cheaper() says so),
/// expands along relations choosing the cheaper
/// direction, and places each condition right after the step that binds the last
/// variable it reads. `bound` marks slots bound before the plan runs. `first_from`, a
/// bound node slot, makes the first expansion start from it.
void plan_subplan(SubPlan& plan, const model::Graph& graph, const std::vector<Variable>& variables,
                  std::vector<bool> bound, const ConditionSampler& sample = {},
                  Slot first_from = kNoSlot);

/// The slots an expression reads that are not bound inside it.
void collect_free_slots(const CompiledExpr& expr, std::vector<Slot>& out);

/// The plan of a whole query: its leading MATCH clauses, then each clause after them.
std::string explain_query(const CompiledQuery& query, const model::Graph& graph,
                          std::string_view text);

/// A readable rendering of the plan, one step per line, for --explain.
std::string explain_plan(const SubPlan& plan, const model::Graph& graph,
                         const std::vector<Variable>& variables, std::string_view text,
                         int indent = 0);

}  // namespace twinscan::query
