// Two shortcuts a run may take, decided once per plan when it is compiled: walks matched
// once per far end rather than once per path, and EXISTS answers remembered by what
// they read of the enclosing match.
#pragma once

#include "analyzer/query/plan.h"

namespace twinscan::query {

/// Marks the variable-length relations of `plan` that may be matched once per far end
/// (see PatternEdge::endpoints_only); for plans whose matches are kept distinct only.
void mark_endpoint_walks(SubPlan& plan);

/// Works out what an EXISTS subquery's answer depends on (SubPlan::memo_slots and
/// SubPlan::memo_properties), so that the matcher can remember it.
void plan_memo(SubPlan& plan);

}  // namespace twinscan::query
