#pragma once

#include <optional>
#include <string>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/catalogue.h"
#include "analyzer/engine/registry.h"
#include "analyzer/engine/run_options.h"
#include "analyzer/rules/scan_options.h"

namespace twinscan::engine {

/// The options the rules run with: `options`, the catalogue's parameters and the home
/// country (home_country_of), which is also stored in `home_country` (empty: not known,
/// and a warning says so). `request`: the document being screened, which does not count
/// in inferring the home country.
rules::ScanOptions rule_options(const Registry& registry, const Catalogue& catalogue,
                                const RunOptions& options, std::string& home_country,
                                diag::Diagnostics& diagnostics,
                                std::optional<std::uint32_t> request = std::nullopt);

}  // namespace twinscan::engine
