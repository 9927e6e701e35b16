#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/query/compiled_query.h"

namespace twinscan::query {

/// Parses, checks and plans `text` for `graph`. Syntax and schema problems are appended
/// to `messages` (with spans into `text`); returns nothing when any is an error.
std::optional<CompiledQuery> prepare_query(std::string_view text, const model::Graph& graph,
                                           const Parameters& parameters,
                                           const CompileOptions& options,
                                           std::vector<QueryMessage>& messages);

/// Turns query messages into diagnostics at `file`, where the query text starts at
/// line `first_line`, column `first_column`, each with the query line and a caret.
void report_query_messages(const std::vector<QueryMessage>& messages, std::string_view text,
                           const std::string& file, diag::Diagnostics& diagnostics,
                           std::uint32_t first_line = 1, std::uint32_t first_column = 1);

/// Reads a command-line parameter value: a JSON literal (number, true, false, null,
/// "string", [list]) when it parses as one, otherwise the text itself.
Value parse_parameter_value(std::string_view text);

}  // namespace twinscan::query
