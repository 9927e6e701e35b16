#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/catalogue.h"
#include "analyzer/engine/outcome.h"
#include "analyzer/engine/registry.h"
#include "analyzer/engine/run_options.h"
#include "analyzer/rules/finding_list.h"

namespace twinscan::engine {

/// What a scan or a screening found.
struct RunResult {
  Outcome outcome = Outcome::kOk;  ///< kBadInput when a rule failed to compile or to run.
  rules::FindingList findings;     ///< Ranked by rules::finding_order.
  std::string home_country;        ///< The code the rules judged "foreign" by; empty: not known.
};

/// The home country a run judges by: the user's --home-country, else a `home_country`
/// parameter of the catalogue, else the registry's municipalities' one country (those of
/// document `leave_out`, a request being screened, not counted).
rules::HomeCountry home_country_of(const Registry& registry, const Catalogue& catalogue,
                                   std::optional<std::uint32_t> leave_out = std::nullopt);

/// Runs every rule of `catalogue` over the whole registry. Rule problems go to
/// `diagnostics`, and a warning when the home country is not known.
RunResult scan(const Registry& registry, const Catalogue& catalogue, const RunOptions& options,
               diag::Diagnostics& diagnostics);

}  // namespace twinscan::engine
