// The format table: every report format of scan and screen. It dispatches `--format`,
// lists its allowed values and help, and generates the list in docs/reports.md. Each
// writer is defined in its own file (`<name>_report.cpp`) and declared only here.
#include "analyzer/report/format_table.h"

#include <algorithm>
#include <stdexcept>

namespace twinscan::report {

void write_text_report(const ReportContext& context, std::ostream& out);
void write_json_report(const ReportContext& context, std::ostream& out);
void write_sarif_report(const ReportContext& context, std::ostream& out);
void write_html_report(const ReportContext& context, std::ostream& out);

const std::vector<FormatSpec>& format_table() {
  static const std::vector<FormatSpec> kTable = {
      {"text", "A summary, then one greppable line per finding and its evidence",
       write_text_report},
      {"json", "Verdict, findings, evidence and review state as one JSON document",
       write_json_report},
      {"sarif", "SARIF 2.1.0 for code-scanning tools, fingerprints included", write_sarif_report},
      {"html", "One self-contained page, each finding's evidence drawn as a graph",
       write_html_report},
  };
  return kTable;
}

const FormatSpec* find_format(std::string_view name) {
  for (const auto& spec : format_table()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

std::vector<std::string> format_names() {
  std::vector<std::string> names;
  for (const auto& spec : format_table()) names.emplace_back(spec.name);
  return names;
}

std::string formats_help() {
  std::size_t width = 0;
  for (const auto& spec : format_table())
    width = std::max(width, std::string_view(spec.name).size());
  std::string help = "Report format:";
  for (const auto& spec : format_table()) {
    const std::string name = spec.name;
    help += "\n  " + name + std::string(width + 2 - name.size(), ' ') + spec.summary;
  }
  return help;
}

std::string formats_markdown() {
  std::string table = "| `--format` | what it writes |\n|---|---|\n";
  for (const auto& spec : format_table())
    table += std::string("| `") + spec.name + "` | " + spec.summary + " |\n";
  return table;
}

void write_report(const ReportContext& context, std::string_view format, std::ostream& out) {
  const FormatSpec* spec = find_format(format);
  if (spec == nullptr)
    throw std::invalid_argument("no report format '" + std::string(format) + "'");
  spec->write(context, out);
}

}  // namespace twinscan::report
