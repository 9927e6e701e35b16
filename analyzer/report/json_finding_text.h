#pragma once

#include <string>

#include "analyzer/model/graph.h"
#include "analyzer/report/report_context.h"
#include "analyzer/rules/finding.h"

namespace twinscan::report {

/// Appends one finding of a JSON report as the object RapidJSON's PrettyWriter (indent
/// of one space) writes at nesting depth `depth`: members on lines of their own,
/// indented by depth + 1, the closing brace by `depth`, with no leading line break.
/// Byte for byte the writer's text, so that findings can be rendered on several threads
/// and joined in order (json_report.cpp); tests/unit/json_report_test.cpp compares both.
void append_finding_json(std::string& out, const model::Graph& graph, const rules::Finding& f,
                         BaselineState state, unsigned depth);

}  // namespace twinscan::report
