#include "analyzer/reconcile/national_map.h"

#include <algorithm>
#include <utility>

#include "analyzer/model/provenance.h"

namespace twinscan::reconcile {

namespace {

/// The interned symbol of `text`, or 0 when the graph never interned it.
util::Sym sym_of(const model::Graph& graph, const char* text) {
  util::Sym s = 0;
  if (!graph.strings().find(text, s)) return 0;
  return s;
}

/// The country of entity `v` as `source` states it, else as the registry keeps it;
/// empty when neither gives a text.
std::string country_of(const model::Graph& graph, model::VertexId v, util::Sym key,
                       const std::uint32_t* source) {
  if (key == 0) return {};
  if (source) {
    const auto stated = model::value_stated_by(graph, v, key, *source);
    if (stated && stated->type == model::ValueType::kString)
      return std::string(graph.str(stated->string));
  }
  const model::Value* kept = graph.property(v, key);
  if (kept && kept->type == model::ValueType::kString) return std::string(graph.str(kept->string));
  return {};
}

}  // namespace

const char* to_string(IssueKind kind) {
  switch (kind) {
    case IssueKind::kMissingFrom:
      return "missing-from";
    case IssueKind::kDisagree:
      return "disagree";
    case IssueKind::kEndedAndActive:
      return "ended-and-active";
  }
  return "";
}

bool Tie::states(std::uint32_t source) const {
  return std::any_of(statements.begin(), statements.end(),
                     [source](const model::TieStatement& s) { return s.source == source; });
}

bool Tie::holds(std::uint32_t source) const {
  return std::binary_search(held_to.begin(), held_to.end(), source);
}

std::vector<SourceScope> source_scopes(const model::Graph& graph) {
  const auto& sources = graph.sources();
  std::vector<SourceScope> scopes(sources.size());
  for (std::size_t s = 0; s < sources.size(); ++s) {
    const std::string& role = sources[s].role;
    if (role == "national-register" || role == "local-authorities") {
      scopes[s].reach = SourceScope::Reach::kEveryTie;
    } else if (role == "municipality") {
      scopes[s].reach = SourceScope::Reach::kMunicipalities;
    } else if (role == "foreign-side") {
      scopes[s].reach = SourceScope::Reach::kCountries;
    }
  }
  const auto municipality = graph.schema().find_kind("Municipality");
  const auto foreign_city = graph.schema().find_kind("ForeignCity");
  const util::Sym country = sym_of(graph, "country");

  // What each source speaks for, from the entities it states ...
  auto speak_for = [&](std::uint32_t s, model::VertexId v) {
    SourceScope& scope = scopes[s];
    if (scope.reach == SourceScope::Reach::kMunicipalities && municipality &&
        graph.kind(v) == *municipality) {
      scope.municipalities.insert(v);
    } else if (scope.reach == SourceScope::Reach::kCountries && foreign_city &&
               graph.kind(v) == *foreign_city) {
      if (auto c = country_of(graph, v, country, &s); !c.empty()) scope.countries.insert(c);
    }
  };
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
    for (const std::uint32_t s : graph.entity_sources(v)) speak_for(s, v);
  }
  // ... and from the ends of the ties it states.
  const auto twinned = graph.schema().find_relation("TWINNED_WITH");
  if (twinned) {
    for (model::RelationId r = 0; r < graph.relation_count(); ++r) {
      if (graph.relation_kind(r) != *twinned) continue;
      for (const std::uint32_t s : graph.relation_sources(r)) {
        scopes[s].lists_ties = true;
        speak_for(s, graph.relation_source(r));
        speak_for(s, graph.relation_target(r));
      }
    }
  }
  for (auto& scope : scopes) {
    if (!scope.lists_ties) scope.reach = SourceScope::Reach::kNone;
  }
  return scopes;
}

std::string describe_scope(const model::Graph& graph, const model::SourceInfo& source,
                           const SourceScope& scope) {
  if (!scope.lists_ties) return "none: lists no ties";
  switch (scope.reach) {
    case SourceScope::Reach::kEveryTie:
      return "every tie";
    case SourceScope::Reach::kMunicipalities: {
      if (scope.municipalities.empty()) return "none: states no municipality";
      std::string out = "ties of";
      bool first = true;
      for (const auto v : scope.municipalities) {
        out += first ? " " : ", ";
        out += graph.id(v);
        first = false;
      }
      return out;
    }
    case SourceScope::Reach::kCountries: {
      if (scope.countries.empty()) return "none: states no foreign city with a country";
      std::string out = "ties with cities in";
      bool first = true;
      for (const auto& c : scope.countries) {
        out += first ? " " : ", ";
        out += c;
        first = false;
      }
      return out;
    }
    case SourceScope::Reach::kNone:
      break;
  }
  return "none: partial by nature (" + (source.role.empty() ? "no role" : source.role) + ")";
}

bool covers(const model::Graph& graph, const SourceScope& scope, model::VertexId municipality,
            model::VertexId counterpart) {
  if (!scope.lists_ties) return false;
  switch (scope.reach) {
    case SourceScope::Reach::kEveryTie:
      return true;
    case SourceScope::Reach::kMunicipalities:
      return scope.municipalities.count(municipality) > 0 ||
             scope.municipalities.count(counterpart) > 0;
    case SourceScope::Reach::kCountries: {
      const std::string c = country_of(graph, counterpart, sym_of(graph, "country"), nullptr);
      return !c.empty() && scope.countries.count(c) > 0;
    }
    case SourceScope::Reach::kNone:
      return false;
  }
  return false;
}

NationalMap build_national_map(const model::Graph& graph, model::Date as_of) {
  NationalMap map;
  map.as_of = as_of;
  map.scopes = source_scopes(graph);
  const auto twinned = graph.schema().find_relation("TWINNED_WITH");
  if (!twinned) return map;
  const auto municipality = graph.schema().find_kind("Municipality");
  auto is_municipality = [&](model::VertexId v) {
    return municipality && graph.kind(v) == *municipality;
  };

  // Each unordered pair once, whichever side declared it.
  std::vector<std::pair<model::VertexId, model::VertexId>> pairs;
  for (model::RelationId r = 0; r < graph.relation_count(); ++r) {
    if (graph.relation_kind(r) != *twinned) continue;
    const auto a = graph.relation_source(r);
    const auto b = graph.relation_target(r);
    if (a == b) continue;
    pairs.emplace_back(std::min(a, b), std::max(a, b));
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

  const model::TieReader reader(graph);
  for (const auto& [a, b] : pairs) {
    const bool ma = is_municipality(a);
    const bool mb = is_municipality(b);
    if (!ma && !mb) {
      ++map.summary.foreign_ties;
      continue;
    }
    Tie tie;
    // The municipality first; of two municipalities, the one with the smaller id.
    const bool a_first = ma && (!mb || graph.id(a) < graph.id(b));
    tie.municipality = a_first ? a : b;
    tie.counterpart = a_first ? b : a;
    tie.statements = reader.statements(tie.municipality, tie.counterpart);
    for (std::uint32_t s = 0; s < map.scopes.size(); ++s) {
      if (covers(graph, map.scopes[s], tie.municipality, tie.counterpart)) tie.held_to.push_back(s);
    }
    for (const std::uint32_t s : tie.held_to) {
      if (tie.states(s)) continue;
      Issue issue;
      issue.kind = IssueKind::kMissingFrom;
      issue.source = s;
      tie.issues.push_back(std::move(issue));
    }
    for (auto& d : reader.disagreements(tie.statements)) {
      Issue issue;
      issue.kind = IssueKind::kDisagree;
      issue.disagreement = std::move(d);
      tie.issues.push_back(std::move(issue));
    }
    Issue state;
    state.kind = IssueKind::kEndedAndActive;
    for (const auto& st : tie.statements) {
      (reader.ended(st, as_of) ? state.ended_in : state.active_in).push_back(st.source);
    }
    if (!state.ended_in.empty() && !state.active_in.empty()) tie.issues.push_back(std::move(state));
    tie.state = reader.state(tie.statements, as_of);
    map.ties.push_back(std::move(tie));
  }

  std::sort(map.ties.begin(), map.ties.end(), [&graph](const Tie& x, const Tie& y) {
    const auto kx = std::pair(graph.id(x.municipality), graph.id(x.counterpart));
    const auto ky = std::pair(graph.id(y.municipality), graph.id(y.counterpart));
    return kx < ky;
  });
  map.summary.ties = map.ties.size();
  for (const auto& tie : map.ties) {
    if (!tie.issues.empty()) ++map.summary.ties_with_issues;
    ++map.summary.by_state[static_cast<std::size_t>(tie.state)];
    for (const auto& issue : tie.issues) {
      switch (issue.kind) {
        case IssueKind::kMissingFrom:
          ++map.summary.missing_from;
          break;
        case IssueKind::kDisagree:
          ++map.summary.disagree;
          break;
        case IssueKind::kEndedAndActive:
          ++map.summary.ended_and_active;
          break;
      }
    }
  }
  return map;
}

std::string plain_text(const model::Graph& graph, const model::Value& value) {
  if (value.type == model::ValueType::kString) return std::string(graph.str(value.string));
  return model::value_text(graph, value);
}

std::string describe_issue(const model::Graph& graph, const NationalMap& map, const Issue& issue) {
  switch (issue.kind) {
    case IssueKind::kMissingFrom: {
      const auto& source = graph.sources()[issue.source];
      return "missing from " + source.id + " (" + (source.role.empty() ? "no role" : source.role) +
             ")";
    }
    case IssueKind::kDisagree:
      return model::TieReader(graph).describe(issue.disagreement);
    case IssueKind::kEndedAndActive:
      return "ended by " + map.as_of.to_string() + " according to " +
             model::source_ids_text(graph, issue.ended_in) + "; still active according to " +
             model::source_ids_text(graph, issue.active_in);
  }
  return {};
}

}  // namespace twinscan::reconcile
