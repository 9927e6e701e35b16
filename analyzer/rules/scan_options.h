#pragma once

#include <cstddef>
#include <memory>

#include "analyzer/model/date.h"
#include "analyzer/query/executor.h"
#include "analyzer/rules/compiled_rule.h"
#include "analyzer/rules/compiled_rule_cache.h"
#include "analyzer/util/parallel_for.h"

namespace twinscan::rules {

/// How a scan or a screening runs its rules.
struct ScanOptions {
  model::Date as_of;              ///< "Today" for deadline rules.
  ParamOverrides params;          ///< --param values.
  unsigned jobs = 1;              ///< Rules evaluated in parallel.
  query::ExecutionLimits limits;  ///< Per rule.
  /// Called after each rule with (rules done, rules in all), from the calling thread.
  util::Progress progress;
  /// Rules compiled for the registry this graph is a private copy of (screening on a
  /// server); null: each rule is compiled for the graph.
  std::shared_ptr<CompiledRuleCache> compiled_rules;
};

}  // namespace twinscan::rules
