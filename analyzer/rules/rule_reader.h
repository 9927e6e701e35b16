#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/rules/rule.h"

namespace twinscan::rules {

/// Reads one rule file, validating it against the rule schema (data/rule.schema.json);
/// problems are reported with file, line and column and the JSON pointer of the value.
std::optional<Rule> read_rule(const diag::SourceText& source, diag::Diagnostics& diagnostics);

/// Reads every rule file (`*.json` whose format is "twinscan-rule/1") found under each
/// folder, recursively, or each file named. Rules come back sorted by id; a duplicate id
/// is an error. Sets `missing` when a path does not exist.
std::vector<Rule> load_rules(const std::vector<std::string>& paths, diag::Diagnostics& diagnostics,
                             bool& missing);

/// The bundled rules folder: $TWINSCAN_RULES, else rules/ of the source tree the binary
/// was built from.
std::string default_rules_dir();

}  // namespace twinscan::rules
