#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/report/report_context.h"

namespace twinscan::report {

/// Writes a whole report to `out`.
using ReportWriter = void (*)(const ReportContext& context, std::ostream& out);

/// A row of the format table: what `--format NAME` writes. A format is one file
/// defining its writer plus one row in format_table.cpp.
struct FormatSpec {
  const char* name;
  const char* summary;  ///< One line, for `--help` and docs/reports.md.
  ReportWriter write;
};

/// Every report format, in the order `--help` and the docs list them.
const std::vector<FormatSpec>& format_table();

/// The row named `name`, or nullptr when there is none.
const FormatSpec* find_format(std::string_view name);

/// The names of the formats, `--format`'s allowed values.
std::vector<std::string> format_names();

/// `--format`'s help: one line per format with its summary.
std::string formats_help();

/// The table of formats in docs/reports.md (a test keeps the page equal to it).
std::string formats_markdown();

/// Writes the report in the format named `format`; throws std::invalid_argument for a
/// name that is not in the table (the command line only lets table names through).
void write_report(const ReportContext& context, std::string_view format, std::ostream& out);

}  // namespace twinscan::report
