#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/registry.h"
#include "analyzer/model/date.h"
#include "analyzer/query/compiled_query.h"
#include "analyzer/query/executor.h"
#include "analyzer/query/projection.h"

namespace twinscan::engine {

/// One query of the query language, and how to run it.
struct QuerySpec {
  std::string text;                     ///< MATCH … RETURN …
  std::string source_name = "<query>";  ///< Where the text came from, for diagnostics.
  query::Parameters parameters;         ///< Read as $NAME.
  model::Date as_of;                    ///< What date() returns.
  std::uint32_t max_hops = 8;           ///< Hop cap for * without an upper bound.
  query::ExecutionLimits limits;
};

/// Runs `spec` over the registry. Problems of the query (with the line and a caret),
/// and a search stopped by its limits, go to `diagnostics`; returns nothing then.
std::optional<query::ResultTable> query(const Registry& registry, const QuerySpec& spec,
                                        diag::Diagnostics& diagnostics);

/// The plan `spec` would run with (RETURN optional), or nothing when it does not compile.
std::optional<std::string> explain(const Registry& registry, const QuerySpec& spec,
                                   diag::Diagnostics& diagnostics);

}  // namespace twinscan::engine
