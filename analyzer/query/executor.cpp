// Wires an Executor's matcher and evaluator to its frame and to each other (EXISTS).
#include "analyzer/query/executor.h"

namespace twinscan::query {

Executor::Executor(const model::Graph& graph, const CompiledQuery& query, FunctionContext context,
                   ExecutionLimits limits)
    : query_(query),
      frame_(query.variables.size()),
      evaluator_(graph, context, frame_),
      matcher_(graph, frame_, evaluator_, limits) {
  evaluator_.set_matcher(&matcher_);
}

}  // namespace twinscan::query
