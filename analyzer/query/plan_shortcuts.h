// The shortcuts a run may take, decided once per plan when it is compiled: walks matched
// once per far end rather than once per path, EXISTS answers remembered by what they
// read of the enclosing match, EXISTS answers read from the values an inner property
// takes, and walks up ownership chains read from the shares a run keeps.
#pragma once

#include <optional>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/query/plan.h"

namespace twinscan::query {

/// Marks the variable-length relations of `plan` that may be matched once per far end
/// (see PatternEdge::endpoints_only); for plans whose matches are kept distinct only.
void mark_endpoint_walks(SubPlan& plan);

/// Works out what an EXISTS subquery's answer depends on (SubPlan::memo_slots and
/// SubPlan::memo_properties), so that the matcher can remember it.
void plan_memo(SubPlan& plan);

/// Decides, once `plan` (an EXISTS, after plan_memo and planning) has its steps, whether
/// its answer may be read from the values an inner property takes (SubPlan::value_conjunct)
/// and writes the steps that collect them.
void plan_value_key(SubPlan& plan);

/// Marks the steps of `steps` (planned for `plan` over `graph`) that walk up ownership
/// chains to owners a later filter keeps only at an effective share of at least a
/// positive number (see Step::owner_share_floor).
void mark_owner_share_walks(const SubPlan& plan, const model::Graph& graph,
                            std::vector<Step>& steps);

/// A variable-length relation of a plan, not yet walked, that mark_owner_share_walks
/// would read from the chain shares once its firm end is bound: its ends, and the
/// lowest share a filter of the plan keeps.
struct OwnerShareEdge {
  int edge = -1;
  Slot firm = kNoSlot;
  Slot owner = kNoSlot;
  double floor = 0;
};

/// The relation of `plan` up ownership chains to `owner` whose far ends a condition keeps
/// only at an effective share above 0, if there is one.
std::optional<OwnerShareEdge> owner_share_edge_to(const SubPlan& plan, const model::Graph& graph,
                                                  Slot owner);

/// Whether a plan that would start at the owners of `walk` (the fewer) does less work
/// starting at its firms: each firm then costs the working out of its chain shares, which
/// a scan keeps, while each owner costs a walk down to every firm below it and the same
/// working out for each. The pairs are counted above a sample of the firms; of the
/// owners, the fraction `owners_started` that the conditions on them leave to start from.
bool firms_start_cheaper(const SubPlan& plan, const model::Graph& graph,
                         const std::vector<Variable>& variables, const OwnerShareEdge& walk,
                         double owners_started);

}  // namespace twinscan::query
