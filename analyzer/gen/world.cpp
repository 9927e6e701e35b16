#include "analyzer/gen/world.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analyzer/gen/calendar.h"
#include "analyzer/gen/names.h"
#include "analyzer/gen/random.h"

namespace twinscan::gen {

std::string_view country_code(Country c) {
  static constexpr std::string_view kCodes[] = {"IL", "CN", "US", "FR", "DE", "IT"};
  return kCodes[static_cast<std::size_t>(c)];
}

std::string_view kind_name(Kind k) {
  static constexpr std::string_view kNames[] = {
      "CentralAuthority", "Municipality", "ForeignGovernment", "ForeignCity",
      "Organization",     "Firm",         "Project",           "SensitiveSite",
      "Agreement",        "Person"};
  return kNames[static_cast<std::size_t>(k)];
}

std::string_view kind_prefix(Kind k) {
  static constexpr std::string_view kPrefixes[] = {"auth", "mun",  "gov",  "city", "org",
                                                   "firm", "proj", "site", "agr",  "person"};
  return kPrefixes[static_cast<std::size_t>(k)];
}

namespace {

using Weights = std::array<std::uint32_t, kCountryCount>;
constexpr std::array<Country, 5> kForeign = {Country::kCN, Country::kUS, Country::kFR, Country::kDE,
                                             Country::kIT};
// Shares of the foreign cities, and of foreign parties in general.
constexpr Weights kForeignWeights = {0, 35, 20, 15, 15, 15};
constexpr Weights kFirmWeights = {50, 18, 9, 7, 9, 7};
constexpr Weights kPersonWeights = {55, 14, 9, 7, 8, 7};
// Firms are laid out foreign countries first, so that a domestic firm can hold shares
// through foreign firms of lower index (and ownership stays acyclic unless planted).
constexpr std::array<Country, kCountryCount> kFirmOrder = {
    Country::kCN, Country::kUS, Country::kFR, Country::kDE, Country::kIT, Country::kIL};

// Sections of the skeleton, each with its own sequential random stream.
enum Section : std::uint64_t {
  kGovernments,
  kCities,
  kMunicipalities,
  kProjects,
  kFirms,
  kOrganizations,
  kAgreements,
};

constexpr std::size_t ci(Country c) {
  return static_cast<std::size_t>(c);
}
constexpr std::size_t ki(Kind k) {
  return static_cast<std::size_t>(k);
}

/// Splits `total` by integer weights; the remainder goes to the heaviest entry.
std::array<std::uint32_t, kCountryCount> split(std::uint64_t total, const Weights& weights) {
  std::uint64_t sum = 0;
  for (auto w : weights) sum += w;
  std::array<std::uint32_t, kCountryCount> out{};
  std::uint64_t used = 0;
  std::size_t heaviest = 0;
  for (std::size_t i = 0; i < kCountryCount; ++i) {
    out[i] = static_cast<std::uint32_t>(total * weights[i] / sum);
    used += out[i];
    if (weights[i] > weights[heaviest]) heaviest = i;
  }
  out[heaviest] += static_cast<std::uint32_t>(total - used);
  return out;
}

Country foreign_country(Rng& rng, const Weights& weights = kForeignWeights) {
  return static_cast<Country>(rng.weighted(weights));
}

std::uint32_t in_span(Rng& rng, Span s) {
  return s.begin + rng.below(s.size());
}

/// Groups `n` items by `key_of(i)` into compressed rows of `keys` keys.
template <typename KeyOf>
Grouping group_by(std::size_t keys, std::size_t n, KeyOf key_of) {
  Grouping g;
  g.start.assign(keys + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++g.start[key_of(i) + 1];
  for (std::size_t k = 0; k < keys; ++k) g.start[k + 1] += g.start[k];
  g.items.resize(n);
  std::vector<std::uint32_t> next(g.start.begin(), g.start.end() - 1);
  for (std::size_t i = 0; i < n; ++i) g.items[next[key_of(i)]++] = static_cast<std::uint32_t>(i);
  return g;
}

// Boxes of 1e-4 degree that the places of each country are drawn from.
struct Box {
  std::int32_t lat0, lat1, lon0, lon1;
};
constexpr Box kBoxes[kCountryCount] = {
    {295500, 332500, 343000, 356000},     // IL
    {220000, 410000, 1000000, 1220000},   // CN
    {300000, 470000, -1220000, -750000},  // US
    {435000, 505000, -15000, 75000},      // FR
    {475000, 545000, 65000, 145000},      // DE
    {380000, 460000, 80000, 160000},      // IT
};

Geo place_in(Rng& rng, const Box& b) {
  return {static_cast<std::int32_t>(rng.range(b.lat0, b.lat1)),
          static_cast<std::int32_t>(rng.range(b.lon0, b.lon1))};
}

Geo place_in(Rng& rng, Country c) {
  return place_in(rng, kBoxes[ci(c)]);
}

/// The territory the municipalities are drawn from. Up to 300 municipalities it is the
/// home country's box; beyond, it grows so that they keep that density (about 160 km²
/// each, that of a real country): with the box fixed, 30,000 municipalities would crowd
/// every project within a few kilometres of dozens of sensitive sites. It grows north
/// first and then east, staying within latitudes 29.5° to 70° and east of 34.3°.
Box home_territory(std::uint32_t municipalities) {
  constexpr double kBaseCount = 300;
  const Box& b = kBoxes[ci(Country::kIL)];
  if (municipalities <= kBaseCount) return b;
  const double scale = std::sqrt(municipalities / kBaseCount);
  const double lat_span = std::min((b.lat1 - b.lat0) * scale, 700000.0 - b.lat0);
  const double area = double(b.lat1 - b.lat0) * (b.lon1 - b.lon0) * scale * scale;
  const double lon_span = std::min(area / lat_span, 1799999.0 - b.lon0);
  return {b.lat0, b.lat0 + static_cast<std::int32_t>(lat_span), b.lon0,
          b.lon0 + static_cast<std::int32_t>(lon_span)};
}

/// A share in thousandths, a multiple of 5 in [lo, hi].
std::uint16_t share_between(Rng& rng, std::uint32_t lo, std::uint32_t hi) {
  return static_cast<std::uint16_t>(rng.range((lo + 4) / 5, hi / 5) * 5);
}

/// A share of a controlling, influential or minority holder.
std::uint16_t edge_share(Rng& rng, bool state) {
  const double r = rng.unit();
  if (r < (state ? 0.35 : 0.20)) return 1000;
  if (r < (state ? 0.75 : 0.65)) return share_between(rng, 510, 950);
  return share_between(rng, state ? 200 : 100, 500);
}

constexpr std::array<std::uint32_t, kFirmSectors> kFirmSectorWeights = {
    2, 7, 2, 5, 6, 3, 2, 2, 3, 12, 3, 3, 6, 10, 18, 10, 3, 0};
constexpr std::array<std::uint32_t, kProjectSectors> kProjectSectorWeights = {
    3, 8, 4, 6, 8, 7, 3, 2, 5, 20, 6, 10, 10, 8};
constexpr std::array<std::uint32_t, 9> kProjectStatusWeights = {8, 12, 12, 10, 18, 22, 5, 3, 10};

void build_governments(World& w, Rng& rng, std::uint64_t entities) {
  const std::uint32_t bureaus = static_cast<std::uint32_t>(entities / 200000);
  for (Country c : kForeign) {
    const auto table = organ_table(c);
    const auto first = static_cast<std::uint32_t>(w.governments.size());
    for (std::size_t r = 0; r < table.size(); ++r) {
      Government g;
      g.country = c;
      g.organ = table[r].organ;
      g.roles = table[r].roles;
      g.table = static_cast<std::uint16_t>(r);
      if (table[r].controller >= 0)
        g.controller = static_cast<std::int32_t>(first) + table[r].controller;
      w.governments.push_back(g);
    }
    // Larger registries hold the bureaus under the ministries and commissions too.
    std::vector<std::uint16_t> bases;
    for (std::size_t r = 0; r < table.size(); ++r) {
      if (!(table[r].roles & (kRoleEmbassy | kRolePartyCentre | kRoleStateCouncil))) {
        bases.push_back(static_cast<std::uint16_t>(r));
      }
    }
    std::vector<std::uint16_t> numbers(table.size(), 0);
    for (std::uint32_t b = 0; b < bureaus; ++b) {
      const std::uint16_t base = bases[rng.below(bases.size())];
      Government g = w.governments[first + base];
      g.roles &= static_cast<std::uint16_t>(kRoleSignatory | kRoleEducation);
      g.bureau = ++numbers[base];
      g.controller = static_cast<std::int32_t>(first + base);
      g.controller2 = -1;
      w.governments.push_back(g);
    }
    w.nationals[ci(c)] = {first, static_cast<std::uint32_t>(w.governments.size())};
  }
}

void build_cities(World& w, Rng& rng) {
  const auto per_country = split(w.n(Kind::kCity), kForeignWeights);
  for (Country c : kForeign) {
    const std::uint32_t provinces = std::max<std::uint32_t>(1, per_country[ci(c)] / 12);
    const auto first = static_cast<std::uint32_t>(w.governments.size());
    const std::int32_t council = w.organ_with(c, kRoleStateCouncil);
    const std::int32_t party = w.organ_with(c, kRolePartyCentre);
    for (std::uint32_t p = 0; p < provinces; ++p) {
      Government g;
      g.country = c;
      g.level = GovLevel::kProvincial;
      g.table = static_cast<std::uint16_t>(p);
      // Provinces of the state-linked country answer to the centre, some also to the party.
      g.controller = council;
      if (party >= 0 && rng.chance(0.3)) g.controller2 = party;
      w.governments.push_back(g);
    }
    w.provinces[ci(c)] = {first, static_cast<std::uint32_t>(w.governments.size())};
  }
  w.count[ki(Kind::kGovernment)] = static_cast<std::uint32_t>(w.governments.size());
  w.cities.reserve(w.n(Kind::kCity));
  for (Country c : kForeign) {
    const auto first = static_cast<std::uint32_t>(w.cities.size());
    for (std::uint32_t i = 0; i < per_country[ci(c)]; ++i) {
      w.cities.push_back({c, in_span(rng, w.provinces[ci(c)]), place_in(rng, c)});
    }
    w.city_range[ci(c)] = {first, static_cast<std::uint32_t>(w.cities.size())};
  }
}

void build_municipalities(World& w, Rng& rng) {
  const std::uint32_t n = w.n(Kind::kMunicipality);
  w.municipalities.resize(n);
  const Box territory = home_territory(n);
  static constexpr std::array<std::uint32_t, 5> kTieCounts = {35, 30, 18, 10, 7};
  for (std::uint32_t m = 0; m < n; ++m) {
    Municipality& mun = w.municipalities[m];
    mun.at = place_in(rng, territory);
    mun.first_tie = static_cast<std::uint32_t>(w.ties.size());
    const std::size_t ties = rng.weighted(kTieCounts);
    for (std::size_t t = 0; t < ties; ++t) {
      const Country c = foreign_country(rng);
      const Span cities = w.city_range[ci(c)];
      std::uint32_t city = in_span(rng, cities);
      bool repeated = false;
      for (std::uint32_t k = mun.first_tie; k < w.ties.size(); ++k)
        repeated |= w.ties[k].city == city;
      if (repeated) continue;
      Tie tie;
      tie.city = city;
      if (rng.chance(0.3)) {  // an old tie: known by year, no agreement on record
        const int from = c == Country::kCN ? 1993 : 1960;
        tie.since = days_of_year(static_cast<int>(rng.range(from, 2004)));
        tie.year_only = true;
      } else {
        tie.since = static_cast<std::int32_t>(
            rng.range(days_from_civil(2005, 1, 1), days_from_civil(2024, 10, 31)));
      }
      w.ties.push_back(tie);
      ++mun.ties;
    }
  }
}

Geo near(Rng& rng, Geo at, std::int32_t lat_units, std::int32_t lon_units) {
  return {at.lat + static_cast<std::int32_t>(rng.range(-lat_units, lat_units)),
          at.lon + static_cast<std::int32_t>(rng.range(-lon_units, lon_units))};
}

void build_projects(World& w, Rng& rng) {
  const std::uint32_t n = w.n(Kind::kProject);
  w.projects.resize(n);
  for (auto& p : w.projects) {
    p.municipality = rng.skewed(w.n(Kind::kMunicipality));
    p.sector = static_cast<std::uint8_t>(rng.weighted(kProjectSectorWeights));
    p.status = static_cast<ProjectStatus>(rng.weighted(kProjectStatusWeights));
    // Within about 6 km of the municipality's centre (1e-4 degree is ~11 m north-south
    // and ~9.5 m east-west at these latitudes).
    p.at = near(rng, w.municipalities[p.municipality].at, 540, 630);
    p.started = static_cast<std::int32_t>(
        rng.range(days_from_civil(2006, 1, 1), days_from_civil(2024, 12, 31)));
  }
  w.projects_of_municipality = group_by(w.n(Kind::kMunicipality), n,
                                        [&](std::size_t i) { return w.projects[i].municipality; });
}

/// Builds the firms of one country's range as ownership groups: trees of depth 1 to 6
/// under a government organ, a foreign city, one or two persons, a private top firm or
/// (for domestic groups) a foreign firm.
class FirmBuilder {
 public:
  FirmBuilder(World& w, Rng& rng) : w_(w), rng_(rng), eff_(w.n(Kind::kFirm), 0) {
    for (std::size_t c = 0; c < kCountryCount; ++c) {
      asset_owner_[c] = w.organ_with(static_cast<Country>(c), kRoleAssetOwner);
    }
  }

  void build_banks(std::uint32_t first, std::uint32_t count) {
    const std::int32_t finance = w_.organ_with(Country::kCN, kRoleFinance);
    for (std::uint32_t f = first; f < first + count; ++f) {
      Firm& firm = begin(f, Country::kCN, kBanking);
      add_owner(firm, {Kind::kGovernment, static_cast<std::uint32_t>(finance)}, 1000);
      finish(f, true);
    }
  }

  void build_country(Country c, Span range) {
    std::uint32_t i = range.begin;
    while (i < range.end) {
      const std::uint32_t size = std::min(group_size(), range.end - i);
      build_group(c, i, size);
      i += size;
    }
  }

 private:
  enum class Top { kGovernment, kCity, kPerson, kPrivate, kForeignFirm };

  std::uint32_t group_size() {
    static constexpr std::array<std::uint32_t, 4> kSizes = {50, 25, 20, 5};
    switch (rng_.weighted(kSizes)) {
      case 0:
        return 1;
      case 1:
        return static_cast<std::uint32_t>(rng_.range(2, 3));
      case 2:
        return static_cast<std::uint32_t>(rng_.range(4, 10));
      default:
        return static_cast<std::uint32_t>(rng_.range(11, 40));
    }
  }

  Top top_of(Country c) {
    const double r = rng_.unit();
    if (c == Country::kCN) {
      if (r < 0.47) return Top::kGovernment;
      if (r < 0.55) return Top::kCity;
      if (r < 0.80) return Top::kPerson;
      return Top::kPrivate;
    }
    if (c == Country::kIL) {
      if (r < 0.55) return Top::kPerson;
      if (r < 0.95) return Top::kPrivate;
      return Top::kForeignFirm;
    }
    if (r < 0.04 && asset_owner_[ci(c)] >= 0) return Top::kGovernment;
    return r < 0.54 ? Top::kPerson : Top::kPrivate;
  }

  Ref person_of(Country c) { return {Kind::kPerson, in_span(rng_, w_.person_range[ci(c)])}; }

  Firm& begin(std::uint32_t f, Country c, std::uint8_t sector) {
    Firm& firm = w_.firms[f];
    firm.country = c;
    firm.sector = sector;
    firm.first_owner = static_cast<std::uint32_t>(w_.owners.size());
    return firm;
  }

  void add_owner(Firm& firm, Ref holder, std::uint16_t share) {
    w_.owners.push_back({holder, share});
    ++firm.owners;
  }
  /// Adds the holder unless it already holds shares in the firm; true when added.
  bool add_owner_once(Firm& firm, Ref holder, std::uint16_t share) {
    for (std::uint32_t k = firm.first_owner; k < firm.first_owner + firm.owners; ++k) {
      const Ref h = w_.owners[k].holder;
      if (h.kind == holder.kind && h.index == holder.index) return false;
    }
    add_owner(firm, holder, share);
    return true;
  }

  // The effective share of foreign governments in firm f, in thousandths: shares
  // multiplied along every ownership path (back edges of planted cycles excluded).
  void finish(std::uint32_t f, bool top) {
    Firm& firm = w_.firms[f];
    std::uint32_t eff = 0;
    for (std::uint32_t k = firm.first_owner; k < firm.first_owner + firm.owners; ++k) {
      const Owner& o = w_.owners[k];
      if (o.holder.kind == Kind::kGovernment || o.holder.kind == Kind::kCity) {
        eff += o.share;
      } else if (o.holder.kind == Kind::kFirm && o.holder.index < f) {
        eff += o.share * eff_[o.holder.index] / 1000;
      }
    }
    eff_[f] = static_cast<std::uint16_t>(std::min<std::uint32_t>(eff, 1000));
    if (eff >= 500 && (top || rng_.chance(0.8))) firm.flags |= kFirmStateOwned;
    if (eff >= 250) firm.flags |= kFirmStateLinked;
    const bool exposed = firm.sector == kSurveillance || firm.sector == kTelecom ||
                         firm.sector == kPort || firm.sector == kDataCenter;
    const double listed =
        firm.country == Country::kCN ? (eff >= 500 && exposed ? 0.25 : 0.01) : 0.001;
    if (rng_.chance(listed)) firm.flags |= kFirmListed;
  }

  void build_group(Country c, std::uint32_t first, std::uint32_t size) {
    const Top top = top_of(c);
    const bool state = top == Top::kGovernment || top == Top::kCity;
    static constexpr std::array<std::uint32_t, 6> kDepths = {30, 25, 18, 13, 8, 6};
    const bool private_top = top == Top::kPrivate;
    // Depth counts ownership hops from the deepest firm to the end of the chain; a
    // private top firm is itself the end.
    std::uint32_t depth = static_cast<std::uint32_t>(rng_.weighted(kDepths)) + 1;
    depth = std::min(depth, private_top ? size - 1 : size);
    const bool cycle = size >= 2 && rng_.chance(0.012);
    depths_.assign(size, 0);
    for (std::uint32_t j = 0; j < size; ++j) {
      const std::uint32_t f = first + j;
      std::uint8_t sector = static_cast<std::uint8_t>(rng_.weighted(kFirmSectorWeights));
      if (size > 1 && j == 0 && rng_.chance(0.7)) sector = kHolding;
      Firm& firm = begin(f, c, sector);
      std::int64_t parent = -1;  // -1: owned by the group's end directly
      if (j > 0) {
        if (j <= depth - (private_top ? 0 : 1)) {
          parent = j - 1;
        } else {
          for (int attempt = 0; attempt < 8 && parent < 0; ++attempt) {
            const std::uint32_t k = rng_.below(j);
            if (depths_[k] < depth) parent = k;
          }
          if (parent < 0 && private_top) parent = 0;
        }
      }
      std::uint32_t free = 1000;
      const std::uint16_t back = cycle && j == 0 ? share_between(rng_, 50, 150) : 0;
      free -= back;
      if (parent >= 0) {
        depths_[j] = depths_[static_cast<std::size_t>(parent)] + 1;
        const std::uint16_t share = edge_share(rng_, state);
        add_owner(firm, {Kind::kFirm, first + static_cast<std::uint32_t>(parent)}, share);
        free -= share;
      } else if (!(private_top && j == 0)) {
        depths_[j] = 1;
        free -= add_end_owners(firm, c, top, free);
      } else {
        // A private top firm: widely held, at most minority holders.
        for (auto k = rng_.range(0, 2); k > 0; --k) {
          const std::uint16_t share = share_between(rng_, 50, 200);
          if (add_owner_once(firm, person_of(c), share)) free -= share;
        }
      }
      if (back > 0) add_owner(firm, {Kind::kFirm, first + size - 1}, back);
      for (int k = 0; k < 2 && free >= 50 && rng_.chance(k == 0 ? 0.65 : 0.45); ++k) {
        free -= add_co_owner(firm, c, first, free);
      }
      if (c == Country::kIL && free >= 100 && rng_.chance(0.02)) {
        // A minority stake of a Chinese firm in a domestic firm.
        const Span cn = w_.firm_range[ci(Country::kCN)];
        const std::uint32_t holder =
            cn.begin + w_.banks.size() + rng_.below(cn.size() - w_.banks.size());
        const std::uint16_t share = share_between(rng_, 100, std::min<std::uint32_t>(free, 490));
        add_owner(firm, {Kind::kFirm, holder}, share);
        free -= share;
      }
      finish(f, parent < 0);
    }
  }

  // The owners at the end of the chain; returns the shares given.
  std::uint32_t add_end_owners(Firm& firm, Country c, Top top, std::uint32_t free) {
    switch (top) {
      case Top::kGovernment: {
        Ref holder{Kind::kGovernment, 0};
        const std::int32_t owner = asset_owner_[ci(c)];
        if (c == Country::kCN && rng_.chance(0.45)) {
          holder.index = in_span(rng_, w_.provinces[ci(c)]);
        } else {
          holder.index = static_cast<std::uint32_t>(owner);
        }
        std::uint16_t share = c == Country::kCN
                                  ? (rng_.chance(0.5) ? 1000 : share_between(rng_, 510, 950))
                                  : share_between(rng_, 150, 550);
        share = static_cast<std::uint16_t>(std::min<std::uint32_t>(share, free));
        add_owner(firm, holder, share);
        return share;
      }
      case Top::kCity: {
        const std::uint16_t share = static_cast<std::uint16_t>(
            std::min<std::uint32_t>(share_between(rng_, 510, 1000), free));
        add_owner(firm, {Kind::kCity, in_span(rng_, w_.city_range[ci(c)])}, share);
        return share;
      }
      case Top::kForeignFirm: {
        const Country fc = foreign_country(rng_);
        const Span range = w_.firm_range[ci(fc)];
        std::uint32_t begin = range.begin;
        if (fc == Country::kCN) begin += w_.banks.size();
        const std::uint32_t holder = begin + rng_.below(range.end - begin);
        const std::uint16_t share = static_cast<std::uint16_t>(
            std::min<std::uint32_t>(share_between(rng_, 510, 1000), free));
        add_owner(firm, {Kind::kFirm, holder}, share);
        return share;
      }
      default: {
        std::uint16_t first = rng_.chance(0.5) ? 1000 : share_between(rng_, 300, 950);
        first = static_cast<std::uint16_t>(std::min<std::uint32_t>(first, free));
        add_owner(firm, person_of(c), first);
        std::uint32_t given = first;
        if (free - given >= 50 && rng_.chance(0.5)) {
          const std::uint16_t second = share_between(rng_, 50, free - given);
          if (add_owner_once(firm, person_of(c), second)) given += second;
        }
        return given;
      }
    }
  }

  // A further holder of a minority stake: a person, an earlier firm of the same
  // country or (in the state-linked country) a provincial government. Returns the
  // share given.
  std::uint32_t add_co_owner(Firm& firm, Country c, std::uint32_t group_first, std::uint32_t free) {
    const std::uint16_t share = share_between(rng_, 50, std::min<std::uint32_t>(free, 490));
    const double r = rng_.unit();
    Ref holder = person_of(c);
    std::uint32_t earliest = w_.firm_range[ci(c)].begin;
    if (c == Country::kCN) earliest = w_.banks.end;
    if (c == Country::kCN && r < 0.15) {
      holder = {Kind::kGovernment, in_span(rng_, w_.provinces[ci(c)])};
    } else if (r < 0.5 && group_first > earliest) {
      holder = {Kind::kFirm, earliest + rng_.below(group_first - earliest)};
    }
    return add_owner_once(firm, holder, share) ? share : 0;
  }

  World& w_;
  Rng& rng_;
  std::vector<std::uint16_t> eff_;
  std::vector<std::uint32_t> depths_;
  std::array<std::int32_t, kCountryCount> asset_owner_{};
};

void build_firms(World& w, Rng& rng) {
  const std::uint32_t n = w.n(Kind::kFirm);
  w.firms.resize(n);
  w.owners.reserve(static_cast<std::size_t>(n) * 2);
  const auto per_country = split(n, kFirmWeights);
  std::uint32_t next = 0;
  for (Country c : kFirmOrder) {
    w.firm_range[ci(c)] = {next, next + per_country[ci(c)]};
    next += per_country[ci(c)];
  }
  const Span cn = w.firm_range[ci(Country::kCN)];
  const std::uint32_t banks = std::min<std::uint32_t>(cn.size() / 4, 3 + n / 2'000'000);
  w.banks = {cn.begin, cn.begin + banks};
  FirmBuilder builder(w, rng);
  builder.build_banks(cn.begin, banks);
  for (Country c : kFirmOrder) {
    Span range = w.firm_range[ci(c)];
    if (c == Country::kCN) range.begin += banks;
    builder.build_country(c, range);
  }
  w.firms_by_sector = group_by(kCountryCount * kFirmSectors, n, [&](std::size_t i) {
    return ci(w.firms[i].country) * kFirmSectors + w.firms[i].sector;
  });
}

void build_organizations(World& w, Rng& rng) {
  const std::uint32_t n = w.n(Kind::kOrganization);
  w.organization_country.resize(n);
  for (std::uint32_t o = 0; o < n; ++o) {
    w.organization_country[o] = o == 0 || rng.chance(0.6) ? Country::kIL : foreign_country(rng);
  }
  w.organizations_by_country =
      group_by(kCountryCount, n, [&](std::size_t i) { return ci(w.organization_country[i]); });
}

void build_agreements(World& w, Rng& rng) {
  const std::uint32_t n = w.n(Kind::kAgreement);
  w.agreements.reserve(n);
  // Every tie of 2005 or later has its twinning agreement.
  for (std::uint32_t m = 0; m < w.municipalities.size(); ++m) {
    const Municipality& mun = w.municipalities[m];
    for (std::uint32_t t = mun.first_tie; t < mun.first_tie + mun.ties; ++t) {
      Tie& tie = w.ties[t];
      if (tie.year_only || w.agreements.size() >= n) continue;
      tie.agreement = static_cast<std::int32_t>(w.agreements.size());
      Agreement a;
      a.municipality = m;
      a.type = AgreementType::kTwinning;
      a.country = w.cities[tie.city].country;
      a.party = {Kind::kCity, tie.city};
      a.signed_on = tie.since;
      a.tie = static_cast<std::int32_t>(t);
      w.agreements.push_back(a);
    }
  }
  // The others: MoUs, framework agreements, contracts and letters of intent with a
  // foreign firm, city, organization or government organ.
  static constexpr std::array<std::uint32_t, 6> kParties = {400, 300, 120, 130, 35, 15};
  while (w.agreements.size() < n) {
    Agreement a;
    a.municipality = rng.skewed(w.n(Kind::kMunicipality));
    a.signed_on = static_cast<std::int32_t>(
        rng.range(days_from_civil(2005, 1, 1), days_from_civil(2024, 12, 31)));
    const Municipality& mun = w.municipalities[a.municipality];
    switch (rng.weighted(kParties)) {
      case 0: {  // a firm
        a.country = foreign_country(rng);
        const Span range = w.firm_range[ci(a.country)];
        a.party = {Kind::kFirm, in_span(rng, range)};
        static constexpr std::array<std::uint32_t, 3> kTypes = {45, 30, 25};
        const std::size_t t = rng.weighted(kTypes);
        a.type = t == 0   ? AgreementType::kContract
                 : t == 1 ? AgreementType::kMou
                          : AgreementType::kLetterOfIntent;
        break;
      }
      case 1: {  // a city, often a twin
        std::uint32_t city;
        if (mun.ties > 0 && rng.chance(0.6)) {
          city = w.ties[mun.first_tie + rng.below(mun.ties)].city;
        } else {
          city = in_span(rng, w.city_range[ci(foreign_country(rng))]);
        }
        a.country = w.cities[city].country;
        a.party = {Kind::kCity, city};
        static constexpr std::array<std::uint32_t, 3> kTypes = {50, 20, 30};
        const std::size_t t = rng.weighted(kTypes);
        a.type = t == 0   ? AgreementType::kMou
                 : t == 1 ? AgreementType::kFramework
                          : AgreementType::kLetterOfIntent;
        break;
      }
      case 2: {  // a foreign organization
        std::uint32_t o = 0;
        for (int attempt = 0; attempt < 4; ++attempt) {
          a.country = foreign_country(rng);
          const Span s = w.organizations_by_country.of(ci(a.country));
          if (!s.empty()) {
            o = w.organizations_by_country.items[in_span(rng, s)];
            break;
          }
        }
        if (w.organization_country[o] == Country::kIL) {
          a.country = Country::kCN;
          a.party = {Kind::kCity, in_span(rng, w.city_range[ci(a.country)])};
        } else {
          a.party = {Kind::kOrganization, o};
        }
        a.type = rng.chance(0.8) ? AgreementType::kMou : AgreementType::kFramework;
        break;
      }
      case 3:  // a provincial government
        a.country = foreign_country(rng);
        a.party = {Kind::kGovernment, in_span(rng, w.provinces[ci(a.country)])};
        a.type = rng.chance(0.6) ? AgreementType::kMou : AgreementType::kFramework;
        break;
      case 4: {  // a national organ that signs (a ministry or commission)
        static constexpr std::array<std::uint32_t, kCountryCount> kWeights = {0, 80, 5, 5, 5, 5};
        a.country = foreign_country(rng, kWeights);
        const Span s = w.nationals[ci(a.country)];
        std::uint32_t g = s.begin;
        for (int attempt = 0; attempt < 16; ++attempt) {
          g = in_span(rng, s);
          if (w.governments[g].roles & kRoleSignatory) break;
        }
        a.party = {Kind::kGovernment, g};
        a.type = rng.chance(0.5) ? AgreementType::kMou : AgreementType::kFramework;
        break;
      }
      default:  // the friendship organ of the united front, signing itself
        a.country = Country::kCN;
        a.party = {Kind::kGovernment,
                   static_cast<std::uint32_t>(w.organ_with(Country::kCN, kRoleFriendship))};
        a.type = AgreementType::kMou;
        break;
    }
    w.agreements.push_back(a);
  }
  w.agreements_of_municipality = group_by(
      w.n(Kind::kMunicipality), n, [&](std::size_t i) { return w.agreements[i].municipality; });
}

std::uint32_t digits(std::uint64_t v) {
  std::uint32_t d = 1;
  while (v >= 10) {
    v /= 10;
    ++d;
  }
  return d;
}

}  // namespace

std::int32_t World::organ_with(Country country, std::uint16_t role) const {
  const Span s = nationals[ci(country)];
  for (std::uint32_t g = s.begin; g < s.end; ++g) {
    if (governments[g].bureau == 0 && (governments[g].roles & role))
      return static_cast<std::int32_t>(g);
  }
  return -1;
}

Country World::person_country(std::uint32_t person) const {
  for (std::size_t c = 0; c < kCountryCount; ++c) {
    if (person >= person_range[c].begin && person < person_range[c].end)
      return static_cast<Country>(c);
  }
  return Country::kIL;
}

Country World::entity_country(Ref r) const {
  switch (r.kind) {
    case Kind::kGovernment:
      return governments[r.index].country;
    case Kind::kCity:
      return cities[r.index].country;
    case Kind::kOrganization:
      return organization_country[r.index];
    case Kind::kFirm:
      return firms[r.index].country;
    case Kind::kPerson:
      return person_country(r.index);
    default:
      return Country::kIL;
  }
}

std::uint32_t organization_home(const World& w, std::uint32_t o) {
  Rng rng(w.seed, kStreamOrganization, o);
  const Country c = w.organization_country[o];
  if (c == Country::kIL) return rng.skewed(w.n(Kind::kMunicipality));
  const Span s = w.city_range[ci(c)];
  return s.begin + rng.below(s.size());
}

std::uint8_t organization_type(const World& w, std::uint32_t o) {
  if (o == 0) return kOrgUnion;
  Rng rng(w.seed, kStreamOrganization + 0x100, o);
  if (w.organization_country[o] == Country::kIL) {
    static constexpr std::array<std::uint32_t, 4> kDomestic = {20, 45, 20, 15};
    static constexpr std::uint8_t kTypes[] = {kOrgUniversity, kOrgAssociation, kOrgChamber,
                                              kOrgThinkTank};
    return kTypes[rng.weighted(kDomestic)];
  }
  static constexpr std::array<std::uint32_t, 4> kForeignTypes = {35, 25, 20, 20};
  static constexpr std::uint8_t kTypes[] = {kOrgUniversity, kOrgFriendship, kOrgChamber,
                                            kOrgThinkTank};
  return kTypes[rng.weighted(kForeignTypes)];
}

World build_world(std::uint64_t seed, std::uint64_t entities) {
  if (entities < kMinEntities || entities > kMaxEntities) {
    throw std::invalid_argument("the number of entities must lie between " +
                                std::to_string(kMinEntities) + " and " +
                                std::to_string(kMaxEntities));
  }
  World w;
  w.seed = seed;
  auto& n = w.count;
  const std::uint64_t e = entities;
  n[ki(Kind::kAuthority)] = e < 10'000 ? 3 : e < 100'000 ? 4 : 5;
  n[ki(Kind::kMunicipality)] = static_cast<std::uint32_t>(std::max<std::uint64_t>(10, e * 3 / 100));
  n[ki(Kind::kCity)] = static_cast<std::uint32_t>(std::max<std::uint64_t>(20, e * 25 / 1000));
  n[ki(Kind::kOrganization)] =
      static_cast<std::uint32_t>(std::max<std::uint64_t>(10, e * 15 / 1000));
  n[ki(Kind::kFirm)] = static_cast<std::uint32_t>(e * 48 / 100);
  n[ki(Kind::kProject)] = static_cast<std::uint32_t>(e / 10);
  n[ki(Kind::kSite)] = static_cast<std::uint32_t>(std::max<std::uint64_t>(5, e / 100));
  n[ki(Kind::kAgreement)] = static_cast<std::uint32_t>(e * 11 / 100);

  Rng governments(seed, kStreamWorld, kGovernments);
  build_governments(w, governments, e);
  Rng cities(seed, kStreamWorld, kCities);
  build_cities(w, cities);  // also counts the governments (national organs and provinces)

  std::uint64_t others = 0;
  for (std::size_t k = 0; k < kKindCount; ++k) others += n[k];
  n[ki(Kind::kPerson)] = static_cast<std::uint32_t>(e - others);
  const auto persons = split(n[ki(Kind::kPerson)], kPersonWeights);
  std::uint32_t next = 0;
  for (std::size_t c = 0; c < kCountryCount; ++c) {
    w.person_range[c] = {next, next + persons[c]};
    next += persons[c];
  }

  Rng municipalities(seed, kStreamWorld, kMunicipalities);
  build_municipalities(w, municipalities);
  Rng projects(seed, kStreamWorld, kProjects);
  build_projects(w, projects);
  Rng organizations(seed, kStreamWorld, kOrganizations);
  build_organizations(w, organizations);
  Rng firms(seed, kStreamWorld, kFirms);
  build_firms(w, firms);
  Rng agreements(seed, kStreamWorld, kAgreements);
  build_agreements(w, agreements);

  std::uint32_t widest = 0;
  for (auto c : n) widest = std::max(widest, c);
  w.id_width = std::max<std::uint32_t>(6, digits(widest));
  return w;
}

}  // namespace twinscan::gen
