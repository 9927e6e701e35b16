#pragma once

#include <iosfwd>
#include <string>

#include "analyzer/query/projection.h"

namespace twinscan::report {

enum class TableFormat { kTable, kJson, kCsv };

/// Writes query results: an aligned text table, JSON (`{"columns": [...], "rows":
/// [[...]]}`, entities and relations as their ids) or CSV (RFC 4180).
void write_table(const query::ResultTable& table, const model::Graph& graph, TableFormat format,
                 std::ostream& out);

/// Display width of UTF-8 text in terminal columns (East Asian wide characters count 2).
std::size_t display_width(std::string_view text);

}  // namespace twinscan::report
