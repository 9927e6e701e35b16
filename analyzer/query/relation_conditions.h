// Conditions a walk checks on each relation as it goes, taken from a WHERE that asks them
// of every relation of a path: `all(r IN relationships(p) WHERE r.share >= 0.5)`.
#pragma once

#include "analyzer/query/plan.h"

namespace twinscan::query {

/// Gives each edge of `plan` the conditions that its WHERE asks of every relation on it
/// (PatternEdge::relation_conditions): a conjunct `all(r IN relationships(p) WHERE c)` over
/// a named path p, or `all(r IN rs WHERE c)` over the relations `rs` of a variable-length
/// edge, whose `c` reads nothing but r (and literals and parameters). The conjunct stays
/// where it is: a walk leaving out the relations that fail `c` only stops enumerating paths
/// that it would drop, which on cross-holdings are millions. Called again, it starts over.
void push_relation_conditions(SubPlan& plan);

}  // namespace twinscan::query
