// The national map as one self-contained HTML page for reviewers: a table of ties by
// sources, discrepancies marked, and filters that hide rows. Everything the page needs is
// inline; every value read from the registry is escaped; the script reads only the rows'
// data attributes, which hold numbers and issue kinds, never registry text.
#include <map>
#include <ostream>
#include <set>

#include "analyzer/reconcile/map_writers.h"
#include "analyzer/util/html_text.h"

namespace twinscan::reconcile {

namespace {

using util::escape_html;

/// A name in its own direction (a Hebrew or Arabic name does not reorder what follows).
std::string name_html(std::string_view name) {
  return "<bdi>" + escape_html(name) + "</bdi>";
}

std::string country(const model::Graph& graph, model::VertexId v) {
  util::Sym key = 0;
  if (!graph.strings().find("country", key)) return {};
  const model::Value* value = graph.property(v, key);
  if (!value || value->type != model::ValueType::kString) return {};
  return std::string(graph.str(value->string));
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

constexpr const char* kStyle = R"CSS(
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
  margin: 1.5em; color: #1d1d1f; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.5em; }
.meta { color: #555; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.55em; vertical-align: top; text-align: left; }
th { background: #f2f2f4; }
th small, td small { color: #666; font-weight: normal; }
tr[hidden] { display: none; }
tr.has-issues > td:first-child { border-left: 4px solid #c0392b; }
tr.consistent > td:first-child { border-left: 4px solid #2e8b57; }
td.stated { background: #eef8f0; white-space: nowrap; }
.missing { background: #fde2e0; color: #a01c10; font-weight: bold; }
.outside { background: #f4f4f4; color: #999; text-align: center; }
td.ended-cell { background: #fff4d6; }
mark { background: #ffd54f; padding: 0 0.15em; }
.ended { color: #8a5a00; font-weight: bold; }
td.issue-list ul { margin: 0; padding-left: 1.1em; }
td.issue-list .none { color: #2e8b57; }
.filters { display: flex; flex-wrap: wrap; gap: 0.8em 1.2em; align-items: center; margin: 0.8em 0;
  padding: 0.6em 0.8em; background: #f7f7f9; border: 1px solid #ddd; }
.filters label { display: flex; gap: 0.4em; align-items: center; }
.legend span { padding: 0 0.3em; }
#shown { color: #555; }
)CSS";

constexpr const char* kScript = R"JS(
(function () {
  var byMunicipality = document.getElementById('filter-municipality');
  var bySource = document.getElementById('filter-source');
  var byIssue = document.getElementById('filter-issue');
  var byText = document.getElementById('filter-text');
  var rows = document.querySelectorAll('#ties tbody tr');
  function has(row, attribute, word) {
    return (row.getAttribute(attribute) || '').indexOf(' ' + word + ' ') >= 0;
  }
  function apply() {
    var m = byMunicipality.value, s = bySource.value, k = byIssue.value;
    var t = byText.value.trim().toLowerCase(), shown = 0;
    for (var i = 0; i < rows.length; ++i) {
      var row = rows[i], ok = true;
      var kinds = (row.getAttribute('data-kinds') || '').trim();
      if (m !== '' && row.getAttribute('data-municipality') !== m) ok = false;
      if (ok && k === 'any') ok = kinds !== '';
      if (ok && k === 'none') ok = kinds === '';
      if (ok && k !== '' && k !== 'any' && k !== 'none') {
        ok = s !== '' ? has(row, 'data-pairs', k + ':' + s) : has(row, 'data-kinds', k);
      } else if (ok && s !== '') {
        ok = has(row, 'data-involved', s);
      }
      if (ok && t !== '') ok = row.textContent.toLowerCase().indexOf(t) >= 0;
      row.hidden = !ok;
      if (ok) ++shown;
    }
    document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' ties shown';
  }
  // Filters may be given in the address: page.html#issue=missing-from&source=0.
  var given = location.hash.replace(/^#/, '').split('&');
  var fields = {municipality: byMunicipality, source: bySource, issue: byIssue, text: byText};
  for (var j = 0; j < given.length; ++j) {
    var eq = given[j].indexOf('=');
    if (eq < 0) continue;
    var field = fields[given[j].slice(0, eq)];
    if (field) field.value = decodeURIComponent(given[j].slice(eq + 1));
  }
  byMunicipality.addEventListener('change', apply);
  bySource.addEventListener('change', apply);
  byIssue.addEventListener('change', apply);
  byText.addEventListener('input', apply);
  apply();
})();
)JS";

}  // namespace

void write_html(const model::Graph& graph, const NationalMap& map, std::ostream& out) {
  const auto& sources = graph.sources();
  const Summary& sum = map.summary;
  // The columns: the sources that list ties (the others are in the sources table).
  std::vector<std::uint32_t> columns;
  for (std::uint32_t s = 0; s < sources.size(); ++s) {
    if (map.scopes[s].lists_ties) columns.push_back(s);
  }
  // The municipalities of the filter, in the order of the ties.
  std::map<model::VertexId, std::size_t> municipality_index;
  std::vector<model::VertexId> municipalities;
  for (const auto& tie : map.ties) {
    if (municipality_index.emplace(tie.municipality, municipalities.size()).second)
      municipalities.push_back(tie.municipality);
  }

  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>National map of twin-city ties</title>\n<style>"
      << kStyle << "</style>\n</head>\n<body>\n";
  out << "<h1>National map of twin-city ties</h1>\n<p class=\"meta\">As of "
      << escape_html(map.as_of.to_string()) << " · " << plural(sum.ties, "tie", "ties") << " · "
      << sum.ties - sum.ties_with_issues << " consistent · " << sum.ties_with_issues
      << " with issues (" << sum.missing_from << " missing, "
      << plural(sum.disagree, "disagreement", "disagreements") << ", " << sum.ended_and_active
      << " ended in some sources but active in others) · "
      << sum.by_state[static_cast<std::size_t>(model::TieState::kEnded)] << " ended, "
      << sum.by_state[static_cast<std::size_t>(model::TieState::kNotYetBegun)]
      << " not yet begun · " << plural(sum.foreign_ties, "tie", "ties")
      << " between two foreign cities not listed</p>\n";

  out << "<h2>Sources</h2>\n<table class=\"sources\">\n<thead><tr><th>Source</th><th>Name</th>"
         "<th>Role</th><th>Held to</th></tr></thead>\n<tbody>\n";
  for (std::uint32_t s = 0; s < sources.size(); ++s) {
    out << "<tr><td><code>" << escape_html(sources[s].id) << "</code></td><td>"
        << name_html(sources[s].name) << "</td><td>"
        << escape_html(sources[s].role.empty() ? "(none)" : sources[s].role) << "</td><td>"
        << escape_html(describe_scope(graph, sources[s], map.scopes[s])) << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n";

  out << "<h2>Ties</h2>\n<div class=\"filters\" id=\"filters\">\n"
         "<label>Municipality <select id=\"filter-municipality\">"
         "<option value=\"\">all</option>";
  for (std::size_t i = 0; i < municipalities.size(); ++i) {
    out << "<option value=\"" << i << "\">" << escape_html(graph.name(municipalities[i])) << " ("
        << escape_html(graph.id(municipalities[i])) << ")</option>";
  }
  out << "</select></label>\n<label>Source <select id=\"filter-source\">"
         "<option value=\"\">all</option>";
  for (const auto s : columns) {
    out << "<option value=\"" << s << "\">" << escape_html(sources[s].id) << "</option>";
  }
  out << "</select></label>\n<label>Issue <select id=\"filter-issue\">"
         "<option value=\"\">all ties</option>"
         "<option value=\"any\">any issue</option>"
         "<option value=\"none\">consistent</option>"
         "<option value=\"missing-from\">missing from a source</option>"
         "<option value=\"disagree\">sources disagree</option>"
         "<option value=\"ended-and-active\">ended in some, active in others</option>"
         "</select></label>\n<label>Search <input type=\"search\" id=\"filter-text\" "
         "placeholder=\"a name or id\"></label>\n<span id=\"shown\"></span>\n</div>\n";
  out << "<p class=\"legend\">✓ the source states the tie (with its dates) · "
         "<span class=\"missing\">missing</span> the source's scope covers the tie but it "
         "does not state it · <span class=\"outside\">—</span> outside the source's scope · "
         "<mark>marked</mark> a value the sources disagree on · <span class=\"ended\">ended</span> "
         "the source says the tie had ended by "
      << escape_html(map.as_of.to_string()) << "</p>\n";

  out << "<table id=\"ties\">\n<thead><tr><th>Municipality</th><th>Counterpart</th>";
  for (const auto s : columns) {
    out << "<th><code>" << escape_html(sources[s].id) << "</code><br><small>"
        << escape_html(sources[s].role.empty() ? "(no role)" : sources[s].role) << "</small></th>";
  }
  out << "<th>Issues</th></tr></thead>\n<tbody>\n";
  for (const auto& tie : map.ties) {
    std::set<std::string> disagreed;
    std::set<std::uint32_t> ended;
    std::string kinds = " ";
    std::string pairs = " ";
    std::set<std::string> seen_kinds;
    auto add_pair = [&pairs](IssueKind kind, std::uint32_t s) {
      pairs += std::string(to_string(kind)) + ":" + std::to_string(s) + " ";
    };
    for (const auto& issue : tie.issues) {
      if (seen_kinds.insert(to_string(issue.kind)).second)
        kinds += std::string(to_string(issue.kind)) + " ";
      switch (issue.kind) {
        case IssueKind::kMissingFrom:
          add_pair(issue.kind, issue.source);
          break;
        case IssueKind::kDisagree:
          disagreed.insert(issue.disagreement.property);
          for (const auto& [value, by] : issue.disagreement.values) {
            for (const auto s : by) add_pair(issue.kind, s);
          }
          break;
        case IssueKind::kEndedAndActive:
          for (const auto s : issue.ended_in) {
            ended.insert(s);
            add_pair(issue.kind, s);
          }
          for (const auto s : issue.active_in) add_pair(issue.kind, s);
          break;
      }
    }
    std::string involved = " ";
    for (const auto s : columns) {
      if (tie.states(s) || tie.holds(s)) involved += std::to_string(s) + " ";
    }
    out << "<tr class=\"" << (tie.issues.empty() ? "consistent" : "has-issues")
        << "\" data-municipality=\"" << municipality_index[tie.municipality]
        << "\" data-involved=\"" << involved << "\" data-kinds=\"" << kinds << "\" data-pairs=\""
        << pairs << "\">";
    out << "<td>" << name_html(graph.name(tie.municipality)) << "<br><small>"
        << escape_html(graph.id(tie.municipality)) << "</small></td>";
    out << "<td>" << name_html(graph.name(tie.counterpart)) << "<br><small>"
        << escape_html(graph.id(tie.counterpart));
    if (const auto c = country(graph, tie.counterpart); !c.empty()) out << " · " << escape_html(c);
    out << "</small></td>";
    for (const auto s : columns) {
      const model::TieStatement* st = nullptr;
      for (const auto& x : tie.statements) {
        if (x.source == s) st = &x;
      }
      if (!st) {
        if (tie.holds(s)) {
          out << "<td class=\"missing\" title=\"" << escape_html(sources[s].id)
              << " should state this tie but does not\">missing</td>";
        } else {
          out << "<td class=\"outside\" title=\"outside the scope of " << escape_html(sources[s].id)
              << "\">—</td>";
        }
        continue;
      }
      const bool is_ended = ended.count(s) > 0;
      out << "<td class=\"stated" << (is_ended ? " ended-cell" : "") << "\">✓";
      const std::optional<model::Value>* values[3] = {&st->since, &st->until, &st->status};
      for (int i = 0; i < 3; ++i) {
        if (!*values[i]) continue;
        const std::string property = model::kTieProperties[i];
        const std::string text =
            escape_html(property) + " " + escape_html(plain_text(graph, **values[i]));
        out << "<br>"
            << (disagreed.count(property) ? "<mark>" + text + "</mark>"
                                          : "<small>" + text + "</small>");
      }
      if (is_ended) out << "<br><span class=\"ended\">ended</span>";
      out << "</td>";
    }
    out << "<td class=\"issue-list\">";
    if (tie.issues.empty()) {
      out << "<span class=\"none\">consistent</span>";
    } else {
      out << "<ul>";
      for (const auto& issue : tie.issues) {
        out << "<li>" << escape_html(describe_issue(graph, map, issue)) << "</li>";
      }
      out << "</ul>";
    }
    if (tie.state == model::TieState::kEnded) {
      out << "<br><span class=\"ended\">ended by " << escape_html(map.as_of.to_string())
          << " in every source</span>";
    } else if (tie.state == model::TieState::kNotYetBegun) {
      out << "<br><span class=\"ended\">not yet begun on " << escape_html(map.as_of.to_string())
          << "</span>";
    }
    out << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n";
  if (map.ties.empty()) out << "<p>No ties between a municipality and a counterpart.</p>\n";
  out << "<script>" << kScript << "</script>\n</body>\n</html>\n";
}

}  // namespace twinscan::reconcile
