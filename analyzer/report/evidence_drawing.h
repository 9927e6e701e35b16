#pragma once

#include <string>

#include "analyzer/model/graph.h"
#include "analyzer/rules/finding.h"

namespace twinscan::report {

/// The evidence subgraph of a finding (its entities and relations) in Graphviz DOT.
std::string evidence_dot(const model::Graph& graph, const rules::Finding& finding);

/// A DOT graph laid out by Graphviz's dot as inline SVG; empty if Graphviz fails. Graphviz
/// is not thread-safe: callers on several threads take turns.
std::string dot_to_svg(const std::string& dot);

/// The evidence drawn as inline SVG by Graphviz's dot layout; empty if Graphviz fails.
std::string draw_evidence_svg(const model::Graph& graph, const rules::Finding& finding);

}  // namespace twinscan::report
