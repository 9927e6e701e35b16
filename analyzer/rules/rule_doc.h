#pragma once

#include <string>

#include "analyzer/rules/rule.h"

namespace twinscan::rules {

/// The documentation page of a rule (docs/rules/<id>.md), generated from the rule file:
/// summary, rationale, what to check, parameters, the match query, an example message
/// and the references.
std::string rule_doc_markdown(const Rule& rule);

}  // namespace twinscan::rules
