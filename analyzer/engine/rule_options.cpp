#include "analyzer/engine/rule_options.h"

#include "analyzer/engine/scan.h"
#include "analyzer/rules/shared_params.h"

namespace twinscan::engine {

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
  const rules::HomeCountry home = home_country_of(registry, catalogue, request);
  out.params[std::string(rules::kHomeCountryParam)] =
      home.code.empty() ? query::Value::null() : query::Value::of_string(home.code);
  if (home.code.empty()) {
    diagnostics.warning({}, "the home country is not known: " + home.why_unknown +
                                "; rules that need it will say they cannot judge");
  }
  home_country = home.code;
  return out;
}

}  // namespace twinscan::engine
