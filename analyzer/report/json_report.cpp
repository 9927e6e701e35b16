#include <cstddef>
#include <ostream>
#include <string>

#include <rapidjson/prettywriter.h>
#include "analyzer/report/json_output_stream.h"

#include "analyzer/report/findings_ahead.h"
#include "analyzer/report/findings_in_pieces.h"
#include "analyzer/report/json_finding_text.h"
#include "analyzer/report/report_context.h"

namespace twinscan::report {
namespace {

using Writer = rapidjson::PrettyWriter<JsonOutputStream>;

void write_string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// Findings are rendered in runs of this many, on the report's threads. Up to four pieces
// per thread are held at once, so a piece is kept small (about 200 KB): a thousand
// findings a piece held 8 MB, a tenth of a 10^5 registry's scan, for no gain in speed.
constexpr std::size_t kFindingsPerPiece = 256;
// Room for a piece: a finding takes 600 to 1,000 bytes in the national and dense reports.
constexpr std::size_t kBytesPerPiece = kFindingsPerPiece * 1024;

// The findings, as PrettyWriter writes the elements of the array it has open at depth 2.
void write_findings(Writer& w, JsonOutputStream& stream, const ReportContext& context) {
  const auto& findings = context.findings;
  write_findings_in_pieces(w, stream, context, kFindingsPerPiece,
                           [&](std::size_t begin, std::size_t end, std::string& text) {
                             text.reserve(kBytesPerPiece);
                             FindingsAhead ahead(*context.graph, findings, begin, end);
                             FindingJsonText finding_text(*context.graph, 2);
                             auto finding = findings.begin() + static_cast<std::ptrdiff_t>(begin);
                             for (std::size_t i = begin; i < end; ++i, ++finding) {
                               ahead.ask(i);
                               if (i != 0) text.append(",\n  ");
                               finding_text.append(text, *finding, baseline_state(context, i));
                             }
                           });
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
  write_findings(w, stream, context);
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
