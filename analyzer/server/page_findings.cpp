// The findings pages: the registry's findings with filters and counts, one finding with
// its rationale, evidence and decision history, and the decision form's answer.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "analyzer/server/finding_list.h"
#include "analyzer/server/html.h"
#include "analyzer/server/page_layout.h"
#include "analyzer/server/pages.h"
#include "analyzer/server/relation_words.h"
#include "analyzer/server/router.h"

namespace twinscan::server::pages {
namespace {

std::string select_field(const std::string& name, const std::string& label,
                         const std::vector<std::pair<std::string, std::string>>& options,
                         const std::string& chosen) {
  std::string out = "<label>" + escape_html(label) + " <select name=\"" + escape_html(name) +
                    "\" id=\"filter-" + escape_html(name) + "\"><option value=\"\">any</option>";
  for (const auto& [value, text] : options) {
    out += "<option value=\"" + escape_html(value) + "\"" + (value == chosen ? " selected" : "") +
           ">" + escape_html(text) + "</option>";
  }
  return out + "</select></label>\n";
}

std::string decision_form(const desk::Session& session, const std::string& fingerprint) {
  if (!desk::role_allows(session.user.role, desk::Role::kReviewer)) {
    return "<p class=\"note\">Your role may read findings but not decide on them.</p>\n";
  }
  return "<form class=\"decision\" id=\"decision-form\" method=\"post\" action=\"/findings/" +
         escape_html(encode_uri_component(fingerprint)) + "/decision\">\n" + csrf_field(session) +
         "<fieldset><legend>Your decision</legend>\n"
         "<label><input type=\"radio\" name=\"decision\" value=\"confirmed\" required> Confirm: "
         "the finding is right and needs action</label>\n"
         "<label><input type=\"radio\" name=\"decision\" value=\"dismissed\"> Dismiss: the "
         "finding is wrong (say why)</label>\n"
         "<label><input type=\"radio\" name=\"decision\" value=\"suppressed\" "
         "id=\"decision-suppressed\"> Suppress: set it aside until a date (say why)</label>\n"
         "</fieldset>\n"
         "<label class=\"wide\">Reason or justification <textarea name=\"justification\" "
         "id=\"justification\" rows=\"3\"></textarea></label>\n"
         "<label id=\"expires-label\">Suppressed until (YYYY-MM-DD) <input name=\"expires\" "
         "id=\"expires\" placeholder=\"2027-12-31\" pattern=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\">"
         "</label>\n"
         "<button type=\"submit\" id=\"record-decision\">Record the decision</button>\n</form>\n";
}

/// The names of the users a finding may be assigned to (reviewers and admins), by name.
std::vector<std::string> triagers(desk::DeskStore& store) {
  std::vector<std::string> out;
  for (const auto& u : store.users()) {
    if (desk::role_allows(u.role, desk::Role::kReviewer)) out.push_back(u.name);
  }
  return out;
}

/// The notes and assignments of a finding, oldest first, and for a reviewer the forms to
/// add a note and to assign it.
std::string case_section(DeskApp& app, const desk::Session& session, const std::string& fp) {
  desk::DeskStore& store = app.store();
  const auto notes = store.notes(fp);
  const auto assignments = store.assignments(fp);
  const std::string assignee = assignments.empty() ? std::string() : assignments.back().assignee;
  std::string out = "<h2>Notes and assignment</h2>\n<p id=\"assignee\">";
  if (assignee.empty()) {
    out += "Nobody is assigned to this finding.";
  } else {
    out += "Assigned to <bdi dir=\"auto\" class=\"name\">" + escape_html(assignee) + "</bdi>.";
  }
  out += "</p>\n";
  // Notes and assignments interleaved by time; a note and an assignment made in the same
  // second keep the order note, then assignment.
  struct Item {
    std::string at;
    std::string html;
  };
  std::vector<Item> items;
  for (const auto& n : notes) {
    items.push_back({n.at, "<li class=\"history-note\"><span class=\"when\">" +
                               escape_html(when_text(n.at)) +
                               "</span> <bdi dir=\"auto\" class=\"who\">" + escape_html(n.by) +
                               "</bdi> wrote:<div class=\"note-text\" dir=\"auto\">" +
                               escape_html(n.text) + "</div></li>\n"});
  }
  for (const auto& a : assignments) {
    items.push_back(
        {a.at,
         "<li class=\"history-assignment\"><span class=\"when\">" + escape_html(when_text(a.at)) +
             "</span> <bdi dir=\"auto\" class=\"who\">" + escape_html(a.by) + "</bdi> " +
             (a.assignee.empty()
                  ? std::string("unassigned the finding")
                  : "assigned it to <bdi dir=\"auto\">" + escape_html(a.assignee) + "</bdi>") +
             ".</li>\n"});
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& x, const Item& y) { return x.at < y.at; });
  if (items.empty()) {
    out += "<p id=\"no-notes\">No note yet.</p>\n";
  } else {
    out += "<ol class=\"history\" id=\"notes\">\n";
    for (const auto& item : items) out += item.html;
    out += "</ol>\n";
  }
  if (!desk::role_allows(session.user.role, desk::Role::kReviewer)) return out;
  const std::string action = "/findings/" + escape_html(encode_uri_component(fp));
  out += "<form class=\"add-note\" id=\"note-form\" method=\"post\" action=\"" + action +
         "/notes\">\n" + csrf_field(session) +
         "<label class=\"wide\">Add a note (plain text, at most " +
         std::to_string(desk::kMaxNoteBytes) +
         " bytes) <textarea name=\"text\" id=\"note-text\" rows=\"3\" required></textarea>"
         "</label>\n<button type=\"submit\" id=\"add-note\">Add the note</button>\n</form>\n";
  out += "<form class=\"assignment\" id=\"assignment-form\" method=\"post\" action=\"" + action +
         "/assignment\">\n" + csrf_field(session) +
         "<label>Assign to <select name=\"user\" id=\"assign-user\"><option value=\"\">nobody"
         "</option>";
  for (const auto& name : triagers(store)) {
    out += "<option value=\"" + escape_html(name) + "\"" + (name == assignee ? " selected" : "") +
           ">" + escape_html(name) + "</option>";
  }
  out += "</select></label>\n<button type=\"submit\" id=\"assign\">Assign</button>\n</form>\n";
  return out;
}

// Under a finding of a screening in the list, the screening that found it.
std::string found_by_screening(const FindingRecord& f) {
  if (f.screening == 0) return {};
  const std::string id = std::to_string(f.screening);
  return "<div class=\"found-by\">found by <a href=\"/screenings/" + id + "\">screening " + id +
         "</a></div>";
}

}  // namespace

HttpResponse findings(const PageCall& call) {
  const std::string today = call.app.as_of();
  const auto all = call.app.findings().all_findings();
  FindingFilter filter = FindingFilter::of(call.request);
  if (const std::string wrong = filter.problem(); !wrong.empty()) {
    std::string text = wrong;
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return error_page(400, &call.session, text + ".");
  }
  const std::string chosen_assignee = filter.assignee;
  if (filter.assignee == "me") filter.assignee = call.session.user.name;
  const FindingList list =
      filter_findings(all, call.app.decided_statuses(), call.app.store().first_seen(),
                      call.app.store().current_assignees(), filter);

  std::map<std::string, std::string> rules;
  std::set<std::string> categories;
  for (const auto& f : all) {
    rules.emplace(f.rule, f.title);
    categories.insert(f.category);
  }
  std::vector<std::pair<std::string, std::string>> rule_options;
  for (const auto& [id, title] : rules) rule_options.emplace_back(id, title + " (" + id + ")");
  std::vector<std::pair<std::string, std::string>> category_options;
  for (const auto& c : categories) category_options.emplace_back(c, c);
  std::vector<std::pair<std::string, std::string>> severity_options;
  for (const char* s : {"critical", "high", "medium", "low", "info"}) {
    severity_options.emplace_back(s, capitalised(s));
  }
  std::vector<std::pair<std::string, std::string>> status_options;
  for (const char* s : {"open", "in-progress", "confirmed", "dismissed", "suppressed"}) {
    status_options.emplace_back(s, status_word(s));
  }
  std::vector<std::pair<std::string, std::string>> assignee_options = {{"me", "me"}};
  for (const auto& u : triagers(call.app.store())) assignee_options.emplace_back(u, u);
  // A user no longer a reviewer (or removed) may still hold assignments: keep the choice.
  if (!chosen_assignee.empty() &&
      std::none_of(assignee_options.begin(), assignee_options.end(),
                   [&](const auto& o) { return o.first == chosen_assignee; })) {
    assignee_options.emplace_back(chosen_assignee, chosen_assignee);
  }

  std::string body =
      "<form class=\"filters\" method=\"get\" action=\"/findings\">\n" +
      select_field("severity", "Severity", severity_options, filter.severity) +
      select_field("category", "Category", category_options, filter.category) +
      select_field("rule", "Rule", rule_options, filter.rule) +
      select_field("status", "Status", status_options, filter.status) +
      select_field("assignee", "Assigned to", assignee_options, chosen_assignee) +
      select_field("found_by", "Found by",
                   {{"registry", "the scan of the registry"}, {"screening", "a screening"}},
                   filter.found_by) +
      "<label>Entity id <input name=\"entity\" value=\"" + escape_html(filter.entity) +
      "\" placeholder=\"mun:ashdod\"></label>\n"
      "<label>New since <input name=\"since\" id=\"filter-since\" type=\"date\" "
      "value=\"" +
      escape_html(filter.since) +
      "\" placeholder=\"2026-11-01\"></label>\n"
      "<button type=\"submit\">Filter</button> <a href=\"/findings\">Clear "
      "filters</a>\n</form>\n";
  std::string rows;
  for (const auto& listed : list.shown) {
    const FindingRecord& f = listed.record;
    const std::string& s = listed.status;
    rows += "<tr><td><span class=\"sev sev-" + escape_html(f.severity) + "\">" +
            escape_html(capitalised(f.severity)) + "</span></td><td><a href=\"/findings/" +
            escape_html(encode_uri_component(f.fingerprint)) + "\">" + escape_html(f.title) +
            "</a><div class=\"message\">" +
            text_with_relations_in_words(call.app.registry().graph().schema(), f.message) +
            "</div>" + found_by_screening(f) + "</td><td><span class=\"status status-" +
            escape_html(s) + "\">" + escape_html(status_word(s)) +
            "</span></td><td class=\"assignee\"><bdi dir=\"auto\">" + escape_html(listed.assignee) +
            "</bdi></td><td class=\"id\">" + escape_html(f.fingerprint) + "</td></tr>\n";
  }
  const auto of_registry = static_cast<std::size_t>(std::count_if(
      all.begin(), all.end(), [](const FindingRecord& f) { return f.screening == 0; }));
  body += "<p class=\"counts\" id=\"counts\"><strong>" + std::to_string(list.shown.size()) +
          "</strong> of " + std::to_string(all.size()) + " findings (" +
          std::to_string(of_registry) + " of the registry, " +
          std::to_string(all.size() - of_registry) + " of screenings)";
  // Gravest first, as the report lists them.
  for (const char* s : {"critical", "high", "medium", "low", "info"}) {
    if (const auto it = list.by_severity.find(s); it != list.by_severity.end())
      body += " · " + escape_html(capitalised(s)) + ": " + std::to_string(it->second);
  }
  for (const auto& [s, n] : list.by_status) {
    body += " · " + escape_html(status_word(s)) + ": " + std::to_string(n);
  }
  if (!filter.since.empty()) body += " · first seen on or after " + escape_html(filter.since);
  if (!filter.assignee.empty()) body += " · assigned to " + escape_html(filter.assignee);
  body += " (judged as of " + escape_html(today) + ")</p>\n";
  if (list.shown.empty()) {
    body += "<p>No finding matches these filters.</p>\n";
  } else {
    body +=
        "<table class=\"findings\" id=\"findings\"><thead><tr><th>Severity</th><th>Finding</th>"
        "<th>Status</th><th class=\"assignee\">Assigned to</th><th>Fingerprint</th></tr></thead>"
        "<tbody>\n" +
        rows + "</tbody></table>\n";
  }
  return html_page(200, "Findings", &call.session, body);
}

HttpResponse finding(const PageCall& call) {
  const std::string& fp = call.params[0];
  if (!is_fingerprint(fp)) {
    return error_page(400, &call.session, "A finding's fingerprint is 16 hexadecimal digits.");
  }
  const auto f = call.app.findings().find(fp);
  if (!f) return error_page(404, &call.session, "No finding has this fingerprint.");
  const auto history = call.app.store().decisions(fp);
  const std::string status = call.app.status_now(fp);
  const rules::Rule* rule = call.app.rule(f->rule);

  std::string body = "<p class=\"facts\"><span class=\"sev sev-" + escape_html(f->severity) +
                     "\">" + escape_html(capitalised(f->severity)) +
                     "</span> · <span class=\"status status-" + escape_html(status) +
                     "\" id=\"status\">" + escape_html(status_word(status)) + "</span> · " +
                     escape_html(f->category) + " · found by ";
  if (f->screening == 0) {
    body += "the registry scan";
  } else {
    const std::string id = std::to_string(f->screening);
    body += "<a href=\"/screenings/" + id + "\">screening " + id + "</a>";
  }
  // Rules speak of relations by kind ("chains of OWNED_BY relations"): said in words here.
  const model::Graph& graph = call.app.registry().graph();
  const auto in_words = [&graph](const std::string& text) {
    return text_with_relations_in_words(graph.schema(), text);
  };
  body += "</p>\n<p class=\"what-found\" id=\"message\">" + in_words(f->message) + "</p>\n";
  if (rule != nullptr) {
    body +=
        "<h2>Why it matters</h2>\n<p class=\"rationale\">" + in_words(rule->rationale) + "</p>\n";
    if (!rule->remediation.empty()) {
      body += "<h2>What to do</h2>\n<p>" + in_words(rule->remediation) + "</p>\n";
    }
  }
  body += "<h2>Evidence</h2>\n";
  if (!f->svg.empty()) body += "<div class=\"evidence\">" + f->svg + "</div>\n";
  body += "<ul class=\"entities\">\n";
  for (const auto& [id, name] : f->entities) {
    body += "<li>" + entity_link(graph, id, name) + " <span class=\"id\">" + escape_html(id) +
            "</span></li>\n";
  }
  body += "</ul>\n<ul class=\"relations\" id=\"evidence-relations\">\n";
  if (!f->relation_words.empty()) {
    for (const auto& words : f->relation_words) body += "<li>" + relation_html(words) + "</li>\n";
  } else {
    // A finding read back from a stored screening knows its relations by id only; a
    // derived id still says the kind and the ends, named where the registry knows them.
    for (const auto& [id, words] : f->relations) {
      auto said = relation_of_derived_id(id);
      if (!said) {
        body += "<li><span class=\"id\">" + escape_html(words) + "</span></li>\n";
        continue;
      }
      if (const auto v = graph.find(said->from_id)) said->from_name = std::string(graph.name(*v));
      if (const auto v = graph.find(said->to_id)) said->to_name = std::string(graph.name(*v));
      body += "<li>" + relation_html(*said) + "</li>\n";
    }
  }
  body += "</ul>\n<h2>Decisions</h2>\n";
  if (history.empty()) {
    body += "<p id=\"no-decisions\">No decision yet.</p>\n";
  } else {
    body +=
        "<table class=\"decisions\" id=\"decisions\"><thead><tr><th>When</th><th>Who</th>"
        "<th>Decision</th><th>Justification</th><th>Until</th></tr></thead><tbody>\n";
    for (const auto& d : history) {
      body += "<tr><td class=\"when\">" + escape_html(when_text(d.at)) +
              "</td><td><bdi dir=\"auto\">" + escape_html(d.by) + "</bdi></td><td>" +
              escape_html(status_word(d.decision)) + "</td><td dir=\"auto\">" +
              escape_html(d.justification) + "</td><td>" + escape_html(d.expires) + "</td></tr>\n";
    }
    body += "</tbody></table>\n";
  }
  body += decision_form(call.session, fp);
  body += case_section(call.app, call.session, fp);
  body += "<p class=\"id\">Rule " + escape_html(f->rule) + " · fingerprint " + escape_html(fp) +
          "</p>\n";
  return html_page(200, f->title, &call.session, body);
}

HttpResponse decide(const PageCall& call) {
  const std::string& fp = call.params[0];
  if (!is_fingerprint(fp)) {
    return error_page(400, &call.session, "A finding's fingerprint is 16 hexadecimal digits.");
  }
  desk::Decision d;
  d.fingerprint = fp;
  d.decision = call.request.form("decision");
  d.justification = call.request.form("justification");
  d.expires = call.request.form("expires");
  if (d.decision != "confirmed" && d.decision != "dismissed" && d.decision != "suppressed") {
    return error_page(400, &call.session, "Choose confirm, dismiss or suppress.");
  }
  const DecisionResult result = call.app.decide(d, call.session.user);
  if (result.status != 200) return error_page(result.status, &call.session, result.error);
  return redirect("/findings/" + fp);
}

HttpResponse add_note(const PageCall& call) {
  const std::string& fp = call.params[0];
  if (!is_fingerprint(fp)) {
    return error_page(400, &call.session, "A finding's fingerprint is 16 hexadecimal digits.");
  }
  const DecisionResult result = call.app.add_note(fp, call.request.form("text"), call.session.user);
  if (result.status != 200) return error_page(result.status, &call.session, result.error);
  return redirect("/findings/" + fp);
}

HttpResponse assign(const PageCall& call) {
  const std::string& fp = call.params[0];
  if (!is_fingerprint(fp)) {
    return error_page(400, &call.session, "A finding's fingerprint is 16 hexadecimal digits.");
  }
  const DecisionResult result = call.app.assign(fp, call.request.form("user"), call.session.user);
  if (result.status != 200) return error_page(result.status, &call.session, result.error);
  return redirect("/findings/" + fp);
}

}  // namespace twinscan::server::pages
