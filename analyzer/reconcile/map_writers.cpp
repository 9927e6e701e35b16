// The national map as text, JSON and CSV (HTML is in map_html.cpp).
#include "analyzer/reconcile/map_writers.h"

#include <sstream>

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include "analyzer/util/terminal_text.h"

namespace twinscan::reconcile {

namespace {

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string role_text(const model::SourceInfo& source) {
  return source.role.empty() ? "no role" : source.role;
}

/// The country the registry keeps for `v`, or empty.
std::string country(const model::Graph& graph, model::VertexId v) {
  util::Sym key = 0;
  if (!graph.strings().find("country", key)) return {};
  const model::Value* value = graph.property(v, key);
  if (!value || value->type != model::ValueType::kString) return {};
  return std::string(graph.str(value->string));
}

/// The statement's value of property `i` of kTieProperties.
const std::optional<model::Value>& value_of(const model::TieStatement& s, int i) {
  return i == 0 ? s.since : i == 1 ? s.until : s.status;
}

std::string issues_text(const model::Graph& graph, const NationalMap& map, const Tie& tie) {
  std::string out;
  for (const auto& issue : tie.issues) {
    if (!out.empty()) out += "; ";
    out += describe_issue(graph, map, issue);
  }
  return out;
}

/// The tie's state in words where it is not simply active: ", ended", ", not yet begun
/// (since 2030-01-01)". A disputed tie says so in its ended-and-active issue.
std::string state_suffix(const Tie& tie) {
  switch (tie.state) {
    case model::TieState::kEnded:
      return ", ended";
    case model::TieState::kNotYetBegun: {
      std::optional<model::Date> since;
      for (const auto& st : tie.statements) {
        if (st.since && st.since->type == model::ValueType::kDate &&
            (!since || st.since->date.days_since_epoch() < since->days_since_epoch()))
          since = st.since->date;
      }
      return since ? ", not yet begun (since " + since->to_string() + ")" : ", not yet begun";
    }
    case model::TieState::kActive:
    case model::TieState::kDisputed:
      break;
  }
  return {};
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void write_text(const model::Graph& graph, const NationalMap& map, std::ostream& out) {
  using util::escape_for_terminal;
  const auto& sources = graph.sources();
  out << "National map as of " << map.as_of.to_string() << ", from "
      << plural(sources.size(), "source", "sources") << ":\n";
  for (std::size_t s = 0; s < sources.size(); ++s) {
    out << "  " << escape_for_terminal(sources[s].id) << " ("
        << escape_for_terminal(role_text(sources[s]))
        << "): " << escape_for_terminal(sources[s].name) << "; held to "
        << escape_for_terminal(describe_scope(graph, sources[s], map.scopes[s])) << '\n';
  }
  out << '\n';
  for (const auto& tie : map.ties) {
    out << escape_for_terminal(graph.name(tie.municipality)) << " ("
        << escape_for_terminal(graph.id(tie.municipality)) << ") \u2014 "
        << escape_for_terminal(graph.name(tie.counterpart)) << " ("
        << escape_for_terminal(graph.id(tie.counterpart));
    if (const auto c = country(graph, tie.counterpart); !c.empty())
      out << ", " << escape_for_terminal(c);
    out << "): ";
    if (tie.issues.empty()) {
      out << "consistent" << state_suffix(tie) << '\n';
      continue;
    }
    out << plural(tie.issues.size(), "issue", "issues") << state_suffix(tie) << '\n';
    for (const auto& issue : tie.issues) {
      out << "    " << escape_for_terminal(describe_issue(graph, map, issue)) << '\n';
    }
  }
  if (map.ties.empty()) out << "no ties between a municipality and a counterpart\n";
  const Summary& sum = map.summary;
  out << '\n'
      << plural(sum.ties, "tie", "ties") << ": " << sum.ties - sum.ties_with_issues
      << " consistent, " << sum.ties_with_issues << " with issues (" << sum.missing_from
      << " missing-from, " << sum.disagree << " disagree, " << sum.ended_and_active
      << " ended-and-active); " << plural(sum.foreign_ties, "tie", "ties")
      << " between foreign cities not listed\n"
      << "On " << map.as_of.to_string() << ": "
      << sum.by_state[static_cast<std::size_t>(model::TieState::kActive)] << " active, "
      << sum.by_state[static_cast<std::size_t>(model::TieState::kEnded)] << " ended, "
      << sum.by_state[static_cast<std::size_t>(model::TieState::kNotYetBegun)] << " not yet begun, "
      << sum.by_state[static_cast<std::size_t>(model::TieState::kDisputed)]
      << " ended in some sources and active in others\n";
}

void write_json(const model::Graph& graph, const NationalMap& map, std::ostream& out) {
  rapidjson::OStreamWrapper stream(out);
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w(stream);
  auto string = [&w](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  auto value = [&](const std::optional<model::Value>& v) {
    if (!v || v->is_null()) {
      w.Null();
    } else {
      string(plain_text(graph, *v));
    }
  };
  const auto& sources = graph.sources();
  w.StartObject();
  w.Key("sources");
  w.StartArray();
  for (const auto& s : sources) {
    w.StartObject();
    w.Key("id");
    string(s.id);
    w.Key("name");
    string(s.name);
    w.Key("role");
    if (s.role.empty()) {
      w.Null();
    } else {
      string(s.role);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("ties");
  w.StartArray();
  for (const auto& tie : map.ties) {
    w.StartObject();
    w.Key("municipality");
    string(graph.id(tie.municipality));
    w.Key("counterpart");
    string(graph.id(tie.counterpart));
    w.Key("state");
    w.String(model::to_string(tie.state));
    w.Key("sources");
    w.StartObject();
    for (const auto& st : tie.statements) {
      w.Key(sources[st.source].id);
      w.StartObject();
      for (int i = 0; i < 3; ++i) {
        w.Key(model::kTieProperties[i]);
        value(value_of(st, i));
      }
      w.EndObject();
    }
    w.EndObject();
    w.Key("issues");
    w.StartArray();
    for (const auto& issue : tie.issues) {
      w.StartObject();
      w.Key("kind");
      w.String(to_string(issue.kind));
      switch (issue.kind) {
        case IssueKind::kMissingFrom:
          w.Key("source");
          string(sources[issue.source].id);
          w.Key("source_role");
          if (sources[issue.source].role.empty()) {
            w.Null();
          } else {
            string(sources[issue.source].role);
          }
          break;
        case IssueKind::kDisagree: {
          w.Key("property");
          string(issue.disagreement.property);
          const int i = issue.disagreement.property == "since"   ? 0
                        : issue.disagreement.property == "until" ? 1
                                                                 : 2;
          w.Key("values");
          w.StartObject();
          for (const auto& st : tie.statements) {
            w.Key(sources[st.source].id);
            value(value_of(st, i));
          }
          w.EndObject();
          break;
        }
        case IssueKind::kEndedAndActive:
          w.Key("ended_in");
          w.StartArray();
          for (const auto s : issue.ended_in) string(sources[s].id);
          w.EndArray();
          w.Key("active_in");
          w.StartArray();
          for (const auto s : issue.active_in) string(sources[s].id);
          w.EndArray();
          break;
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  const Summary& sum = map.summary;
  w.Key("summary");
  w.StartObject();
  w.Key("as_of");
  string(map.as_of.to_string());
  w.Key("ties");
  w.Uint64(sum.ties);
  w.Key("ties_with_issues");
  w.Uint64(sum.ties_with_issues);
  w.Key("issues");
  w.StartObject();
  w.Key("missing-from");
  w.Uint64(sum.missing_from);
  w.Key("disagree");
  w.Uint64(sum.disagree);
  w.Key("ended-and-active");
  w.Uint64(sum.ended_and_active);
  w.EndObject();
  w.Key("states");
  w.StartObject();
  for (const auto state : {model::TieState::kActive, model::TieState::kEnded,
                           model::TieState::kNotYetBegun, model::TieState::kDisputed}) {
    w.Key(model::to_string(state));
    w.Uint64(sum.by_state[static_cast<std::size_t>(state)]);
  }
  w.EndObject();
  w.Key("foreign_foreign_ties");
  w.Uint64(sum.foreign_ties);
  w.EndObject();
  w.EndObject();
  out << '\n';
}

void write_csv(const model::Graph& graph, const NationalMap& map, std::ostream& out) {
  const auto& sources = graph.sources();
  out << "municipality,counterpart,source,role,since,until,status,issues,state\r\n";
  for (const auto& tie : map.ties) {
    const std::string issues = issues_text(graph, map, tie);
    for (const auto& st : tie.statements) {
      out << csv_field(std::string(graph.id(tie.municipality))) << ','
          << csv_field(std::string(graph.id(tie.counterpart))) << ','
          << csv_field(sources[st.source].id) << ',' << csv_field(sources[st.source].role);
      for (int i = 0; i < 3; ++i) {
        const auto& v = value_of(st, i);
        out << ',' << csv_field(v ? plain_text(graph, *v) : std::string());
      }
      out << ',' << csv_field(issues) << ',' << model::to_string(tie.state) << "\r\n";
    }
  }
}

std::string render(const model::Graph& graph, const NationalMap& map, const std::string& format) {
  std::ostringstream out;
  if (format == "json") {
    write_json(graph, map, out);
  } else if (format == "csv") {
    write_csv(graph, map, out);
  } else if (format == "html") {
    write_html(graph, map, out);
  } else {
    write_text(graph, map, out);
  }
  return out.str();
}

}  // namespace twinscan::reconcile
