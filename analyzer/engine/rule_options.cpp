#include "analyzer/engine/rule_options.h"

#include "analyzer/engine/scan.h"
#include "analyzer/rules/shared_params.h"

namespace twinscan::engine {

namespace {

// Each judged cluster's kept id (the one loaded first) to the id the judgements name
// first: what fingerprints name it by, whatever order the documents come in.
std::shared_ptr<const rules::StableIds> stable_ids_of(const Registry& registry) {
  if (registry.judged_same().empty()) return nullptr;
  auto out = std::make_shared<rules::StableIds>();
  const model::Graph& graph = registry.graph();
  for (const auto& members : registry.judged_same()) {
    if (members.empty()) continue;
    const std::string& stable = members.front();
    for (const auto& id : members) {
      const auto v = graph.find(std::string_view(id));
      if (!v) continue;
      const std::string_view kept = graph.id(*v);
      if (kept != stable) out->emplace(std::string(kept), stable);
      break;
    }
  }
  return out;
}

}  // namespace

rules::ScanOptions rule_options(const Registry& registry, const Catalogue& catalogue,
                                const RunOptions& options, std::string& home_country,
                                diag::Diagnostics& diagnostics,
                                std::optional<std::uint32_t> request) {
  rules::ScanOptions out;
  out.as_of = options.as_of;
  out.jobs = options.jobs;
  out.limits = options.limits;
  out.progress = options.progress;
  out.params = catalogue.parameters();
  out.compiled_rules = registry.compiled_rules();
  out.stable_ids = stable_ids_of(registry);
  const rules::HomeCountry home = home_country_of(registry, catalogue, request);
  out.params[std::string(rules::kHomeCountryParam)] =
      home.code.empty() ? query::Value::null() : query::Value::of_string(home.code);
  if (home.code.empty()) {
    diagnostics.warning({}, "the home country is not known: " + home.why_unknown +
                                "; rules that need it will say they cannot judge");
  }
  if (!home.disagreement.empty()) diagnostics.warning({}, home.disagreement);
  home_country = home.code;
  return out;
}

}  // namespace twinscan::engine
