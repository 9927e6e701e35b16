#include "analyzer/engine/scan.h"

#include "analyzer/engine/rule_options.h"
#include "analyzer/rules/scanner.h"
#include "analyzer/rules/shared_params.h"

namespace twinscan::engine {

rules::HomeCountry home_country_of(const Registry& registry, const Catalogue& catalogue,
                                   std::optional<std::uint32_t> leave_out) {
  if (!registry.spec().home_country.empty()) return registry.home_country();
  const auto it = catalogue.parameters().find(std::string(rules::kHomeCountryParam));
  if (it == catalogue.parameters().end() || it->second.type != query::Type::kString) {
    return leave_out ? rules::resolve_home_country(registry.graph(), {}, leave_out)
                     : registry.home_country();
  }
  return rules::resolve_home_country(
      registry.graph(),
      rules::normalise_country_code(it->second.text).value_or(std::string(it->second.text)));
}

RunResult scan(const Registry& registry, const Catalogue& catalogue, const RunOptions& options,
               diag::Diagnostics& diagnostics) {
  RunResult out;
  const rules::ScanOptions scan_options =
      rule_options(registry, catalogue, options, out.home_country, diagnostics);
  rules::ScanResult result =
      rules::scan(registry.graph(), catalogue.rules(), scan_options, diagnostics);
  out.findings = std::move(result.findings);
  if (!result.ok) out.outcome = Outcome::kBadInput;
  return out;
}

}  // namespace twinscan::engine
