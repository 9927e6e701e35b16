// SARIF 2.1.0: rules as reportingDescriptors, entities as logical locations, the
// defining document of the first bound entity as the physical location, fingerprints
// as partialFingerprints.
#include <algorithm>
#include <cstddef>
#include <map>
#include <ostream>
#include <string>
#include <string_view>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include "analyzer/report/findings_ahead.h"
#include "analyzer/report/json_output_stream.h"

#include "analyzer/report/findings_in_pieces.h"

#include "analyzer/report/report_context.h"
#include "analyzer/util/percent_encoding.h"

namespace twinscan::report {
namespace {

using Writer = rapidjson::PrettyWriter<JsonOutputStream>;

template <typename W>
void write_string(W& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

const char* level_of(rules::Severity s) {
  switch (s) {
    case rules::Severity::kCritical:
    case rules::Severity::kHigh:
      return "error";
    case rules::Severity::kMedium:
      return "warning";
    default:
      return "note";
  }
}

template <typename W>
void write_text_object(W& w, const char* key, std::string_view text) {
  w.Key(key);
  w.StartObject();
  w.Key("text");
  write_string(w, text);
  w.EndObject();
}

void write_rule(Writer& w, const rules::Rule& rule) {
  w.StartObject();
  w.Key("id");
  write_string(w, rule.id);
  w.Key("name");
  write_string(w, rule.title);
  write_text_object(w, "shortDescription", rule.title);
  write_text_object(w, "fullDescription", rule.rationale);
  if (!rule.remediation.empty()) write_text_object(w, "help", rule.remediation);
  w.Key("defaultConfiguration");
  w.StartObject();
  w.Key("level");
  w.String(level_of(rule.severity));
  w.EndObject();
  w.Key("properties");
  w.StartObject();
  w.Key("category");
  write_string(w, rule.category);
  w.Key("severity");
  write_string(w, rules::to_string(rule.severity));
  w.Key("precision");
  write_string(w, rules::to_string(rule.precision));
  w.Key("references");
  w.StartArray();
  for (const auto& r : rule.references) write_string(w, r);
  w.EndArray();
  w.EndObject();
  w.EndObject();
}

// A relative path is relative to where twinscan ran: the run's %SRCROOT%. An absolute one
// is a file: URI.
template <typename W>
void write_artifact_location(W& w, std::string_view path) {
  w.Key("artifactLocation");
  w.StartObject();
  w.Key("uri");
  if (path.starts_with('/')) {
    write_string(w, "file://" + util::percent_encode(path, "/"));
  } else {
    write_string(w, util::percent_encode(path, "/"));  // "reg 1.json": reg%201.json
    w.Key("uriBaseId");
    w.String("%SRCROOT%");
  }
  w.EndObject();
}

template <typename W>
void write_physical_location(W& w, const model::Graph& graph, model::SourceRef where) {
  w.Key("physicalLocation");
  w.StartObject();
  write_artifact_location(w, graph.documents()[where.document]);
  w.Key("region");
  w.StartObject();
  w.Key("startLine");
  w.Uint(std::max(1U, where.line));
  w.Key("startColumn");
  w.Uint(std::max(1U, where.column));
  w.EndObject();
  w.EndObject();
}

// A suppressed finding stays in the log, marked with SARIF's own suppression object: set
// aside outside the registry (a suppression file), accepted by a reviewer, with the reason.
template <typename W>
void write_suppression(W& w, const SuppressedFinding& s) {
  w.Key("suppressions");
  w.StartArray();
  w.StartObject();
  w.Key("kind");
  w.String("external");
  w.Key("status");
  w.String("accepted");
  w.Key("justification");
  write_string(w, s.justification);
  w.Key("properties");
  w.StartObject();
  w.Key("author");
  write_string(w, s.author);
  w.Key("expires");
  write_string(w, s.expires);
  w.EndObject();
  w.EndObject();
  w.EndArray();
}

template <typename W>
void write_level_message_fingerprint(W& w, rules::Severity severity, const std::string& message,
                                     const std::string& fingerprint) {
  w.Key("level");
  w.String(level_of(severity));
  write_text_object(w, "message", message);
  w.Key("partialFingerprints");
  w.StartObject();
  w.Key("twinscan/v1");
  write_string(w, fingerprint);
  w.EndObject();
}

template <typename W>
void write_result(W& w, const model::Graph& graph,
                  const std::map<std::string, std::size_t>& rule_index, const rules::Finding& f,
                  BaselineState state, const SuppressedFinding* suppression) {
  w.StartObject();
  w.Key("ruleId");
  write_string(w, f.rule->id);
  if (const auto it = rule_index.find(f.rule->id); it != rule_index.end()) {
    w.Key("ruleIndex");
    w.Uint64(it->second);
  }
  write_level_message_fingerprint(w, f.severity, f.message, f.fingerprint);
  if (state != BaselineState::kNone) {
    w.Key("baselineState");
    w.String(state == BaselineState::kNew ? "new" : "unchanged");
  }
  if (suppression != nullptr) write_suppression(w, *suppression);
  w.Key("locations");
  w.StartArray();
  w.StartObject();
  const model::VertexId first = f.bindings.empty() || !graph.find(f.bindings[0].second)
                                    ? (f.entities.empty() ? model::kNoVertex : f.entities[0])
                                    : *graph.find(f.bindings[0].second);
  if (first != model::kNoVertex) write_physical_location(w, graph, graph.source(first));
  w.Key("logicalLocations");
  w.StartArray();
  for (auto v : f.entities) {
    w.StartObject();
    w.Key("name");
    write_string(w, graph.name(v));
    w.Key("fullyQualifiedName");
    write_string(w, graph.id(v));
    w.Key("kind");
    write_string(w, graph.schema().kind(graph.kind(v)).name);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.Key("properties");
  w.StartObject();
  w.Key("category");
  write_string(w, f.category);
  w.Key("severity");
  write_string(w, rules::to_string(f.severity));
  w.Key("bindings");
  w.StartObject();
  for (const auto& [name, id] : f.bindings) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    write_string(w, id);
  }
  w.EndObject();
  w.Key("relations");
  w.StartArray();
  for (auto r : f.relations) write_string(w, graph.relation_id(r));
  w.EndArray();
  w.EndObject();
  w.EndObject();
}

void write_resolved(Writer& w, const std::map<std::string, std::size_t>& rule_index,
                    const ResolvedFinding& r) {
  w.StartObject();
  w.Key("ruleId");
  write_string(w, r.rule);
  if (const auto it = rule_index.find(r.rule); it != rule_index.end()) {
    w.Key("ruleIndex");
    w.Uint64(it->second);
  }
  write_level_message_fingerprint(
      w, rules::parse_severity(r.severity).value_or(rules::Severity::kInfo), r.message,
      r.fingerprint);
  w.Key("baselineState");
  w.String("absent");
  w.Key("properties");
  w.StartObject();
  w.Key("severity");
  write_string(w, r.severity);
  w.EndObject();
  w.EndObject();
}

// Results are rendered in pieces of this many findings, on the report's threads (small,
// as in the JSON report: up to four pieces per thread are held at once).
constexpr std::size_t kResultsPerPiece = 128;
// How deep the results lie: the log object, "runs", the run object, "results".
constexpr unsigned kResultsDepth = 4;

// The findings' results, as `w` writes the elements of the "results" array it has open.
// Each piece is written by a PrettyWriter of its own, opened to the same depth so that
// it indents alike; the first result's line break and indent are left to `w`.
void write_results(Writer& w, JsonOutputStream& stream, const ReportContext& context,
                   const std::map<std::string, std::size_t>& rule_index) {
  write_findings_in_pieces(
      w, stream, context, kResultsPerPiece,
      [&](std::size_t begin, std::size_t end, std::string& text) {
        rapidjson::StringBuffer buffer;
        rapidjson::PrettyWriter<rapidjson::StringBuffer> pw(buffer);
        pw.SetIndent(' ', 1);
        pw.StartObject();
        pw.Key("runs");
        pw.StartArray();
        pw.StartObject();
        pw.Key("results");
        pw.StartArray();
        const std::size_t opened = buffer.GetSize();
        FindingsAhead ahead(*context.graph, context.findings, begin, end);
        auto finding = context.findings.begin() + static_cast<std::ptrdiff_t>(begin);
        for (std::size_t i = begin; i < end; ++i, ++finding) {
          ahead.ask(i);
          write_result(pw, *context.graph, rule_index, *finding, baseline_state(context, i),
                       nullptr);
        }
        std::string_view rendered(buffer.GetString() + opened, buffer.GetSize() - opened);
        if (begin == 0) {
          rendered.remove_prefix(1 + kResultsDepth);  // "\n" and the indent: w wrote them
        } else {
          text.push_back(',');
        }
        text.append(rendered);
      });
}

}  // namespace

void write_sarif_report(const ReportContext& context, std::ostream& out) {
  const model::Graph& graph = *context.graph;
  std::map<std::string, std::size_t> rule_index;
  for (std::size_t i = 0; i < context.rules->size(); ++i) rule_index[(*context.rules)[i].id] = i;

  JsonOutputStream stream(out);
  Writer w(stream);
  w.SetIndent(' ', 1);
  w.StartObject();
  w.Key("$schema");
  w.String("https://json.schemastore.org/sarif-2.1.0.json");
  w.Key("version");
  w.String("2.1.0");
  w.Key("runs");
  w.StartArray();
  w.StartObject();
  w.Key("tool");
  w.StartObject();
  w.Key("driver");
  w.StartObject();
  w.Key("name");
  w.String("twinscan");
  w.Key("version");
  w.String(TWINSCAN_VERSION);
  w.Key("semanticVersion");
  w.String(TWINSCAN_VERSION);
  w.Key("rules");
  w.StartArray();
  for (const auto& rule : *context.rules) write_rule(w, rule);
  w.EndArray();
  w.EndObject();
  w.EndObject();
  // Registry documents given as relative paths are relative to the folder twinscan ran
  // in; it is not written here, so that a log does not depend on where it was made.
  w.Key("originalUriBaseIds");
  w.StartObject();
  w.Key("%SRCROOT%");
  w.StartObject();
  write_text_object(w, "description", "The folder twinscan was run from");
  w.EndObject();
  w.EndObject();
  w.Key("results");
  w.StartArray();
  write_results(w, stream, context, rule_index);
  for (const auto& s : context.suppressed) {
    write_result(w, graph, rule_index, s.finding, BaselineState::kNone, &s);
  }
  // Findings of the baseline that are gone: SARIF's "absent", so that a dashboard closes
  // them. Only what the baseline kept of them is known: rule, severity, message.
  for (const auto& r : context.resolved) write_resolved(w, rule_index, r);
  w.EndArray();
  w.Key("properties");
  w.StartObject();
  w.Key("home_country");
  if (context.home_country.empty()) {
    w.Null();
  } else {
    write_string(w, context.home_country);
  }
  w.Key("as_of");
  write_string(w, context.as_of);
  if (context.verdict) {
    // A screening's answer, as the other formats give it (the run's property bag).
    w.Key("verdict");
    write_string(w, *context.verdict);
  }
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  stream.Flush();
  out << '\n';
}

}  // namespace twinscan::report
