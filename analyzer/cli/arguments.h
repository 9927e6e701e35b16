#pragma once

#include <string>
#include <vector>

#include "analyzer/engine/rule_parameters.h"
#include "analyzer/model/date.h"
#include "analyzer/query/compiled_query.h"
#include "analyzer/rules/rule.h"

namespace twinscan::cli {

/// Parses `NAME=VALUE` query parameters (`twinscan query --param`); prints a bad one and
/// returns false. Query parameters are free-form: the query names them.
bool parse_parameters(const std::vector<std::string>& params, query::Parameters& out);

/// Parses `--param NAME=VALUE` and `--param RULE-ID.NAME=VALUE`, appending to `out`;
/// prints a malformed one and returns false.
bool parse_rule_parameters(const std::vector<std::string>& params,
                           std::vector<engine::GivenParameter>& out);

/// Parses an --as-of date (empty: today); prints a bad one and returns false.
bool parse_as_of(const std::string& text, model::Date& out);

}  // namespace twinscan::cli
