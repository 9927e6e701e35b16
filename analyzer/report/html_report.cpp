// One self-contained HTML page: the verdict, a summary by category and severity, and
// each finding with its rationale, evidence list and a drawing of its evidence.
#include <map>
#include <ostream>

#include "analyzer/report/evidence_drawing.h"
#include "analyzer/report/report_context.h"

namespace twinscan::report {
namespace {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Names may be Hebrew or Arabic inside English text: isolate their direction.
std::string name_html(std::string_view name) {
  return "<bdi>" + escape(name) + "</bdi>";
}

constexpr const char* kStyle = R"css(
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:70em;color:#111827;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}.meta{color:#6b7280;font-size:.9em}
.verdict{display:inline-block;padding:.4em 1em;border-radius:.4em;font-weight:bold;font-size:1.2em;margin:.6em 0}
.verdict.escalate{background:#fee2e2;color:#991b1b}.verdict.review{background:#fef3c7;color:#92400e}.verdict.clear{background:#dcfce7;color:#166534}
table.summary{border-collapse:collapse;margin:1em 0}table.summary td,table.summary th{border:1px solid #e5e7eb;padding:.3em .8em;text-align:right}
table.summary th:first-child,table.summary td:first-child{text-align:left}
.finding{border:1px solid #e5e7eb;border-left:6px solid #9ca3af;border-radius:.4em;padding:.8em 1.2em;margin:1.2em 0}
.finding.critical{border-left-color:#7f1d1d}.finding.high{border-left-color:#dc2626}.finding.medium{border-left-color:#f59e0b}.finding.low{border-left-color:#3b82f6}.finding.info{border-left-color:#9ca3af}
.sev{font-weight:bold;text-transform:uppercase;font-size:.8em;letter-spacing:.05em}.rule{font-family:monospace;color:#374151}
.new{background:#dbeafe;color:#1e40af;border-radius:.3em;padding:0 .4em;font-size:.8em}
.evidence svg{max-width:100%;height:auto}ul.rels{font-size:.9em;color:#374151}.fp{font-family:monospace;color:#9ca3af;font-size:.8em}
details summary{cursor:pointer;color:#374151}
)css";

}  // namespace

void write_html_report(const ReportContext& context, std::ostream& out) {
  const model::Graph& graph = *context.graph;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
      << escape(context.title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
  out << "<h1>" << escape(context.title) << "</h1>\n<p class=\"meta\">Twinscan " << TWINSCAN_VERSION
      << " · " << graph.entity_count() << " entities, " << graph.relation_count()
      << " relations · judged as of " << escape(context.as_of) << "</p>\n";
  if (context.verdict) {
    out << "<div class=\"verdict " << escape(*context.verdict)
        << "\" id=\"verdict\">Verdict: " << escape(*context.verdict) << "</div>\n";
  }
  // Summary: categories by severity.
  std::map<std::string, std::map<rules::Severity, int>> counts;
  for (const auto& f : context.findings) ++counts[f.category][f.severity];
  out << "<h2>Summary</h2>\n<p>" << context.findings.size() << " finding"
      << (context.findings.size() == 1 ? "" : "s") << ".</p>\n";
  if (!counts.empty()) {
    out << "<table class=\"summary\"><tr><th>Category</th>";
    for (int s = 4; s >= 0; --s)
      out << "<th>" << rules::to_string(static_cast<rules::Severity>(s)) << "</th>";
    out << "</tr>\n";
    for (const auto& [category, row] : counts) {
      out << "<tr><td>" << escape(category) << "</td>";
      for (int s = 4; s >= 0; --s) {
        const auto it = row.find(static_cast<rules::Severity>(s));
        out << "<td>" << (it == row.end() ? 0 : it->second) << "</td>";
      }
      out << "</tr>\n";
    }
    out << "</table>\n";
  }
  out << "<h2>Findings</h2>\n";
  for (std::size_t i = 0; i < context.findings.size(); ++i) {
    const rules::Finding& f = context.findings[i];
    const std::string severity(rules::to_string(f.severity));
    out << "<section class=\"finding " << severity << "\" id=\"f-" << escape(f.fingerprint)
        << "\">\n";
    out << "<div><span class=\"sev\">" << severity << "</span> · <span class=\"rule\">"
        << escape(f.rule->id) << "</span> · " << escape(f.category);
    if (!context.baseline.empty() && context.baseline[i] == BaselineState::kNew) {
      out << " <span class=\"new\">new</span>";
    }
    out << "</div>\n<h3>" << escape(f.title) << "</h3>\n<p dir=\"auto\">" << escape(f.message)
        << "</p>\n";
    out << "<details><summary>Why this matters</summary><p>" << escape(f.rule->rationale) << "</p>";
    if (!f.rule->remediation.empty())
      out << "<p><b>What to check:</b> " << escape(f.rule->remediation) << "</p>";
    out << "<p>References:</p><ul>";
    for (const auto& r : f.rule->references) out << "<li>" << escape(r) << "</li>";
    out << "</ul></details>\n";
    if (!f.relations.empty() || !f.entities.empty()) {
      const std::string svg = draw_evidence_svg(graph, f);
      out << "<div class=\"evidence\">" << svg << "</div>\n<ul class=\"rels\">";
      for (auto r : f.relations) {
        const auto from = graph.relation_source(r), to = graph.relation_target(r);
        out << "<li>" << name_html(graph.name(from)) << " <code>" << escape(graph.id(from))
            << "</code> —" << escape(graph.schema().relation(graph.relation_kind(r)).name) << "→ "
            << name_html(graph.name(to)) << " <code>" << escape(graph.id(to)) << "</code></li>";
      }
      out << "</ul>\n";
    }
    out << "<div class=\"fp\">fingerprint " << escape(f.fingerprint) << "</div>\n</section>\n";
  }
  if (!context.resolved.empty()) {
    out << "<h2>Resolved since the baseline</h2>\n<ul>";
    for (const auto& r : context.resolved) {
      out << "<li>" << escape(r.severity) << " <span class=\"rule\">" << escape(r.rule)
          << "</span>: " << escape(r.message) << "</li>";
    }
    out << "</ul>\n";
  }
  if (!context.suppressed.empty()) {
    out << "<h2>Suppressed</h2>\n<ul>";
    for (const auto& s : context.suppressed) {
      out << "<li><span class=\"rule\">" << escape(s.finding.rule->id)
          << "</span>: " << escape(s.finding.message) << " — " << escape(s.justification) << " ("
          << escape(s.author) << ", until " << escape(s.expires) << ")</li>";
    }
    out << "</ul>\n";
  }
  out << "</body>\n</html>\n";
}

}  // namespace twinscan::report
