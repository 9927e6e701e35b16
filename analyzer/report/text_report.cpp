#include <map>
#include <ostream>

#include "analyzer/report/report_context.h"

namespace twinscan::report {

std::string describe_relation(const model::Graph& graph, model::RelationId r) {
  const auto from = graph.relation_source(r);
  const auto to = graph.relation_target(r);
  return std::string(graph.name(from)) + " (" + std::string(graph.id(from)) + ") -[" +
         graph.schema().relation(graph.relation_kind(r)).name + "]-> " +
         std::string(graph.name(to)) + " (" + std::string(graph.id(to)) + ")";
}

void write_report(const ReportContext& context, ReportFormat format, std::ostream& out) {
  switch (format) {
    case ReportFormat::kText:
      return write_text_report(context, out);
    case ReportFormat::kJson:
      return write_json_report(context, out);
    case ReportFormat::kSarif:
      return write_sarif_report(context, out);
    case ReportFormat::kHtml:
      return write_html_report(context, out);
  }
}

// One greppable line per finding, `SEVERITY rule-id: message [entities]`, then its
// evidence, then a summary.
void write_text_report(const ReportContext& context, std::ostream& out) {
  const model::Graph& graph = *context.graph;
  if (context.verdict) out << "verdict: " << *context.verdict << "\n\n";
  std::map<rules::Severity, std::size_t> by_severity;
  for (std::size_t i = 0; i < context.findings.size(); ++i) {
    const rules::Finding& f = context.findings[i];
    ++by_severity[f.severity];
    std::string severity(rules::to_string(f.severity));
    for (auto& c : severity) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out << severity << ' ' << f.rule->id << ": " << f.message << " [";
    for (std::size_t b = 0; b < f.bindings.size(); ++b)
      out << (b ? ", " : "") << f.bindings[b].second;
    out << ']';
    if (!context.baseline.empty() && context.baseline[i] == BaselineState::kNew) out << " (new)";
    out << '\n';
    for (auto r : f.relations) out << "    " << describe_relation(graph, r) << '\n';
    out << "    fingerprint " << f.fingerprint << '\n';
  }
  if (!context.resolved.empty()) {
    out << "\nResolved since the baseline:\n";
    for (const auto& r : context.resolved) {
      out << "  " << r.severity << ' ' << r.rule << ": " << r.message << " (fingerprint "
          << r.fingerprint << ")\n";
    }
  }
  if (!context.suppressed.empty()) {
    out << "\nSuppressed:\n";
    for (const auto& s : context.suppressed) {
      out << "  " << s.finding.rule->id << ": " << s.finding.message << " — " << s.justification
          << " (" << s.author << ", until " << s.expires << ")\n";
    }
  }
  out << (context.findings.empty() ? "" : "\n") << context.findings.size() << " finding"
      << (context.findings.size() == 1 ? "" : "s");
  if (!context.findings.empty()) {
    out << " (";
    bool first = true;
    for (int s = 4; s >= 0; --s) {
      const auto it = by_severity.find(static_cast<rules::Severity>(s));
      if (it == by_severity.end()) continue;
      out << (first ? "" : ", ") << it->second << ' ' << rules::to_string(it->first);
      first = false;
    }
    out << ')';
  }
  out << " in " << graph.entity_count() << " entities and " << graph.relation_count()
      << " relations\n";
}

}  // namespace twinscan::report
