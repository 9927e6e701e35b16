#include "analyzer/engine/query.h"

#include <vector>

#include "analyzer/query/chain_share_cache.h"
#include "analyzer/query/planner.h"
#include "analyzer/query/query_engine.h"

namespace twinscan::engine {
namespace {

std::optional<query::CompiledQuery> prepare(const Registry& registry, const QuerySpec& spec,
                                            bool require_return, diag::Diagnostics& diagnostics) {
  query::CompileOptions options;
  options.require_return = require_return;
  options.default_max_hops = spec.max_hops;
  std::vector<query::QueryMessage> messages;
  auto compiled =
      query::prepare_query(spec.text, registry.graph(), spec.parameters, options, messages);
  query::report_query_messages(messages, spec.text, spec.source_name, diagnostics);
  return compiled;
}

}  // namespace

std::optional<query::ResultTable> query(const Registry& registry, const QuerySpec& spec,
                                        diag::Diagnostics& diagnostics) {
  const auto compiled = prepare(registry, spec, true, diagnostics);
  if (!compiled) return std::nullopt;
  try {
    const model::Graph& graph = registry.graph();
    // effective_share() walks up each firm's chains once, for every owner asked about.
    query::ChainShareCache shares(graph, spec.as_of,
                                  query::ChainShareCache::capacity_for(graph.entity_count()));
    query::FunctionContext context{graph, spec.as_of};
    context.chain_shares = &shares;
    return query::run_query(graph, *compiled, context, spec.limits);
  } catch (const query::LimitExceeded& e) {
    diagnostics.error({}, std::string("query stopped: ") + e.what());
  } catch (const query::EvaluationError& e) {
    diagnostics.error({}, std::string("query failed: ") + e.what());
  }
  return std::nullopt;
}

std::optional<std::string> explain(const Registry& registry, const QuerySpec& spec,
                                   diag::Diagnostics& diagnostics) {
  const auto compiled = prepare(registry, spec, false, diagnostics);
  if (!compiled) return std::nullopt;
  return query::explain_query(*compiled, registry.graph(), spec.text);
}

}  // namespace twinscan::engine
