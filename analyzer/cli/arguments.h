#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/model/date.h"
#include "analyzer/query/compiled_query.h"
#include "analyzer/rules/rule.h"

namespace twinscan::cli {

/// Parses `NAME=VALUE` query parameters (`twinscan query --param`); prints a bad one and
/// returns false. Query parameters are free-form: the query names them.
bool parse_parameters(const std::vector<std::string>& params, query::Parameters& out);

/// A rule parameter the user gave, and where, for diagnostics.
struct GivenParameter {
  std::string key;     ///< NAME (every rule that declares it) or RULE-ID.NAME (one rule).
  query::Value value;  ///< As read.
  std::string text;    ///< --param: the text after '='; a file: the value's JSON text.
  std::string where;   ///< "FILE:LINE:COL" of the key in a --params file; empty for --param.
};

/// Parses `--param NAME=VALUE` and `--param RULE-ID.NAME=VALUE`, appending to `out`;
/// prints a malformed one and returns false.
bool parse_rule_parameters(const std::vector<std::string>& params,
                           std::vector<GivenParameter>& out);

/// How reading a --params file went.
enum class ParameterFileStatus { kOk, kMissing, kInvalid };

/// Reads rule parameters from a JSON object file ({"NAME": value, "RULE-ID.NAME": value}),
/// appending to `out`; prints every problem with its position.
ParameterFileStatus read_parameter_file(const std::string& path, std::vector<GivenParameter>& out);

/// A parameter a rule declares, with the default whose type a given value must have.
struct DeclaredParameter {
  std::string name;
  query::Value default_value;
  std::string default_text;  ///< The default as written (JSON), for messages.
};

/// Rule id → the parameters that rule reads.
using DeclaredParameters = std::map<std::string, std::vector<DeclaredParameter>, std::less<>>;

/// The parameters the loaded rules declare, rule by rule, with their defaults: the one
/// place that says which rule parameters exist, against which --param and --params are
/// checked.
DeclaredParameters declared_parameters(const std::vector<rules::Rule>& rules);

/// Checks given parameters against the declared ones: the rule id and the parameter name
/// must exist (with the nearest name suggested when not), and the value must have the
/// type of the declared default (a number for a number, a list for a list, …). A string
/// parameter given on the command line as something else (`--param register=2024`) is
/// taken as the text. Prints every problem and returns false; else fills `out` in order
/// (a later one wins).
bool check_parameters(const std::vector<GivenParameter>& given, const DeclaredParameters& declared,
                      query::Parameters& out);

/// Parses an --as-of date (empty: today); prints a bad one and returns false.
bool parse_as_of(const std::string& text, model::Date& out);

}  // namespace twinscan::cli
