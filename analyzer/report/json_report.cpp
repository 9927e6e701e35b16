#include <ostream>

#include <rapidjson/prettywriter.h>
#include "analyzer/report/json_output_stream.h"

#include "analyzer/report/report_context.h"

namespace twinscan::report {
namespace {

using Writer = rapidjson::PrettyWriter<JsonOutputStream>;

void write_string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void write_finding(Writer& w, const model::Graph& graph, const rules::Finding& f,
                   BaselineState state) {
  w.StartObject();
  w.Key("rule");
  write_string(w, f.rule->id);
  w.Key("category");
  write_string(w, f.category);
  w.Key("severity");
  write_string(w, rules::to_string(f.severity));
  w.Key("precision");
  write_string(w, rules::to_string(f.rule->precision));
  w.Key("title");
  write_string(w, f.title);
  w.Key("message");
  write_string(w, f.message);
  w.Key("fingerprint");
  write_string(w, f.fingerprint);
  if (state != BaselineState::kNone) {
    w.Key("baseline");
    write_string(w, state == BaselineState::kNew ? "new" : "unchanged");
  }
  w.Key("bindings");
  w.StartObject();
  for (const auto& [name, id] : f.bindings) {
    w.Key(name.c_str());
    write_string(w, id);
  }
  w.EndObject();
  w.Key("entities");
  w.StartArray();
  for (auto v : f.entities) write_string(w, graph.id(v));
  w.EndArray();
  w.Key("relations");
  w.StartArray();
  for (auto r : f.relations) write_string(w, graph.relation_id(r));
  w.EndArray();
  w.EndObject();
}

}  // namespace

void write_json_report(const ReportContext& context, std::ostream& out) {
  const model::Graph& graph = *context.graph;
  JsonOutputStream stream(out);
  Writer w(stream);
  w.SetIndent(' ', 1);
  w.StartObject();
  w.Key("tool");
  w.StartObject();
  w.Key("name");
  w.String("twinscan");
  w.Key("version");
  w.String(TWINSCAN_VERSION);
  w.EndObject();
  w.Key("registry");
  w.StartObject();
  w.Key("entities");
  w.Uint64(graph.entity_count());
  w.Key("relations");
  w.Uint64(graph.relation_count());
  w.EndObject();
  w.Key("as_of");
  write_string(w, context.as_of);
  w.Key("home_country");
  if (context.home_country.empty()) {
    w.Null();
  } else {
    write_string(w, context.home_country);
  }
  if (context.verdict) {
    w.Key("verdict");
    write_string(w, *context.verdict);
  }
  w.Key("findings");
  w.StartArray();
  for (std::size_t i = 0; i < context.findings.size(); ++i) {
    write_finding(w, graph, context.findings[i],
                  context.baseline.empty() ? BaselineState::kNone : context.baseline[i]);
  }
  w.EndArray();
  if (!context.baseline.empty()) {
    w.Key("resolved");
    w.StartArray();
    for (const auto& r : context.resolved) {
      w.StartObject();
      w.Key("rule");
      write_string(w, r.rule);
      w.Key("severity");
      write_string(w, r.severity);
      w.Key("message");
      write_string(w, r.message);
      w.Key("fingerprint");
      write_string(w, r.fingerprint);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!context.suppressed.empty()) {
    w.Key("suppressed");
    w.StartArray();
    for (const auto& s : context.suppressed) {
      w.StartObject();
      w.Key("fingerprint");
      write_string(w, s.finding.fingerprint);
      w.Key("rule");
      write_string(w, s.finding.rule->id);
      w.Key("justification");
      write_string(w, s.justification);
      w.Key("author");
      write_string(w, s.author);
      w.Key("expires");
      write_string(w, s.expires);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  stream.Flush();
  out << '\n';
}

}  // namespace twinscan::report
