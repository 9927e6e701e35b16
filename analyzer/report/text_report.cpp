// The text report: the summary first (verdict, home country, counts by severity and by
// category), then the findings grouped by severity, worst first, one greppable line
// each (`SEVERITY rule-id: message [entities]`) with its evidence and fingerprint.
// Everything taken from the registry or a rule is escaped so that no name can forge a
// line of the report.
#include <map>
#include <ostream>
#include <set>

#include "analyzer/report/report_context.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::report {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The evidence lines of a finding. Relations that read the same (same kind, same ends)
// are told apart by their relation id and the place that states them.
std::vector<std::string> evidence_lines(const model::Graph& graph, const rules::Finding& f) {
  std::vector<model::RelationId> relations;
  std::set<model::RelationId> seen;
  for (auto r : f.relations) {
    if (seen.insert(r).second) relations.push_back(r);
  }
  std::vector<std::string> lines;
  std::map<std::string, int> times;
  for (auto r : relations) {
    lines.push_back(util::escape_for_terminal(describe_relation(graph, r)));
    ++times[lines.back()];
  }
  std::set<std::string> printed;
  for (std::size_t i = 0; i < relations.size(); ++i) {
    if (times[lines[i]] < 2) continue;
    const auto r = relations[i];
    const auto where = graph.relation_source_ref(r);
    std::string detail = " [relation " + util::escape_for_terminal(graph.relation_id(r));
    if (where.document < graph.documents().size()) {
      detail += ", stated in " + util::escape_for_terminal(graph.documents()[where.document]) +
                ":" + std::to_string(where.line);
    }
    detail += "]";
    std::string line = lines[i] + detail;
    // Same id and same place: the relation's position in the registry tells them apart.
    if (!printed.insert(line).second) {
      line += " #" + std::to_string(r);
      printed.insert(line);
    }
    lines[i] = std::move(line);
  }
  return lines;
}

void write_finding(const model::Graph& graph, const rules::Finding& f, bool is_new,
                   std::ostream& out) {
  out << upper(rules::to_string(f.severity)) << ' ' << util::escape_for_terminal(f.rule->id) << ": "
      << util::escape_for_terminal(f.message) << " [";
  const char* separator = "";
  for (const auto& [name, id] : f.bindings) {
    out << separator << util::escape_for_terminal(id);
    separator = ", ";
  }
  out << ']';
  if (is_new) out << " (new)";
  out << '\n';
  for (const auto& line : evidence_lines(graph, f)) out << "    " << line << '\n';
  out << "    fingerprint " << util::escape_for_terminal(f.fingerprint) << '\n';
}

}  // namespace

void write_text_report(const ReportContext& context, std::ostream& out) {
  const model::Graph& graph = *context.graph;
  // Summary.
  if (context.verdict) out << "verdict: " << util::escape_for_terminal(*context.verdict) << '\n';
  out << "Home country: "
      << (context.home_country.empty()
              ? std::string("not known (give --home-country)")
              : util::escape_for_terminal(home_country_label(context.home_country)))
      << '\n';
  std::map<rules::Severity, std::vector<std::size_t>> by_severity;
  std::map<std::string, std::size_t> by_category;
  for (std::size_t i = 0; i < context.findings.size(); ++i) {
    by_severity[context.findings[i].severity].push_back(i);
    ++by_category[std::string(context.findings[i].category)];
  }
  out << context.findings.size() << " finding" << (context.findings.size() == 1 ? "" : "s")
      << " in " << graph.entity_count() << " entities and " << graph.relation_count()
      << " relations";
  if (!context.suppressed.empty()) out << "; " << context.suppressed.size() << " suppressed";
  if (!context.resolved.empty())
    out << "; " << context.resolved.size() << " resolved since the baseline";
  out << '\n';
  if (!context.findings.empty()) {
    out << "  by severity: ";
    bool first = true;
    for (auto it = by_severity.rbegin(); it != by_severity.rend(); ++it) {
      out << (first ? "" : ", ") << it->second.size() << ' ' << rules::to_string(it->first);
      first = false;
    }
    out << "\n  by category: ";
    first = true;
    for (const auto& [category, count] : by_category) {
      out << (first ? "" : ", ") << util::escape_for_terminal(category) << ' ' << count;
      first = false;
    }
    out << '\n';
  }
  // Findings, a heading per severity, worst first.
  for (auto it = by_severity.rbegin(); it != by_severity.rend(); ++it) {
    out << "\n== " << upper(rules::to_string(it->first)) << " (" << it->second.size() << ") ==\n";
    for (const std::size_t i : it->second) {
      write_finding(graph, context.findings[i],
                    !context.baseline.empty() && context.baseline[i] == BaselineState::kNew, out);
    }
  }
  if (!context.resolved.empty()) {
    out << "\nResolved since the baseline:\n";
    for (const auto& r : context.resolved) {
      out << "  " << util::escape_for_terminal(r.severity) << ' '
          << util::escape_for_terminal(r.rule) << ": " << util::escape_for_terminal(r.message)
          << " (fingerprint " << util::escape_for_terminal(r.fingerprint) << ")\n";
    }
  }
  if (!context.suppressed.empty()) {
    out << "\nSuppressed:\n";
    for (const auto& s : context.suppressed) {
      out << "  " << util::escape_for_terminal(s.finding.rule->id) << ": "
          << util::escape_for_terminal(s.finding.message) << " — "
          << util::escape_for_terminal(s.justification) << " ("
          << util::escape_for_terminal(s.author) << ", until "
          << util::escape_for_terminal(s.expires) << ")\n";
    }
  }
}

}  // namespace twinscan::report
