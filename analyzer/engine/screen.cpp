#include "analyzer/engine/screen.h"

#include "analyzer/engine/rule_options.h"
#include "analyzer/rules/scanner.h"

namespace twinscan::engine {
namespace {

// True when document `request` defines an Agreement or a relation. What a document adds
// is appended after everything before it, so only the tail of the graph is looked at.
bool request_adds_something(const model::Graph& graph, std::uint32_t request) {
  const auto relations = graph.relation_count();
  if (relations > 0 &&
      graph.relation_source_ref(static_cast<model::RelationId>(relations - 1)).document == request)
    return true;
  const auto agreement = graph.schema().find_kind("Agreement");
  for (auto v = graph.entity_count(); v > 0; --v) {
    const auto vertex = static_cast<model::VertexId>(v - 1);
    if (graph.source(vertex).document != request) break;
    if (agreement && graph.kind(vertex) == *agreement) return true;
  }
  return false;
}

}  // namespace

RunResult screen(const Request& request, const Catalogue& catalogue, const RunOptions& options,
                 diag::Diagnostics& diagnostics) {
  RunResult out;
  const Registry& merged = request.merged();
  const rules::ScanOptions scan_options =
      rule_options(merged, catalogue, options, out.home_country, diagnostics, request.document());
  if (!request_adds_something(merged.graph(), request.document())) {
    diagnostics.error({request.path(), 0, 0},
                      "the request adds nothing to screen: it holds no new Agreement and no new "
                      "relation (put the new agreement and its relations in it)");
    out.outcome = Outcome::kBadInput;
    return out;
  }
  rules::ScanResult result = rules::screen(merged.graph(), catalogue.rules(), request.document(),
                                           scan_options, diagnostics);
  out.findings = std::move(result.findings);
  if (!result.ok) out.outcome = Outcome::kBadInput;
  return out;
}

std::string_view verdict(const rules::FindingList& findings) {
  std::string_view out = "clear";
  for (const auto& f : findings) {
    if (f.severity >= rules::Severity::kHigh) return "escalate";
    out = "review";
  }
  return out;
}

}  // namespace twinscan::engine
