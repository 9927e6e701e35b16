// The screening pages (the form, one screening's verdict and findings, the history) and
// the audit trail.
#include <map>
#include <optional>

#include "analyzer/server/finding_list.h"

#include "analyzer/server/html.h"
#include "analyzer/server/json_body.h"
#include "analyzer/server/page_layout.h"
#include "analyzer/server/pages.h"
#include "analyzer/server/relation_words.h"
#include "analyzer/server/router.h"

namespace twinscan::server::pages {
namespace {

/// "Involves: NAME id, NAME id", each name linking to its entity page when the registry
/// knows it. The names come from the finding as the desk recorded it, which knows the
/// request's own entities too; ids the record does not name are looked up in `graph`.
std::string involved_entities(const model::Graph& graph, const rapidjson::Value& finding,
                              const std::optional<FindingRecord>& record) {
  const rapidjson::Value* ids = member(finding, "entities");
  if (ids == nullptr || !ids->IsArray() || ids->Empty()) return {};
  std::string out = "<div class=\"involves\">Involves: ";
  bool first = true;
  for (const auto& id : ids->GetArray()) {
    if (!id.IsString()) continue;
    const std::string text = id.GetString();
    std::string name;
    if (record) {
      for (const auto& [known, known_name] : record->entities) {
        if (known == text && known_name != text) name = known_name;
      }
    }
    if (name.empty()) {
      if (const auto v = graph.find(text)) name = std::string(graph.name(*v));
    }
    if (!first) out += ", ";
    first = false;
    if (name.empty() || name == text) {
      out += entity_link(graph, text, text);
    } else {
      out +=
          entity_link(graph, text, name) + " <span class=\"id\">" + escape_html(text) + "</span>";
    }
  }
  return out + "</div>";
}

/// A member of an audit entry's details as text ("" when absent).
std::string detail(const rapidjson::Value& details, const char* key) {
  const rapidjson::Value* v = member(details, key);
  if (v == nullptr) return {};
  if (v->IsString()) return v->GetString();
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsBool()) return v->GetBool() ? "yes" : "no";
  return to_json(*v);
}

std::string quoted(const std::string& text) {
  return "“<bdi dir=\"auto\">" + escape_html(text) + "</bdi>”";
}

/// The action of an audit entry in words.
std::string action_words(const std::string& action) {
  if (action == "sign-in-failed") return "failed sign-in";
  if (action == "user-added") return "user added";
  if (action == "user-removed") return "user removed";
  return action;
}

/// An audit entry's details in words, as HTML (the JSON stays for `twinscan audit export`).
std::string details_in_words(const desk::AuditEntry& e) {
  rapidjson::Document d;
  std::string error;
  if (!parse_json_body(e.detail_json, d, error) || !d.IsObject()) {
    return escape_html(e.detail_json);
  }
  const std::string client = detail(d, "client");
  const std::string from = client.empty() ? "" : " from " + escape_html(client);
  if (e.action == "sign-in") return "Signed in" + from + ".";
  if (e.action == "sign-out") return "Signed out.";
  if (e.action == "sign-in-failed") {
    const std::string reason = detail(d, "reason");
    return "Sign-in refused" + (reason.empty() ? "" : ": " + escape_html(reason)) + from + ".";
  }
  if (e.action == "screening") {
    const std::string id = detail(d, "screening");
    const std::string verdict = detail(d, "verdict");
    std::string out = "Screened the request <bdi dir=\"auto\">" + escape_html(e.subject) + "</bdi>";
    if (!verdict.empty()) out += ": " + escape_html(verdict_word(verdict));
    if (!id.empty()) {
      out += " (<a href=\"/screenings/" + escape_html(encode_uri_component(id)) + "\">screening " +
             escape_html(id) + "</a>)";
    }
    return out + ".";
  }
  if (e.action == "decision") {
    const std::string decision = detail(d, "decision");
    const std::string justification = detail(d, "justification");
    const std::string expires = detail(d, "expires");
    std::string out = "Decided: " + escape_html(decision);
    if (!expires.empty()) out += " until " + escape_html(expires);
    out += ".";
    if (!justification.empty()) out += " Justification: " + quoted(justification) + ".";
    return out;
  }
  if (e.action == "note") return "Wrote a note: " + quoted(detail(d, "text")) + ".";
  if (e.action == "assignment") {
    const std::string assignee = detail(d, "assignee");
    const std::string previous = detail(d, "previous");
    std::string out = assignee.empty() ? std::string("Unassigned the finding")
                                       : "Assigned the finding to <bdi dir=\"auto\">" +
                                             escape_html(assignee) + "</bdi>";
    if (!previous.empty()) {
      out += " (before: <bdi dir=\"auto\">" + escape_html(previous) + "</bdi>)";
    }
    return out + ".";
  }
  if (e.action == "user-added" || e.action == "user-removed") {
    const std::string role = detail(d, "role");
    return std::string(e.action == "user-added" ? "Added" : "Removed") +
           " the user <bdi dir=\"auto\">" + escape_html(e.subject) + "</bdi>" +
           (role.empty() ? "" : " (" + escape_html(role) + ")") + ".";
  }
  // An action this page does not know: its details as "key: value" pairs.
  std::string out;
  for (rapidjson::SizeType i = 0; i < d.MemberCount(); ++i) {
    const auto& m = *(d.MemberBegin() + i);
    if (!out.empty()) out += "; ";
    out += escape_html(m.name.GetString()) + ": <bdi dir=\"auto\">" +
           escape_html(detail(d, m.name.GetString())) + "</bdi>";
  }
  return out;
}

}  // namespace

HttpResponse screen_form(const PageCall& call) {
  std::string body =
      "<p>Upload a request document (a registry document holding the new agreement and what "
      "comes with it), or pick one of the requests bundled with Twinscan. The desk screens it "
      "against the registry as <code>twinscan screen</code> does and keeps the result.</p>\n";
  if (!desk::role_allows(call.session.user.role, desk::Role::kReviewer)) {
    body += "<p class=\"note\">Your role may read screenings but not run them.</p>\n";
    return html_page(200, "Screen a request", &call.session, body);
  }
  body +=
      "<form class=\"screen\" method=\"post\" action=\"/screen\" "
      "enctype=\"multipart/form-data\">\n" +
      csrf_field(call.session) +
      "<label>Request document (JSON) <input type=\"file\" name=\"request\" "
      "id=\"request-file\" accept=\".json,application/json\"></label>\n"
      "<p>or</p>\n<label>A bundled request <select name=\"bundled\" id=\"bundled\">"
      "<option value=\"\">none</option>";
  for (const auto& name : call.app.bundled_requests()) {
    body += "<option value=\"" + escape_html(name) + "\">" + escape_html(name) + "</option>";
  }
  body +=
      "</select></label>\n<button type=\"submit\" id=\"screen-button\">Screen</button>\n</form>\n";
  return html_page(200, "Screen a request", &call.session, body);
}

HttpResponse screen(const PageCall& call) {
  std::string document;
  std::string name;
  if (const UploadedPart* file = call.request.part("request");
      file != nullptr && !file->filename.empty() && !file->content.empty()) {
    document = file->content;
    name = file->filename;
  } else if (const std::string bundled = call.request.form("bundled"); !bundled.empty()) {
    if (!call.app.read_bundled_request(bundled, document)) {
      return error_page(400, &call.session, "There is no bundled request of that name.");
    }
    name = bundled;
  } else {
    return error_page(400, &call.session, "Choose a request document or a bundled request.");
  }
  const ScreeningResult result = call.app.screen(document, name, call.session.user);
  if (result.status != 200) {
    std::string body = "<p class=\"error\">" + escape_html(result.error) + "</p>\n<ul>\n";
    for (const auto& p : result.problems) body += "<li><code>" + escape_html(p) + "</code></li>\n";
    body += "</ul>\n<p><a href=\"/screen\">Screen another request</a></p>\n";
    return html_page(result.status, "The request cannot be screened", &call.session, body);
  }
  return redirect("/screenings/" + std::to_string(result.id));
}

HttpResponse screenings(const PageCall& call) {
  const auto all = call.app.store().screenings(0);
  std::string body = desk::role_allows(call.session.user.role, desk::Role::kReviewer)
                         ? "<p><a href=\"/screen\">Screen a request</a></p>\n"
                         : "";
  if (all.empty()) {
    body += "<p>No request has been screened yet.</p>\n";
  } else {
    body +=
        "<table class=\"screenings\"><thead><tr><th>Verdict</th><th>Request</th><th>When</th>"
        "<th>By</th><th>Screening</th></tr></thead><tbody>\n";
    for (const auto& s : all) {
      const std::string id = std::to_string(s.id);
      body += "<tr><td><span class=\"verdict-word verdict-" + escape_html(s.verdict) + "\">" +
              escape_html(verdict_word(s.verdict)) + "</span></td><td><a href=\"/screenings/" + id +
              "\" dir=\"auto\">" + escape_html(s.request_name) + "</a></td><td class=\"when\">" +
              escape_html(when_text(s.at)) + "</td><td><bdi dir=\"auto\">" + escape_html(s.by) +
              "</bdi></td><td class=\"id\">" + id + "</td></tr>\n";
    }
    body += "</tbody></table>\n";
  }
  return html_page(200, "Screenings", &call.session, body);
}

HttpResponse screening(const PageCall& call) {
  std::int64_t id = 0;
  if (!parse_id(call.params[0], id)) {
    return error_page(400, &call.session, "A screening is named by a positive number.");
  }
  const auto s = call.app.store().find_screening(id);
  if (!s) return error_page(404, &call.session, "There is no such screening.");
  rapidjson::Document result;
  std::string error;
  parse_json_body(s->result_json, result, error);
  const model::Graph& graph = call.app.registry().graph();
  const std::map<std::string, std::string> statuses = call.app.decided_statuses();
  const auto assignees = call.app.store().current_assignees();
  const std::string agreement = call.app.request_agreement(s->id);
  const std::string as_of = result.IsObject() ? text_member(result, "as_of") : std::string();
  std::string body;
  if (!agreement.empty()) {
    body += "<p class=\"subtitle\" id=\"request-file\">Request file <bdi dir=\"auto\">" +
            escape_html(s->request_name) + "</bdi></p>\n";
  }
  body += "<div class=\"verdict verdict-" + escape_html(s->verdict) + "\" id=\"verdict\">" +
          escape_html(verdict_word(s->verdict)) + "</div>\n" + "<p>" +
          escape_html(verdict_meaning(s->verdict)) + "</p>\n" +
          "<dl class=\"facts\"><dt>Request</dt><dd dir=\"auto\">" + escape_html(s->request_name) +
          "</dd><dt>Screened</dt><dd>" + escape_html(when_text(s->at)) + " by <bdi dir=\"auto\">" +
          escape_html(s->by) + "</bdi></dd>";
  if (!as_of.empty()) {
    body += "<dt>Judged as of</dt><dd id=\"as-of\">" + escape_html(as_of) +
            " (the date deadlines were judged against)</dd>";
  }
  body += "<dt>Request SHA-256</dt><dd class=\"id\">" + escape_html(s->request_sha256) +
          "</dd><dt>Registry version</dt><dd class=\"id\">" + escape_html(s->registry_version) +
          "</dd><dt>Rules version</dt><dd class=\"id\">" + escape_html(s->rules_version) +
          "</dd></dl>\n<h2>Findings</h2>\n";
  const rapidjson::Value* found = member(result, "findings");
  if (found == nullptr || !found->IsArray() || found->Empty()) {
    body += "<p>No finding.</p>\n";
  } else {
    body +=
        "<table class=\"findings\" id=\"screening-findings\"><thead><tr><th>Severity</th>"
        "<th>Finding</th><th>Status</th><th class=\"assignee\">Assigned to</th>"
        "<th>Fingerprint</th></tr></thead><tbody>\n";
    for (const auto& f : found->GetArray()) {
      if (!f.IsObject()) continue;
      const std::string fp = text_member(f, "fingerprint");
      const std::string severity = text_member(f, "severity");
      const auto st = statuses.find(fp);
      const std::string status = st == statuses.end() ? "open" : st->second;
      body += "<tr class=\"finding-row\"><td><span class=\"sev sev-" + escape_html(severity) +
              "\">" + escape_html(capitalised(severity)) + "</span></td><td><a href=\"/findings/" +
              escape_html(encode_uri_component(fp)) + "\">" + escape_html(text_member(f, "title")) +
              "</a><div class=\"message\">" +
              text_with_relations_in_words(graph.schema(), text_member(f, "message")) + "</div>" +
              involved_entities(graph, f, call.app.findings().find_undrawn(fp)) +
              "</td><td><span class=\"status status-" + escape_html(status) + "\">" +
              escape_html(status_word(status)) +
              "</span></td><td class=\"assignee\"><bdi dir=\"auto\">" +
              escape_html(assignee_of(assignees, fp)) + "</bdi></td><td class=\"id\">" +
              escape_html(fp) + "</td></tr>\n";
    }
    body += "</tbody></table>\n";
  }
  return html_page(200, agreement.empty() ? "Screening of " + s->request_name : agreement,
                   &call.session, body);
}

HttpResponse audit(const PageCall& call) {
  const std::string q = call.request.param("q");
  const auto entries = call.app.store().audit_entries(q, 500);
  std::string body =
      "<form class=\"search\" method=\"get\" action=\"/audit\"><label>Search <input name=\"q\" "
      "id=\"audit-search\" value=\"" +
      escape_html(q) +
      "\" placeholder=\"a user, an action, a fingerprint\"></label> <button "
      "type=\"submit\">Search</button></form>\n<p>Every sign-in, screening, decision, note, "
      "assignment and user change, newest first. Each entry holds the hash of the one before it, "
      "so <code>twinscan audit verify</code> finds any entry changed, removed or reordered; "
      "<code>twinscan audit export</code> writes the entries with their details as JSON.</p>\n";
  if (entries.empty()) {
    body += "<p>No entry matches.</p>\n";
  } else {
    body +=
        "<table class=\"audit\" id=\"audit\"><thead><tr><th class=\"when\">When</th><th>Who</th>"
        "<th>What</th><th>About</th><th>Details</th><th>Entry</th></tr></thead><tbody>\n";
    for (const auto& e : entries) {
      std::string about;
      if (e.action == "decision" || e.action == "note" || e.action == "assignment") {
        if (const auto f = call.app.findings().find_undrawn(e.subject)) {
          about = "<a href=\"/findings/" + escape_html(encode_uri_component(e.subject)) + "\">" +
                  escape_html(f->title) + "</a> <span class=\"id\">" + escape_html(e.subject) +
                  "</span>";
        }
      }
      if (about.empty()) about = "<bdi dir=\"auto\">" + escape_html(e.subject) + "</bdi>";
      body += "<tr><td class=\"when\">" + escape_html(when_text(e.at)) +
              "</td><td><bdi dir=\"auto\">" + escape_html(e.actor) + "</bdi></td><td>" +
              escape_html(action_words(e.action)) + "</td><td class=\"about\">" + about +
              "</td><td class=\"detail\">" + details_in_words(e) + "</td><td class=\"id\">" +
              std::to_string(e.seq) + "</td></tr>\n";
    }
    body += "</tbody></table>\n";
  }
  return html_page(200, "Audit trail", &call.session, body);
}

}  // namespace twinscan::server::pages
