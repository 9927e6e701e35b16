#include "analyzer/history/timeline.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "analyzer/util/html_text.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::history {
namespace {

using model::Graph;
using model::PropertySpec;
using model::RelationId;
using model::VertexId;

std::vector<std::string> source_ids(const Graph& g, std::span<const std::uint32_t> set) {
  std::vector<std::string> out;
  out.reserve(set.size());
  for (const auto s : set) out.push_back(g.sources()[s].id);
  return out;
}

// Collects the events of the entities and relations it is shown, each once.
class Collector {
 public:
  explicit Collector(const Graph& g) : g_(g) {}

  void add_entity(VertexId v) {
    if (!entities_.insert(v).second) return;
    const auto& schema = g_.schema();
    const auto kind = g_.kind(v);
    bool dated = false;
    for (const auto& p : g_.properties(v)) {
      if (p.value.type != model::ValueType::kDate) continue;
      const PropertySpec* spec = schema.entity_property(kind, g_.str(p.key));
      if (!spec || spec->event.empty()) continue;
      dated = true;
      Event e;
      e.date = p.value.date;
      e.kind = spec->event;
      e.entities = with_parties(v);
      e.subject = v;
      e.property = spec->name;
      e.sources = source_ids(g_, g_.source_set(p.sources));
      timeline_.events.push_back(std::move(e));
    }
    if (!dated) {
      std::vector<std::string> wanted;
      for (const auto& spec : schema.kind(kind).properties) {
        if (!spec.event.empty()) wanted.push_back(spec.name);
      }
      if (!wanted.empty()) {
        timeline_.undated.push_back(
            {false, v, with_parties(v), std::move(wanted), source_ids(g_, g_.entity_sources(v))});
      }
    }
  }

  // An agreement's event names its parties too (the entities PARTY_TO it).
  std::vector<VertexId> with_parties(VertexId v) const {
    std::vector<VertexId> out = {v};
    if (const auto party_to = g_.schema().find_relation("PARTY_TO")) {
      for (const auto& e : g_.in_edges(v, *party_to)) {
        if (std::find(out.begin(), out.end(), e.other) == out.end()) out.push_back(e.other);
      }
    }
    return out;
  }

  void add_relation(RelationId r) {
    if (!relations_.insert(r).second) return;
    const auto& schema = g_.schema();
    const auto kind = g_.relation_kind(r);
    const std::vector<VertexId> ends = {g_.relation_source(r), g_.relation_target(r)};
    bool dated = false;
    for (const auto& p : g_.relation_properties(r)) {
      if (p.value.type != model::ValueType::kDate) continue;
      const PropertySpec* spec = schema.relation_property(kind, g_.str(p.key));
      if (!spec || spec->event.empty()) continue;
      dated = true;
      Event e;
      e.date = p.value.date;
      e.kind = spec->event;
      e.entities = ends;
      e.on_relation = true;
      e.subject = r;
      e.property = spec->name;
      e.sources = source_ids(g_, g_.source_set(p.sources));
      timeline_.events.push_back(std::move(e));
    }
    if (!dated) {
      // Only the relation kind's own events count: every relation may have the common
      // "since" and "until", and most have neither.
      std::vector<std::string> wanted;
      for (const auto& spec : schema.relation(kind).properties) {
        if (!spec.event.empty()) wanted.push_back(spec.name);
      }
      if (!wanted.empty()) {
        timeline_.undated.push_back(
            {true, r, ends, std::move(wanted), source_ids(g_, g_.relation_sources(r))});
      }
    }
  }

  // An agreement or a project: its own dates and those of its relations.
  void add_hub(VertexId v) {
    if (!hubs_.insert(v).second) return;
    add_entity(v);
    for (const auto& e : g_.out_edges(v)) add_relation(e.relation);
    for (const auto& e : g_.in_edges(v)) add_relation(e.relation);
  }

  [[nodiscard]] bool is_hub(VertexId v) const {
    const auto& name = g_.schema().kind(g_.kind(v)).name;
    return name == "Agreement" || name == "Project";
  }

  Timeline finish(std::string subject) {
    timeline_.subject = std::move(subject);
    auto subject_id = [&](bool on_relation, std::uint32_t s) {
      return on_relation ? g_.relation_id(s) : std::string(g_.id(s));
    };
    std::stable_sort(
        timeline_.events.begin(), timeline_.events.end(), [&](const Event& a, const Event& b) {
          if (a.date != b.date) return a.date < b.date;
          if (a.kind != b.kind) return a.kind < b.kind;
          return subject_id(a.on_relation, a.subject) < subject_id(b.on_relation, b.subject);
        });
    std::stable_sort(timeline_.undated.begin(), timeline_.undated.end(),
                     [&](const UndatedFact& a, const UndatedFact& b) {
                       if (a.on_relation != b.on_relation) return !a.on_relation;
                       return subject_id(a.on_relation, a.subject) <
                              subject_id(b.on_relation, b.subject);
                     });
    return std::move(timeline_);
  }

 private:
  const Graph& g_;
  Timeline timeline_;
  std::unordered_set<VertexId> entities_, hubs_;
  std::unordered_set<RelationId> relations_;
};

std::string what_text(const Graph& g, bool on_relation, std::uint32_t subject,
                      const std::vector<VertexId>& entities) {
  if (on_relation) {
    return std::string(g.id(entities[0])) + " -[" +
           g.schema().relation(g.relation_kind(subject)).name + "]-> " +
           std::string(g.id(entities[1]));
  }
  std::string out(g.id(subject));
  const auto name = g.name(subject);
  if (name != g.id(subject)) out += " '" + std::string(name) + "'";
  if (entities.size() > 1) {
    out += " (";
    for (std::size_t i = 1; i < entities.size(); ++i) {
      out += (i > 1 ? ", " : "") + std::string(g.id(entities[i]));
    }
    out += ")";
  }
  return out;
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

// One line of a text report: what came from the input made safe for a terminal.
std::string line(const std::string& text) {
  return util::escape_for_terminal(text) + "\n";
}

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void put(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void put_list(Writer& w, const std::vector<std::string>& list) {
  w.StartArray();
  for (const auto& s : list) put(w, s);
  w.EndArray();
}

void put_entities(Writer& w, const Graph& g, const std::vector<VertexId>& entities) {
  w.StartArray();
  for (const auto v : entities) put(w, g.id(v));
  w.EndArray();
}

}  // namespace

Timeline entity_timeline(const Graph& graph, VertexId v) {
  Collector c(graph);
  c.add_entity(v);
  auto visit = [&](std::span<const model::Adjacency> edges) {
    for (const auto& e : edges) {
      c.add_relation(e.relation);
      if (c.is_hub(e.other)) c.add_hub(e.other);
    }
  };
  visit(graph.out_edges(v));
  visit(graph.in_edges(v));
  if (c.is_hub(v)) c.add_hub(v);
  return c.finish(std::string(graph.id(v)));
}

Timeline tie_timeline(const Graph& graph, VertexId a, VertexId b) {
  Collector c(graph);
  std::unordered_set<VertexId> hubs_of_a;
  auto walk = [&](VertexId from, auto&& on_edge) {
    for (const auto& e : graph.out_edges(from)) on_edge(e);
    for (const auto& e : graph.in_edges(from)) on_edge(e);
  };
  walk(a, [&](const model::Adjacency& e) {
    if (e.other == b) c.add_relation(e.relation);
    if (c.is_hub(e.other)) hubs_of_a.insert(e.other);
  });
  // Agreements and projects both ends deal with, in the order b reaches them.
  std::vector<VertexId> shared;
  walk(b, [&](const model::Adjacency& e) {
    if (hubs_of_a.count(e.other) &&
        std::find(shared.begin(), shared.end(), e.other) == shared.end())
      shared.push_back(e.other);
  });
  for (const auto h : shared) c.add_hub(h);
  return c.finish(std::string(graph.id(a)) + " ~ " + std::string(graph.id(b)));
}

std::optional<RelationId> find_relation(const Graph& graph, std::string_view id) {
  return graph.find_relation(id);
}

std::string timeline_text(const Graph& g, const Timeline& t) {
  std::string out = util::escape_for_terminal("Timeline of " + t.subject) + ": " +
                    std::to_string(t.events.size()) +
                    (t.events.size() == 1 ? " dated event" : " dated events") + ", " +
                    std::to_string(t.undated.size()) +
                    (t.undated.size() == 1 ? " undated fact" : " undated facts") + "\n";
  if (!t.events.empty()) out += "\n";
  for (const auto& e : t.events) {
    out += line("  " + padded(e.date.to_string(), 11) + padded(e.kind, 18) + " " +
                what_text(g, e.on_relation, e.subject, e.entities) + "  [" +
                joined(e.sources, ", ") + "]");
  }
  if (!t.undated.empty()) out += "\nUndated (no date for an event their kind declares)\n";
  for (const auto& u : t.undated) {
    out += line("  " + what_text(g, u.on_relation, u.subject, u.entities) + ": no " +
                joined(u.properties, " or ") + "  [" + joined(u.sources, ", ") + "]");
  }
  return out;
}

std::string timeline_json(const Graph& g, const Timeline& t) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("subject");
  put(w, t.subject);
  w.Key("events");
  w.StartArray();
  for (const auto& e : t.events) {
    w.StartObject();
    w.Key("date");
    put(w, e.date.to_string());
    w.Key("kind");
    put(w, e.kind);
    w.Key("entities");
    put_entities(w, g, e.entities);
    w.Key("source");
    put(w, joined(e.sources, ", "));
    w.Key("sources");
    put_list(w, e.sources);
    w.Key(e.on_relation ? "relation" : "entity");
    put(w, e.on_relation ? g.relation_id(e.subject) : g.id(e.subject));
    w.Key("property");
    put(w, e.property);
    w.EndObject();
  }
  w.EndArray();
  w.Key("undated");
  w.StartArray();
  for (const auto& u : t.undated) {
    w.StartObject();
    w.Key(u.on_relation ? "relation" : "entity");
    put(w, u.on_relation ? g.relation_id(u.subject) : g.id(u.subject));
    w.Key("entities");
    put_entities(w, g, u.entities);
    w.Key("missing");
    put_list(w, u.properties);
    w.Key("sources");
    put_list(w, u.sources);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string timeline_html_table(const Graph& g, const Timeline& t,
                                const std::string& entity_link_prefix,
                                const RelationHtml& relation_html) {
  using util::escape_html;
  auto link = [&](VertexId v) {
    const std::string id(g.id(v));
    if (entity_link_prefix.empty()) return "<span class=\"id\">" + escape_html(id) + "</span>";
    std::string encoded;
    for (const unsigned char ch : id) {
      if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
        encoded += static_cast<char>(ch);
      } else {
        static const char* hex = "0123456789ABCDEF";
        encoded += '%';
        encoded += hex[ch >> 4];
        encoded += hex[ch & 15];
      }
    }
    return "<a class=\"entity-link\" href=\"" + escape_html(entity_link_prefix + encoded) +
           "\"><bdi dir=\"auto\" class=\"name\">" + escape_html(g.name(v)) + "</bdi></a>";
  };
  std::string out =
      "<table class=\"timeline\" id=\"timeline\"><thead><tr><th>Date</th><th>Event</th>"
      "<th>What</th><th>Source</th></tr></thead><tbody>\n";
  for (const auto& e : t.events) {
    std::string what;
    if (e.on_relation) {
      what = link(e.entities[0]) + " " +
             (relation_html ? relation_html(e.subject)
                            : escape_html(g.schema().relation(g.relation_kind(e.subject)).name)) +
             " " + link(e.entities[1]);
    } else {
      what = link(e.entities[0]);
      for (std::size_t i = 1; i < e.entities.size(); ++i) {
        what +=
            (i == 1 ? " (" : ", ") + link(e.entities[i]) + (i + 1 == e.entities.size() ? ")" : "");
      }
    }
    out += "<tr class=\"event\"><td class=\"date\">" + escape_html(e.date.to_string()) +
           "</td><td class=\"kind\">" + escape_html(e.kind) + "</td><td class=\"what\">" + what +
           "</td><td class=\"source\">" + escape_html(joined(e.sources, ", ")) + "</td></tr>\n";
  }
  out += "</tbody></table>\n";
  return out;
}

std::string timeline_html(const Graph& g, const Timeline& t) {
  using util::escape_html;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Timeline of " +
      escape_html(t.subject) +
      "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border-bottom:1px solid #ccc;padding:.3em .8em;text-align:left;vertical-align:top}"
      ".date{white-space:nowrap;font-variant-numeric:tabular-nums}</style></head><body>\n"
      "<h1>Timeline of " +
      escape_html(t.subject) + "</h1>\n<p>" + std::to_string(t.events.size()) +
      " dated events, oldest first; " + std::to_string(t.undated.size()) + " undated facts.</p>\n" +
      timeline_html_table(g, t);
  if (!t.undated.empty()) {
    out += "<h2>Undated</h2>\n<ul class=\"undated\">\n";
    for (const auto& u : t.undated) {
      out += "<li>" + escape_html(what_text(g, u.on_relation, u.subject, u.entities)) + ": no " +
             escape_html(joined(u.properties, " or ")) + " [" +
             escape_html(joined(u.sources, ", ")) + "]</li>\n";
    }
    out += "</ul>\n";
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace twinscan::history
