#pragma once

#include <cstddef>

#include "analyzer/model/date.h"
#include "analyzer/query/executor.h"
#include "analyzer/rules/compiled_rule.h"
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
};

}  // namespace twinscan::rules
