#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analyzer/model/graph.h"

namespace twinscan::rules {

/// The overseeing country: what "domestic" and "foreign" mean for the rules.
struct HomeCountry {
  std::string code;         ///< ISO 3166-1 alpha-2, upper case; empty when not known.
  std::string origin;       ///< How it was found ("given", "the registry's municipalities").
  std::string why_unknown;  ///< When `code` is empty: why, and what to do.
  /// When `code` was given: the registry's municipalities that name another country,
  /// which the rules still judge as domestic (a wrong --home-country, or a registry of
  /// two countries); empty when none does.
  std::string disagreement;
};

/// Checks a code given with --home-country: an ISO 3166-1 alpha-2 or alpha-3 code of a
/// country ICU knows, in either case. Returns its alpha-2 code in upper case, or nothing.
std::optional<std::string> normalise_country_code(std::string_view code);

/// `given` (already normalised) when not empty; else the one country of the registry's
/// municipalities (those of document `leave_out` not counted: a request being screened
/// does not decide what is foreign); else unknown, with the reason.
HomeCountry resolve_home_country(const model::Graph& graph, const std::string& given,
                                 std::optional<std::uint32_t> leave_out = std::nullopt);

}  // namespace twinscan::rules
