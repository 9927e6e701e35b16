#pragma once

#include <ostream>
#include <string>

#include "analyzer/followup/indicators.h"
#include "analyzer/model/graph.h"

namespace twinscan::followup {

/// The formats `twinscan indicators` writes: "text", "json", "csv", "html".
bool is_indicator_format(const std::string& format);

/// The indicators in `format`: text (a table per indicator, names for ids), JSON
/// (`{"as_of", "by", "home_country", "indicators": [{"name", "group", "value"}],
/// "notes"}`, group values as ids and codes, null where not stated), CSV (one row per
/// indicator, a column per group key) or a standalone HTML page with charts.
std::string render_indicators(const model::Graph& graph, const Indicators& indicators,
                              const std::string& format);

/// The charts and the table of the HTML page, without the page around them and without
/// inline style or script: what the desk's follow-up page shows.
std::string indicator_sections_html(const model::Graph& graph, const Indicators& indicators);

}  // namespace twinscan::followup
