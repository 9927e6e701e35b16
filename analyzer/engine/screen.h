#pragma once

#include <string_view>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/catalogue.h"
#include "analyzer/engine/request.h"
#include "analyzer/engine/run_options.h"
#include "analyzer/engine/scan.h"

namespace twinscan::engine {

/// Screens `request`: runs every rule of `catalogue` anchored at what the request adds,
/// and returns the findings whose evidence includes at least one entity or relation of
/// it. A request that adds no Agreement and no relation is an error (kBadInput).
RunResult screen(const Request& request, const Catalogue& catalogue, const RunOptions& options,
                 diag::Diagnostics& diagnostics);

/// The verdict on a request's findings (those the reviewer sees, after suppressions):
/// "escalate" when any is high or critical, "review" when there is any, else "clear".
std::string_view verdict(const rules::FindingList& findings);

}  // namespace twinscan::engine
