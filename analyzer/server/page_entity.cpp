// The entity page: one entity of the registry with its facts, sources, findings and
// neighbourhood drawing.
#include <map>

#include "analyzer/history/timeline.h"
#include "analyzer/server/entity_view.h"
#include "analyzer/server/finding_list.h"
#include "analyzer/server/html.h"
#include "analyzer/server/page_layout.h"
#include "analyzer/server/pages.h"
#include "analyzer/server/relation_words.h"

namespace twinscan::server::pages {

std::string entity_link(const model::Graph& graph, const std::string& id, const std::string& name) {
  const std::string shown = "<bdi dir=\"auto\" class=\"name\">" + escape_html(name) + "</bdi>";
  if (!graph.find(id)) return shown;
  return "<a class=\"entity-link\" href=\"/entities/" + escape_html(encode_uri_component(id)) +
         "\">" + shown + "</a>";
}

HttpResponse entity(const PageCall& call) {
  const std::string& id = call.params[0];
  if (!is_entity_id(id)) {
    return error_page(400, &call.session,
                      "An entity id is 1 to 200 characters without control characters.");
  }
  const model::Graph& graph = call.app.registry().graph();
  const auto e = view_entity(graph, id);
  if (!e) return error_page(404, &call.session, "The registry has no entity with this id.");

  std::string body = "<p class=\"facts\">" + escape_html(e->kind) + " · <span class=\"id\">" +
                     escape_html(e->id) + "</span>";
  if (e->id != id) body += " (also known as <span class=\"id\">" + escape_html(id) + "</span>)";
  body += "</p>\n<dl class=\"facts\" id=\"properties\">\n";
  for (const auto& p : e->properties) {
    // Each element isolated, so that a Hebrew alias does not turn the whole line
    // right to left.
    body += "<dt>" + escape_html(p.key) + "</dt><dd>";
    for (std::size_t i = 0; i < p.parts.size(); ++i) {
      body += (i == 0 ? "" : ", ") + std::string("<bdi dir=\"auto\">") + escape_html(p.parts[i]) +
              "</bdi>";
    }
    body += "</dd>\n";
  }
  // Headed "Stated by", not "Sources": an entity may have a property named "sources".
  body += "</dl>\n<h2>Stated by</h2>\n<p id=\"sources\">";
  if (e->sources.empty()) {
    body += "No source is named for this entity.";
  } else {
    body += sources_html(e->sources) + ".";
  }
  body += "</p>\n";
  if (!e->disagreements.empty()) {
    body += "<p>The sources disagree on:</p>\n<ul class=\"disagreements\" id=\"disagreements\">\n";
    for (const auto& d : e->disagreements) body += "<li dir=\"auto\">" + escape_html(d) + "</li>\n";
    body += "</ul>\n";
  }

  body += "<h2>Findings</h2>\n";
  const auto involved = call.app.findings().registry_findings_involving(e->id);
  if (involved.empty()) {
    body += "<p id=\"no-findings\">No finding of the registry involves this entity.</p>\n";
  } else {
    const auto decided = call.app.decided_statuses();
    const auto assignees = call.app.store().current_assignees();
    body +=
        "<table class=\"findings\" id=\"entity-findings\"><thead><tr><th>Severity</th>"
        "<th>Finding</th><th>Status</th><th class=\"assignee\">Assigned to</th></tr></thead>"
        "<tbody>\n";
    for (const auto& f : involved) {
      const std::string s = status_in(decided, f.fingerprint);
      body +=
          "<tr><td><span class=\"sev sev-" + escape_html(f.severity) + "\">" +
          escape_html(capitalised(f.severity)) + "</span></td><td><a href=\"/findings/" +
          escape_html(encode_uri_component(f.fingerprint)) + "\">" + escape_html(f.title) +
          "</a><div class=\"message\">" + text_with_relations_in_words(graph.schema(), f.message) +
          "</div></td><td><span class=\"status status-" + escape_html(s) + "\">" +
          escape_html(status_word(s)) + "</span></td><td class=\"assignee\"><bdi dir=\"auto\">" +
          escape_html(assignee_of(assignees, f.fingerprint)) + "</bdi></td></tr>\n";
    }
    body += "</tbody></table>\n";
  }

  // The dated events of the entity, its relations and its agreements and projects.
  body += "<h2>Timeline</h2>\n";
  if (const auto v = graph.find(e->id)) {
    const auto timeline = history::entity_timeline(graph, *v);
    if (timeline.events.empty()) {
      body += "<p id=\"no-timeline\">No dated event concerns this entity.</p>\n";
    } else {
      // Each relation said in words, its kind in the title.
      body += history::timeline_html_table(
          graph, timeline, "/entities/", [&graph](model::RelationId r) {
            const RelationInWords words = relation_in_words(graph, r);
            return kind_html(words.kind, relation_verb(words));
          });
    }
    if (!timeline.undated.empty()) {
      body += "<p class=\"undated\">" + std::to_string(timeline.undated.size()) +
              (timeline.undated.size() == 1 ? " fact has" : " facts have") +
              " no date (twinscan timeline lists them).</p>\n";
    }
  }

  body += "<h2>Neighbourhood</h2>\n";
  std::size_t shown = 0;
  {
    std::map<std::string, bool> seen;
    for (const auto& n : e->neighbours) {
      if (n.id != e->id && seen.emplace(n.id, true).second) ++shown;
    }
  }
  if (shown == 0 && e->relations_in_words.empty()) {
    body += "<p>No relation links this entity to another.</p>\n";
  } else {
    body += "<p>This entity and the " + std::to_string(shown) +
            (shown == 1 ? " entity" : " entities") + " one relation away";
    if (e->more_neighbours > 0) {
      body += " (and " + std::to_string(e->more_neighbours) + " more, not drawn)";
    }
    body += ", with the relations among them.</p>\n";
    if (const std::string svg = dot_to_svg_in_turn(e->dot); !svg.empty()) {
      body += "<div class=\"evidence\" id=\"neighbourhood\">" + svg + "</div>\n";
    }
    body += "<h3>Relations</h3>\n<ul class=\"relations\" id=\"neighbourhood-relations\">\n";
    for (const auto& words : e->relations_in_words) {
      body += "<li>" + relation_html(words) + "</li>\n";
    }
    body +=
        "</ul>\n<h3>Entities one relation away</h3>\n<ul class=\"entities\" "
        "id=\"neighbours\">\n";
    std::map<std::string, bool> listed;
    for (const auto& n : e->neighbours) {
      if (n.id == e->id || !listed.emplace(n.id, true).second) continue;
      body += "<li>" + entity_link(graph, n.id, n.name) + " <span class=\"id\">" +
              escape_html(n.kind) + " · " + escape_html(n.id) + "</span></li>\n";
    }
    body += "</ul>\n";
  }
  return html_page(200, e->name, &call.session, body);
}

}  // namespace twinscan::server::pages
