#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/date.h"
#include "analyzer/model/graph.h"

namespace twinscan::history {

/// One dated fact: a date property that the schema declares an event ("event": "…" on a
/// property spec), read off an entity or a relation.
struct Event {
  model::Date date;  ///< At the precision the source gave.
  std::string kind;  ///< The schema's event kind: "agreement signed", "twinned", …
  /// The entity the date belongs to, or a relation's two ends (from, to).
  std::vector<model::VertexId> entities;
  bool on_relation = false;
  std::uint32_t subject = 0;         ///< The entity's VertexId, or the relation's RelationId.
  std::string property;              ///< The date property ("signed_on", "since").
  std::vector<std::string> sources;  ///< Ids of the sources that state this date.
};

/// An entity or relation of the timeline's scope whose kind declares an event of its own
/// (not one of the common relation dates "since" and "until") but that carries no date
/// for any of them: a fact that cannot be placed in time.
struct UndatedFact {
  bool on_relation = false;
  std::uint32_t subject = 0;
  std::vector<model::VertexId> entities;
  std::vector<std::string> properties;  ///< The event properties it lacks.
  std::vector<std::string> sources;     ///< Ids of the sources that state the fact.
};

/// The dated events of an entity or a tie, oldest first, and the undated facts apart.
struct Timeline {
  std::string subject;  ///< What the timeline is of: an entity id, or "A ~ B" for a tie.
  std::vector<Event> events;
  std::vector<UndatedFact> undated;
};

/// The timeline of entity `v`: its own dated properties, those of every relation it is
/// an end of, and those of the agreements and projects one relation away (with their own
/// relations: notifications, contracts, bids).
Timeline entity_timeline(const model::Graph& graph, model::VertexId v);

/// The timeline of the tie between `a` and `b`: every relation between them (either
/// direction, e.g. TWINNED_WITH as each side declares it), and the agreements and projects
/// they are both ends of relations with (with their own relations).
Timeline tie_timeline(const model::Graph& graph, model::VertexId a, model::VertexId b);

/// The relation whose id (given or derived, `FROM-KIND->TO`) is `id`, if any.
std::optional<model::RelationId> find_relation(const model::Graph& graph, std::string_view id);

/// Text: a heading, one line per event (date, kind, what, [sources]), then the undated.
std::string timeline_text(const model::Graph& graph, const Timeline& timeline);
/// JSON: {"subject", "events": [{"date", "kind", "entities", "source", "sources",
/// "subject", "property"}], "undated": [...]}.
std::string timeline_json(const model::Graph& graph, const Timeline& timeline);
/// One HTML page: a table of the events and a list of the undated facts.
std::string timeline_html(const model::Graph& graph, const Timeline& timeline);
/// How a relation of an event reads in HTML between its two ends; by default its kind.
using RelationHtml = std::function<std::string(model::RelationId)>;
/// The events as an HTML table (<table class="timeline">), for pages that embed it: each
/// entity linked to `entity_link_prefix` + its id when a prefix is given, each relation
/// said by `relation_html` when given.
std::string timeline_html_table(const model::Graph& graph, const Timeline& timeline,
                                const std::string& entity_link_prefix = "",
                                const RelationHtml& relation_html = {});

}  // namespace twinscan::history
