#pragma once

#include <cstdint>
#include <vector>

#include "analyzer/model/graph.h"
#include "analyzer/rules/rule_runner.h"

namespace twinscan::rules {

/// What a request adds: its entities and relations.
struct RequestElements {
  std::vector<model::VertexId> entities;
  std::vector<model::RelationId> relations;
};

/// The entities and relations of document `request`.
RequestElements request_elements(const model::Graph& graph, std::uint32_t request);

/// Screening's anchoring. A match touching the request holds a request entity at some
/// node, a request relation at some fixed relation element, or a request element inside
/// a walked segment; each case is run anchored there (runner.collect()), so screening
/// costs what the request's neighbourhood costs. Returns false when an anchored form of
/// the rule does not compile (problems reported).
bool collect_anchored(RuleRunner& runner, const model::Graph& graph,
                      const RequestElements& request);

}  // namespace twinscan::rules
