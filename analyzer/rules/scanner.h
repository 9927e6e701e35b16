#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/query/executor.h"
#include "analyzer/rules/compiled_rule.h"
#include "analyzer/rules/finding.h"

namespace twinscan::rules {

/// A fault of the engine, not of the input: a finding whose evidence cannot be rebuilt.
/// Commands report it as an internal error (exit 70) rather than print a hollow finding.
struct EvidenceError : std::logic_error {
  using std::logic_error::logic_error;
};

struct ScanOptions {
  model::Date as_of;              ///< "Today" for deadline rules.
  ParamOverrides params;          ///< --param values.
  unsigned jobs = 1;              ///< Rules evaluated in parallel.
  query::ExecutionLimits limits;  ///< Per rule.
  /// Called after each rule with (rules done, rules in all), from the calling thread.
  std::function<void(std::size_t, std::size_t)> progress;
};

/// What a scan or a screening produced.
struct ScanResult {
  std::vector<Finding> findings;  ///< Ranked by finding_order.
  bool ok = true;                 ///< False when a rule failed to compile or to run.
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
