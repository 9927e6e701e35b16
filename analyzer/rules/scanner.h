#pragma once

#include <cstdint>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/rules/finding.h"
#include "analyzer/rules/finding_list.h"
#include "analyzer/rules/findings_builder.h"
#include "analyzer/rules/scan_options.h"

namespace twinscan::rules {

/// What a scan or a screening produced.
struct ScanResult {
  FindingList findings;  ///< Ranked by finding_order.
  bool ok = true;        ///< False when a rule failed to compile or to run.
};

/// Runs every rule over the whole graph. Rule problems go to `diagnostics`. The home
/// country is the `home_country` parameter when given (null: not known), else the one
/// country of the registry's municipalities.
ScanResult scan(const model::Graph& graph, const std::vector<Rule>& rules,
                const ScanOptions& options, diag::Diagnostics& diagnostics);

/// Runs every rule anchored at the entities and relations of document `request` only,
/// and returns the findings whose evidence includes at least one of them: the same
/// findings as a full scan filtered to the request, without scanning the whole graph.
ScanResult screen(const model::Graph& graph, const std::vector<Rule>& rules, std::uint32_t request,
                  const ScanOptions& options, diag::Diagnostics& diagnostics);

/// Keeps the findings whose evidence includes an entity or relation of document `request`.
std::vector<Finding> touching_document(const model::Graph& graph, std::vector<Finding> findings,
                                       std::uint32_t request);

}  // namespace twinscan::rules
