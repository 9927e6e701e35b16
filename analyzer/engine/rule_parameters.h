#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/outcome.h"
#include "analyzer/query/compiled_query.h"
#include "analyzer/rules/rule.h"

namespace twinscan::engine {

/// A rule parameter the user gave, and where, for diagnostics.
struct GivenParameter {
  std::string key;     ///< NAME (every rule that declares it) or RULE-ID.NAME (one rule).
  query::Value value;  ///< As read.
  std::string text;    ///< --param: the text after '='; a file: the value's JSON text.
  std::string where;   ///< "FILE:LINE:COL" of the key in a --params file; empty for --param.
};

/// Reads rule parameters from a JSON object file ({"NAME": value, "RULE-ID.NAME": value}),
/// appending to `out`; reports every problem with its position. Returns kOk,
/// kMissingInput or kBadInput.
Outcome read_parameter_file(const std::string& path, std::vector<GivenParameter>& out,
                            diag::Diagnostics& diagnostics);

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
/// taken as the text. Reports every problem and returns false; else fills `out` in order
/// (a later one wins).
bool check_parameters(const std::vector<GivenParameter>& given, const DeclaredParameters& declared,
                      query::Parameters& out, diag::Diagnostics& diagnostics);

}  // namespace twinscan::engine
