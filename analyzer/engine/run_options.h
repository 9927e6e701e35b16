#pragma once

#include "analyzer/model/date.h"
#include "analyzer/query/executor.h"
#include "analyzer/util/parallel_for.h"

namespace twinscan::engine {

/// How a scan or a screening runs; the rule parameters come with the Catalogue.
struct RunOptions {
  model::Date as_of;              ///< "Today" for deadline rules.
  unsigned jobs = 1;              ///< Rules evaluated in parallel.
  query::ExecutionLimits limits;  ///< Per rule.
  util::Progress progress;        ///< (rules done, rules in all), from the calling thread.
};

}  // namespace twinscan::engine
