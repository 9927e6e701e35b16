// One self-contained HTML page: the verdict, a summary by category and severity, and
// each finding with its rationale, evidence list and a drawing of its evidence.
#include <map>
#include <ostream>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "analyzer/report/evidence_drawing.h"
#include "analyzer/report/report_context.h"
#include "analyzer/util/html_text.h"

namespace twinscan::report {
namespace {

using util::escape_html;

// Names may be Hebrew or Arabic inside English text: isolate their direction.
std::string name_html(std::string_view name) {
  return "<bdi>" + escape_html(name) + "</bdi>";
}

// Messages reach the report as plain text, names already inserted into the rule's
// template. Each run of right-to-left text (from a Hebrew, Arabic or other RTL letter to
// the last one before a left-to-right letter, with the spaces, digits and punctuation
// between) is isolated in <bdi>, so that inside a dir="ltr" container a sentence that
// begins with a Hebrew name still reads left to right and the name keeps its own order.
// One pass over the text.
std::string isolate_rtl_runs(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  const auto n = static_cast<std::int32_t>(text.size());
  std::int32_t done = 0;        // Bytes before this are written.
  std::int32_t run_start = -1;  // Start of the open RTL run, if any.
  std::int32_t run_end = -1;    // End of its last RTL letter.
  auto close_run = [&] {
    if (run_start < 0) return;
    out += escape_html(
        text.substr(static_cast<std::size_t>(done), static_cast<std::size_t>(run_start - done)));
    out += "<bdi>";
    out += escape_html(text.substr(static_cast<std::size_t>(run_start),
                                   static_cast<std::size_t>(run_end - run_start)));
    out += "</bdi>";
    done = run_end;
    run_start = run_end = -1;
  };
  std::int32_t i = 0;
  while (i < n) {
    const std::int32_t at = i;
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c < 0) continue;
    const auto direction = u_charDirection(c);
    if (direction == U_RIGHT_TO_LEFT || direction == U_RIGHT_TO_LEFT_ARABIC) {
      if (run_start < 0) run_start = at;
      run_end = i;
    } else if (direction == U_LEFT_TO_RIGHT) {
      close_run();
    }
  }
  close_run();
  out += escape_html(text.substr(static_cast<std::size_t>(done)));
  return out;
}

// A message (or any sentence with names in it) in a left-to-right container.
std::string message_html(const char* element, std::string_view text) {
  return std::string("<") + element + " class=\"message\" dir=\"ltr\">" + isolate_rtl_runs(text) +
         "</" + element + ">";
}

constexpr const char* kStyle = R"css(
body{font-family:"DejaVu Sans",Arial,"Droid Sans Fallback","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:2em auto;max-width:70em;color:#111827;line-height:1.45}
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
      << escape_html(context.title) << "</title>\n<style>" << kStyle
      << "</style>\n</head>\n<body>\n";
  out << "<h1>" << escape_html(context.title) << "</h1>\n<p class=\"meta\">Twinscan "
      << TWINSCAN_VERSION << " · " << graph.entity_count() << " entities, "
      << graph.relation_count() << " relations · judged as of " << escape_html(context.as_of)
      << " · home country: "
      << (context.home_country.empty() ? std::string("not known (give --home-country)")
                                       : escape_html(home_country_label(context.home_country)))
      << "</p>\n";
  if (context.verdict) {
    out << "<div class=\"verdict " << escape_html(*context.verdict)
        << "\" id=\"verdict\">Verdict: " << escape_html(*context.verdict) << "</div>\n";
  }
  // Summary: categories by severity.
  std::map<std::string, std::map<rules::Severity, int>> counts;
  for (const auto& f : context.findings) ++counts[std::string(f.category)][f.severity];
  out << "<h2>Summary</h2>\n<p>" << context.findings.size() << " finding"
      << (context.findings.size() == 1 ? "" : "s") << ".</p>\n";
  if (!counts.empty()) {
    out << "<table class=\"summary\"><tr><th>Category</th>";
    for (int s = 4; s >= 0; --s)
      out << "<th>" << rules::to_string(static_cast<rules::Severity>(s)) << "</th>";
    out << "</tr>\n";
    for (const auto& [category, row] : counts) {
      out << "<tr><td>" << escape_html(category) << "</td>";
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
    out << "<section class=\"finding " << severity << "\" id=\"f-" << escape_html(f.fingerprint)
        << "\">\n";
    out << "<div><span class=\"sev\">" << severity << "</span> · <span class=\"rule\">"
        << escape_html(f.rule->id) << "</span> · " << escape_html(f.category);
    if (!context.baseline.empty() && context.baseline[i] == BaselineState::kNew) {
      out << " <span class=\"new\">new</span>";
    }
    out << "</div>\n<h3>" << escape_html(f.title) << "</h3>\n"
        << message_html("p", f.message) << "\n";
    out << "<details><summary>Why this matters</summary><p>" << escape_html(f.rule->rationale)
        << "</p>";
    if (!f.rule->remediation.empty())
      out << "<p><b>What to check:</b> " << escape_html(f.rule->remediation) << "</p>";
    out << "<p>References:</p><ul>";
    for (const auto& r : f.rule->references) out << "<li>" << escape_html(r) << "</li>";
    out << "</ul></details>\n";
    if (!f.relations.empty() || !f.entities.empty()) {
      const std::string svg = draw_evidence_svg(graph, f);
      out << "<div class=\"evidence\">" << svg << "</div>\n<ul class=\"rels\">";
      for (auto r : f.relations) {
        const auto from = graph.relation_source(r), to = graph.relation_target(r);
        out << "<li dir=\"ltr\">" << name_html(graph.name(from)) << " <code>"
            << escape_html(graph.id(from)) << "</code> —"
            << escape_html(graph.schema().relation(graph.relation_kind(r)).name) << "→ "
            << name_html(graph.name(to)) << " <code>" << escape_html(graph.id(to))
            << "</code></li>";
      }
      out << "</ul>\n";
    }
    out << "<div class=\"fp\">fingerprint " << escape_html(f.fingerprint) << "</div>\n</section>\n";
  }
  if (!context.resolved.empty()) {
    out << "<h2>Resolved since the baseline</h2>\n<ul>";
    for (const auto& r : context.resolved) {
      out << "<li dir=\"ltr\">" << escape_html(r.severity) << " <span class=\"rule\">"
          << escape_html(r.rule) << "</span>: " << message_html("span", r.message) << "</li>";
    }
    out << "</ul>\n";
  }
  if (!context.suppressed.empty()) {
    out << "<h2>Suppressed</h2>\n<ul>";
    for (const auto& s : context.suppressed) {
      out << "<li dir=\"ltr\"><span class=\"rule\">" << escape_html(s.finding.rule->id)
          << "</span>: " << message_html("span", s.finding.message) << " — "
          << isolate_rtl_runs(s.justification) << " (" << escape_html(s.author) << ", until "
          << escape_html(s.expires) << ")</li>";
    }
    out << "</ul>\n";
  }
  out << "</body>\n</html>\n";
}

}  // namespace twinscan::report
