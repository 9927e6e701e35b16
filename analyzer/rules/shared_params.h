#pragma once

#include <string_view>
#include <vector>

#include "analyzer/rules/rule.h"

namespace twinscan::rules {

/// The shared parameter holding the home country's code (null when not known).
inline constexpr std::string_view kHomeCountryParam = "home_country";

/// The parameters every rule of the catalogue may read (data/shared-params.json, built
/// in): the home country, the minor roles of a party, the countries of concern. A rule
/// that declares one of these names itself keeps its own default.
const std::vector<RuleParam>& shared_params();

/// The parameters `rule` reads with their defaults: the shared ones, then its own.
std::vector<RuleParam> declared_params(const Rule& rule);

}  // namespace twinscan::rules
