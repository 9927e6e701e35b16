#pragma once

#include <string>
#include <vector>

#include "analyzer/model/date.h"
#include "analyzer/query/compiled_query.h"

namespace twinscan::cli {

/// Parses `NAME=VALUE` command-line parameters; prints a bad one and returns false.
bool parse_parameters(const std::vector<std::string>& params, query::Parameters& out);

/// Reads rule parameters from a JSON object file ({"NAME": value}); prints a problem
/// with its position and returns false.
bool read_parameter_file(const std::string& path, query::Parameters& out);

/// Parses an --as-of date (empty: today); prints a bad one and returns false.
bool parse_as_of(const std::string& text, model::Date& out);

}  // namespace twinscan::cli
