#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/catalogue.h"
#include "analyzer/engine/registry.h"
#include "analyzer/engine/run_options.h"

namespace twinscan::followup {

/// What indicators may be grouped by (--by).
enum class Dimension : std::uint8_t { kMunicipality, kCountry, kYear, kType, kStatus, kSector };

/// "municipality", "country", "year", "type", "status", "sector".
const char* to_string(Dimension dimension);
std::optional<Dimension> parse_dimension(std::string_view text);
/// Every dimension's name, comma-separated, for help and errors.
std::string dimension_names();

/// One count: `name` (ties, agreements, projects, notification, agreements-past-term,
/// notifications-coming-due), the group it counts (key, value; a value absent from the
/// registry is nullopt) and how many.
struct Indicator {
  std::string name;
  std::vector<std::pair<std::string, std::optional<std::string>>> group;
  std::uint64_t value = 0;
};

/// The indicators of a registry as of a date.
struct Indicators {
  std::string as_of;
  std::vector<Dimension> by;
  std::vector<Indicator> indicators;  ///< By name (in the order above), then group.
  /// Agreements signed per year (whatever `by` is), oldest first: the line of the charts.
  std::vector<std::pair<std::string, std::uint64_t>> agreements_per_year;
  std::uint64_t agreements_without_year = 0;
  /// The indicators counted (indicator_names() less those the catalogue cannot give);
  /// one of them without rows counted nothing.
  std::vector<std::string> counted;
  std::vector<std::string> notes;  ///< What could not be counted, and why.
  std::string home_country;        ///< Empty: not known.
};

/// The names of the indicators, in output order.
const std::vector<std::string>& indicator_names();

/// Counts ties (the national map's, each once however many sources state it and in
/// whichever direction), agreements by type and status, projects by sector and status,
/// notification compliance (judge_agreements), agreements past their term and
/// notifications coming due, each grouped by `by` where the dimension applies to it.
/// Returns false when a rule failed to run (diagnostics say why).
bool compute_indicators(const engine::Registry& registry, const engine::Catalogue& catalogue,
                        const engine::RunOptions& options, const std::vector<Dimension>& by,
                        Indicators& out, diag::Diagnostics& diagnostics);

}  // namespace twinscan::followup
