#include "analyzer/rules/home_country.h"

#include <map>
#include <set>

#include "analyzer/util/country_name.h"

namespace twinscan::rules {

std::optional<std::string> normalise_country_code(std::string_view code) {
  // Read as the registry stores a country ("pl", "POL" → "PL"), then checked against the
  // countries ICU knows, so that a typo is not taken for a country nobody has.
  const std::string out = util::canonical_country_code(code);
  if (!util::is_upper_alpha2(out) || util::country_name(out).empty()) return std::nullopt;
  return out;
}

HomeCountry resolve_home_country(const model::Graph& graph, const std::string& given,
                                 std::optional<std::uint32_t> leave_out) {
  const auto kind = graph.schema().find_kind("Municipality");
  model::Sym country_key = 0;
  // Distinct symbols first, spelled out once: a national registry has tens of thousands
  // of municipalities and one or a few countries.
  std::map<model::Sym, std::size_t> country_syms;
  std::size_t without = 0;
  if (kind && graph.strings().find("country", country_key)) {
    for (const auto v : graph.vertices_of_kind(*kind)) {
      if (leave_out && graph.source(v).document == *leave_out) continue;
      const model::Value* c = graph.property(v, country_key);
      if (c && c->type == model::ValueType::kString) {
        ++country_syms[c->string];
      } else {
        ++without;
      }
    }
  } else if (kind) {
    without = graph.vertices_of_kind(*kind).size();
  }
  std::map<std::string, std::size_t> countries;  // as written
  for (const auto& [sym, n] : country_syms) countries[std::string(graph.str(sym))] += n;
  if (!given.empty()) {
    HomeCountry out{given, "given", {}, {}};
    for (const auto& [code, n] : countries) {
      if (normalise_country_code(code) == given) continue;
      out.disagreement += (out.disagreement.empty() ? "" : ", ") + code + " (" + std::to_string(n) +
                          (n == 1 ? " municipality)" : " municipalities)");
    }
    if (!out.disagreement.empty()) {
      out.disagreement = "the home country is " + given +
                         ", but municipalities of the registry name " + out.disagreement +
                         "; the rules judge them as domestic all the same";
    }
    return out;
  }
  if (countries.size() == 1) {
    return {countries.begin()->first, "the registry's municipalities", {}, {}};
  }
  HomeCountry out;
  if (countries.empty()) {
    out.why_unknown = without == 0 ? "the registry holds no municipalities"
                                   : "the registry's municipalities name no country";
  } else {
    std::string list;
    for (const auto& [c, n] : countries) list += (list.empty() ? "" : ", ") + c;
    out.why_unknown = "the registry's municipalities span several countries (" + list + ")";
  }
  out.why_unknown += "; give --home-country CC";
  return out;
}

}  // namespace twinscan::rules
