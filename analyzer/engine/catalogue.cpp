#include "analyzer/engine/catalogue.h"

#include "analyzer/rules/home_country.h"
#include "analyzer/rules/rule_reader.h"
#include "analyzer/rules/shared_params.h"

namespace twinscan::engine {

std::optional<Catalogue> Catalogue::load(const CatalogueSpec& spec, diag::Diagnostics& diagnostics,
                                         Outcome* failure) {
  auto fail = [&](Outcome why) -> std::optional<Catalogue> {
    if (failure) *failure = why;
    return std::nullopt;
  };
  const std::vector<std::string> paths =
      spec.paths.empty() ? std::vector<std::string>{rules::default_rules_dir()} : spec.paths;
  const std::size_t errors_before = diagnostics.error_count();
  bool missing = false;
  Catalogue out;
  out.rules_ = rules::load_rules(paths, diagnostics, missing);
  if (missing) return fail(Outcome::kMissingInput);
  if (diagnostics.error_count() > errors_before) return fail(Outcome::kBadInput);
  if (spec.require_rules && out.rules_.empty()) {
    std::string list;
    for (const auto& p : paths) list += ' ' + p;
    diagnostics.error({}, "no rules found in" + list);
    return fail(Outcome::kMissingInput);
  }
  return out;
}

Catalogue Catalogue::read(const std::vector<std::string>& files, diag::Diagnostics& diagnostics,
                          bool& missing) {
  Catalogue out;
  out.rules_ = rules::load_rules(files, diagnostics, missing);
  return out;
}

bool Catalogue::bind_parameters(const std::vector<GivenParameter>& given,
                                diag::Diagnostics& diagnostics) {
  query::Parameters checked;
  if (!check_parameters(given, declared_parameters(rules_), checked, diagnostics)) return false;
  for (auto& [key, value] : checked) {
    const bool home = key == rules::kHomeCountryParam ||
                      key.ends_with("." + std::string(rules::kHomeCountryParam));
    if (!home || value.type != query::Type::kString) continue;
    const auto code = rules::normalise_country_code(value.text);
    if (!code) {
      diagnostics.error({},
                        "--param " + key + "=" + std::string(value.text) +
                            ": expected the ISO 3166-1 code of a country, such as FR, IL or POL");
      return false;
    }
    value = query::Value::of_string(*code);
  }
  parameters_ = std::move(checked);
  return true;
}

bool Catalogue::check(const Registry& registry, diag::Diagnostics& diagnostics) const {
  bool ok = true;
  for (const auto& rule : rules_) {
    if (!rules::compile_rule(rule, registry.graph(), {}, diagnostics)) ok = false;
  }
  return ok;
}

}  // namespace twinscan::engine
