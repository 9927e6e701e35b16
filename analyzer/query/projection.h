#pragma once

#include <string>
#include <vector>

#include "analyzer/query/executor.h"

namespace twinscan::query {

/// The rows a RETURN clause produced.
struct ResultTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

/// Runs a query that has a RETURN clause: projects each match, groups and aggregates,
/// removes duplicates, orders, skips and limits.
ResultTable run_query(const model::Graph& graph, const CompiledQuery& query,
                      FunctionContext context, ExecutionLimits limits = {});

}  // namespace twinscan::query
