#include "analyzer/gen/entity_emitter.h"

#include <algorithm>
#include <array>
#include <span>

#include "analyzer/gen/calendar.h"

namespace twinscan::gen {
namespace {

constexpr std::size_t ci(Country c) {
  return static_cast<std::size_t>(c);
}

constexpr std::int32_t kFirstDay = days_from_civil(2005, 1, 1);
constexpr std::int32_t kLastDay = days_from_civil(2025, 6, 30);  ///< no date is later

constexpr std::string_view kFirmSectorNames[kFirmSectors] = {
    "port_operations", "logistics",    "rail",         "telecom",     "energy",    "water",
    "data_center",     "surveillance", "smart_city",   "real_estate", "education", "culture",
    "tourism",         "trade",        "construction", "engineering", "banking",   "holding"};
constexpr std::string_view kProjectSectorNames[kProjectSectors] = {
    "port",         "logistics",  "rail",        "telecom",  "energy",  "water",   "data_center",
    "surveillance", "smart_city", "real_estate", "academic", "culture", "tourism", "trade"};
constexpr std::string_view kProjectStatusNames[] = {
    "proposed",  "planned", "tendered",  "awarded",  "under_construction",
    "operating", "frozen",  "cancelled", "completed"};
constexpr std::string_view kAgreementTypeNames[] = {"twinning", "mou", "framework", "contract",
                                                    "letter_of_intent"};
constexpr std::string_view kAgreementTypePhrases[] = {
    "twin-city agreement", "memorandum of understanding", "framework agreement", "contract",
    "letter of intent"};
constexpr std::string_view kSiteCategories[] = {"military", "defense_industry", "strategic_port",
                                                "critical_infrastructure"};
// Value ranges of projects by sector, in millions of US dollars.
constexpr std::array<std::array<std::int32_t, 2>, kProjectSectors> kProjectValues = {{
    {200, 2000},
    {20, 300},
    {100, 3000},
    {5, 200},
    {20, 800},
    {30, 600},
    {20, 400},
    {1, 50},
    {2, 80},
    {10, 500},
    {5, 150},
    {1, 60},
    {5, 200},
    {10, 400},
}};

bool infrastructure(std::uint8_t sector) {
  return sector == kRail || sector == kPort || sector == kLogistics || sector == kEnergy ||
         sector == kWater || sector == kTelecom;
}

constexpr std::string_view kSubjects[][4] = {
    {"Sister-city relationship: culture, education, tourism and trade.",
     "Friendship and cooperation between the two cities.",
     "Twinning: exchanges of delegations, youth and culture.",
     "Sister-city relationship: economy, innovation and tourism."},
    {"Cooperation in trade, investment and logistics.",
     "Cooperation in innovation, technology and smart-city systems.",
     "Cooperation in culture, education and youth exchanges.",
     "Cooperation in ports, logistics and infrastructure."},
    {"Framework for infrastructure investment in the city.",
     "Inclusion of the city in an international infrastructure initiative.",
     "Framework for a free-trade zone and a logistics centre.",
     "Framework for an academic branch and a technology park."},
    {"Works and services for the project.", "Supply, installation and operation of systems.",
     "Design and construction works.", "Operation and maintenance services."},
    {"Intent to cooperate on a project in the city.", "Intent to invest in the city.",
     "Intent to open a representative office in the city.", "Intent to study a joint project."},
};
constexpr std::string_view kSecrecyReasons[] = {"Commercial terms of a tender in progress.",
                                                "Personal data of participants.",
                                                "Security arrangements of the site."};
constexpr std::string_view kLists[] = {"us_entity_list", "us_ofac_sdn", "eu_sanctions",
                                       "uk_sanctions"};
constexpr std::string_view kMunicipalRoles[] = {"mayor", "deputy_mayor", "council_member",
                                                "city_engineer", "city_manager"};
constexpr std::array<std::uint32_t, 5> kMunicipalRoleWeights = {10, 20, 45, 10, 15};
constexpr std::string_view kCentralRoles[] = {"director", "deputy_director", "adviser"};
constexpr std::string_view kAgentRoles[] = {"adviser", "lobbyist", "representative", "board_member",
                                            "consultant"};
constexpr std::string_view kExecutiveRoles[] = {"ceo", "chairman", "representative",
                                                "general_manager"};

template <typename T, std::size_t N>
const T& pick(Rng& rng, const T (&table)[N]) {
  return table[rng.below(N)];
}

std::int32_t clamp_day(std::int64_t d) {
  return static_cast<std::int32_t>(std::clamp<std::int64_t>(d, kFirstDay - 7300, kLastDay));
}

// Record errors of the source registries, one entity in every block of so many: an
// agreement without its signing date, a project without its location, a firm with a
// holding recorded twice or a sold stake still on record.
constexpr std::uint32_t kUndatedAgreementEvery = 100;
constexpr std::uint32_t kUnlocatedProjectEvery = 30;
constexpr std::uint32_t kOverstatedFirmEvery = 200;

bool record_error(const World& w, Kind kind, std::uint32_t index, std::uint32_t every) {
  return one_per_block(w.seed, kStreamFlawPick + static_cast<std::uint64_t>(kind), index, every);
}

// The registers that record a twin-city tie; some ties are missing from one of them.
enum TieRegister : std::uint8_t {
  kRegisterForeignMinistry = 1 << 0,
  kRegisterUnion = 1 << 1,
  kRegisterMunicipality = 1 << 2,
  kRegisterForeignSide = 1 << 3,
};

std::uint8_t draw_registers(Rng& rng, bool cn) {
  std::uint8_t r = 0;
  if (rng.chance(0.9)) r |= kRegisterForeignMinistry;
  if (rng.chance(0.85)) r |= kRegisterUnion;
  if (r == 0 || rng.chance(0.95)) r |= kRegisterMunicipality;
  if (rng.chance(cn ? 0.7 : 0.3)) r |= kRegisterForeignSide;
  return r;
}

}  // namespace

std::uint32_t EntityEmitter::emit(Kind kind, std::uint32_t index, DocumentWriter& out) {
  out_ = &out;
  relations_ = 0;
  Rng rng(w_.seed, kStreamEmit + static_cast<std::uint64_t>(kind), index);
  switch (kind) {
    case Kind::kAuthority:
      authority(index, rng);
      break;
    case Kind::kMunicipality:
      municipality(index, rng);
      break;
    case Kind::kGovernment:
      government(index, rng);
      break;
    case Kind::kCity:
      city(index, rng);
      break;
    case Kind::kOrganization:
      organization(index, rng);
      break;
    case Kind::kFirm:
      firm(index, rng);
      break;
    case Kind::kProject:
      project(index, rng);
      break;
    case Kind::kSite:
      site(index, rng);
      break;
    case Kind::kAgreement:
      agreement(index, rng);
      break;
    case Kind::kPerson:
      person(index, rng);
      break;
  }
  out.flush_if_full();
  return relations_;
}

std::uint32_t EntityEmitter::emit_register(std::uint32_t m, DocumentWriter& out) {
  out_ = &out;
  relations_ = 0;
  // The municipality's own stream: its first draws are the registers of its ties
  // (see municipality()), so the register lists exactly the ties whose recorded_by
  // names the foreign ministry.
  Rng rng(w_.seed, kStreamEmit + static_cast<std::uint64_t>(Kind::kMunicipality), m);
  const Municipality& mun = w_.municipalities[m];
  for (std::uint32_t t = mun.first_tie; t < mun.first_tie + mun.ties; ++t) {
    const Tie& tie = w_.ties[t];
    const bool cn = w_.cities[tie.city].country == Country::kCN;
    if (!(draw_registers(rng, cn) & kRegisterForeignMinistry)) continue;
    relation("TWINNED_WITH", {Kind::kMunicipality, m}, {Kind::kCity, tie.city})
        .date("since", tie.since,
              tie.year_only ? JsonText::Precision::kYear : JsonText::Precision::kDay)
        .end();
  }
  out.flush_if_full();
  return relations_;
}

JsonText& EntityEmitter::entity(Ref r) {
  json_.begin(out_->entity()).id("id", r).str("kind", kind_name(r.kind)).str("name", names_.name);
  if (names_.alias_count > 0) {
    json_.strings("aliases", std::span<const std::string>(names_.aliases, names_.alias_count));
  }
  return json_;
}

JsonText& EntityEmitter::relation(std::string_view kind, Ref from, Ref to) {
  ++relations_;
  return json_.relation(out_->relation(), kind, from, to);
}

Country EntityEmitter::participant_country(Rng& rng, bool sensitive) {
  if (rng.chance(0.9)) return Country::kIL;
  static constexpr std::array<std::uint32_t, kCountryCount> kSensitive = {0, 45, 20, 12, 13, 10};
  static constexpr std::array<std::uint32_t, kCountryCount> kOther = {0, 25, 25, 17, 18, 15};
  return static_cast<Country>(rng.weighted(sensitive ? kSensitive : kOther));
}

std::uint32_t EntityEmitter::pick_firm(Rng& rng, Country c, std::uint8_t sector,
                                       bool prefer_state) {
  const Span s = w_.firms_by_sector.of(ci(c) * kFirmSectors + sector);
  std::uint32_t f = 0;
  for (int attempt = 0; attempt < (prefer_state ? 4 : 1); ++attempt) {
    if (!s.empty()) {
      f = w_.firms_by_sector.items[s.begin + rng.below(s.size())];
    } else {
      Span range = w_.firm_range[ci(c)];
      if (c == Country::kCN) range.begin = w_.banks.end;
      f = range.begin + rng.below(range.size());
    }
    if (w_.firms[f].flags & kFirmStateLinked) break;
  }
  return f;
}

void EntityEmitter::authority(std::uint32_t a, Rng& /*rng*/) {
  const OrganRow& row = authority_table()[a % authority_table().size()];
  names_.clear();
  names_.name = row.name;
  names_.add_alias(row.alias);
  entity({Kind::kAuthority, a}).str("country", "IL").end();
}

void EntityEmitter::municipality(std::uint32_t m, Rng& rng) {
  municipality_names(w_.seed, m, names_);
  const Municipality& mun = w_.municipalities[m];
  const Ref self{Kind::kMunicipality, m};
  entity(self).str("country", "IL").location(mun.at).end();
  // The draws of the ties' registers come first in the stream: emit_register()
  // replays them.
  for (std::uint32_t t = mun.first_tie; t < mun.first_tie + mun.ties; ++t) {
    const Tie& tie = w_.ties[t];
    const bool cn = w_.cities[tie.city].country == Country::kCN;
    const std::uint8_t recorded = draw_registers(rng, cn);
    static constexpr std::string_view kRegisters[] = {"foreign_ministry", "local_authorities_union",
                                                      "municipality", "foreign_side"};
    std::array<std::string_view, 4> registers;
    std::size_t n = 0;
    for (std::size_t r = 0; r < registers.size(); ++r) {
      if (recorded & (1u << r)) registers[n++] = kRegisters[r];
    }
    relation("TWINNED_WITH", self, {Kind::kCity, tie.city})
        .date("since", tie.since,
              tie.year_only ? JsonText::Precision::kYear : JsonText::Precision::kDay)
        .strings("recorded_by", std::span<const std::string_view>(registers.data(), n))
        .end();
  }
}

void EntityEmitter::government(std::uint32_t g, Rng& /*rng*/) {
  government_names(w_, g, names_);
  const Government& gov = w_.governments[g];
  static constexpr std::string_view kOrgans[] = {"state", "party", "united_front"};
  const Ref self{Kind::kGovernment, g};
  entity(self)
      .str("country", country_code(gov.country))
      .str("level", gov.level == GovLevel::kNational ? "national" : "provincial")
      .str("organ", kOrgans[static_cast<std::size_t>(gov.organ)])
      .end();
  for (std::int32_t c : {gov.controller, gov.controller2}) {
    if (c >= 0)
      relation("CONTROLLED_BY", self, {Kind::kGovernment, static_cast<std::uint32_t>(c)}).end();
  }
}

void EntityEmitter::city(std::uint32_t c, Rng& rng) {
  city_names(w_.seed, w_, c, names_);
  const City& city = w_.cities[c];
  const Ref self{Kind::kCity, c};
  const bool district = rng.chance(0.1);
  const std::int64_t population =
      district
          ? rng.range(50, 900) * 1000
          : (city.country == Country::kCN ? rng.range(300, 15000) : rng.range(20, 3000)) * 1000;
  entity(self)
      .str("country", country_code(city.country))
      .str("level", district ? "district" : "city")
      .integer("population", population)
      .location(city.at)
      .end();
  relation("CONTROLLED_BY", self, {Kind::kGovernment, city.province}).end();
}

void EntityEmitter::organization(std::uint32_t o, Rng& rng) {
  const std::uint8_t type = organization_type(w_, o);
  organization_names(w_, o, type, names_);
  const Country c = w_.organization_country[o];
  const Ref self{Kind::kOrganization, o};
  entity(self).str("country", country_code(c)).str("type", kOrganizationTypes[type]).end();
  const std::uint32_t home = organization_home(w_, o);
  relation("LOCATED_IN", self, {c == Country::kIL ? Kind::kMunicipality : Kind::kCity, home}).end();
  if (c != Country::kCN) return;
  std::int32_t controller = -1;
  if (type == kOrgFriendship) {
    controller = w_.organ_with(Country::kCN, kRoleFriendship);
  } else if (type == kOrgUniversity) {
    controller = w_.organ_with(Country::kCN, kRoleEducation);
  } else if (type == kOrgThinkTank && rng.chance(0.5)) {
    // The head of the united front, above the friendship organ.
    const std::int32_t friendship = w_.organ_with(Country::kCN, kRoleFriendship);
    if (friendship >= 0)
      controller = w_.governments[static_cast<std::size_t>(friendship)].controller;
  }
  if (controller >= 0) {
    relation("CONTROLLED_BY", self, {Kind::kGovernment, static_cast<std::uint32_t>(controller)})
        .end();
  }
}

void EntityEmitter::firm(std::uint32_t f, Rng& rng) {
  firm_names(w_, f, names_);
  const Firm& firm = w_.firms[f];
  const Ref self{Kind::kFirm, f};
  JsonText& j = entity(self)
                    .str("country", country_code(firm.country))
                    .str("sector", kFirmSectorNames[firm.sector])
                    .boolean("state_owned", (firm.flags & kFirmStateOwned) != 0);
  if (firm.flags & kFirmListed) {
    std::array<std::string_view, 2> lists = {pick(rng, kLists), pick(rng, kLists)};
    j.strings("lists",
              std::span<const std::string_view>(lists.data(), lists[0] == lists[1] ? 1 : 2));
  }
  if (firm.country == Country::kIL) {
    std::string reg = "51-";
    JsonText::put_int(reg, rng.range(1'000'000, 9'999'999));
    reg += '-';
    JsonText::put_int(reg, rng.range(0, 9));
    j.str("registration", reg);
  }
  j.end();
  if (firm.country == Country::kIL) {
    relation("LOCATED_IN", self, {Kind::kMunicipality, rng.skewed(w_.n(Kind::kMunicipality))})
        .end();
  } else {
    const Span cities = w_.city_range[ci(firm.country)];
    relation("LOCATED_IN", self, {Kind::kCity, cities.begin + rng.below(cities.size())}).end();
  }
  const Owner* largest = nullptr;
  for (std::uint32_t k = firm.first_owner; k < firm.first_owner + firm.owners; ++k) {
    const Owner& o = w_.owners[k];
    relation("OWNED_BY", self, o.holder).fixed("share", o.share, 3).end();
    if (largest == nullptr || o.share > largest->share) largest = &o;
  }
  if (largest != nullptr && record_error(w_, Kind::kFirm, f, kOverstatedFirmEvery)) {
    // A record error: the largest holding copied from a second source, when a person
    // holds it, or else the stake its holder bought still on record under the person
    // who sold it. Either way the recorded shares usually exceed the whole. Persons
    // hold no state shares, so the effective government shares stay as they were.
    Ref holder = largest->holder;
    if (holder.kind != Kind::kPerson) {
      Rng flaw(w_.seed, kStreamFlaw + static_cast<std::uint64_t>(Kind::kFirm), f);
      const Span persons = w_.person_range[ci(firm.country)];
      holder = {Kind::kPerson, persons.begin + flaw.below(persons.size())};
    }
    relation("OWNED_BY", self, holder).fixed("share", largest->share, 3).end();
  }
}

void EntityEmitter::project(std::uint32_t p, Rng& rng) {
  const Project& pr = w_.projects[p];
  project_names(w_.seed, pr.municipality, pr.sector, p, names_);
  const Ref self{Kind::kProject, p};
  const auto [lo, hi] = kProjectValues[pr.sector];
  JsonText& j = entity(self)
                    .str("sector", kProjectSectorNames[pr.sector])
                    .str("status", kProjectStatusNames[static_cast<std::size_t>(pr.status)])
                    .integer("value_usd", rng.range(lo, hi) * 1'000'000)
                    .date("started", pr.started);
  // A record error: the project's place was never recorded.
  if (!record_error(w_, Kind::kProject, p, kUnlocatedProjectEvery)) j.location(pr.at);
  j.end();
  relation("LOCATED_IN", self, {Kind::kMunicipality, pr.municipality}).end();
  if ((pr.sector == kRail || pr.sector == kEnergy || pr.sector == kWater) && rng.chance(0.3)) {
    // A line or network that also crosses a neighbouring municipality.
    const std::uint32_t other = rng.skewed(w_.n(Kind::kMunicipality));
    if (other != pr.municipality) relation("LOCATED_IN", self, {Kind::kMunicipality, other}).end();
  }

  const bool sensitive = sensitive_sector(pr.sector);
  const bool tendered = pr.status >= ProjectStatus::kTendered;
  const bool awarded =
      tendered && pr.status != ProjectStatus::kTendered && pr.status != ProjectStatus::kCancelled;
  auto contractor_sector = [&] {
    const double r = rng.unit();
    return r < 0.55   ? std::uint8_t{kConstruction}
           : r < 0.75 ? std::uint8_t{kEngineering}
                      : pr.sector;
  };
  struct Bid {
    std::uint32_t firm;
    std::int32_t on;
  };
  std::array<Bid, 7> bids{};
  std::size_t n = 0;
  auto add_bid = [&](std::uint32_t f, std::int32_t on) {
    for (std::size_t i = 0; i < n; ++i) {
      if (bids[i].firm == f) return;
    }
    bids[n++] = {f, on};
  };
  if (tendered) {
    const auto count = rng.range(1, 5);
    for (std::int64_t i = 0; i < count; ++i) {
      const Country c = participant_country(rng, sensitive);
      add_bid(pick_firm(rng, c, contractor_sector(), c == Country::kCN && sensitive),
              clamp_day(pr.started - rng.range(30, 400)));
    }
  }
  // A firm of a twin city's country bids in the municipality after the twinning.
  const Municipality& mun = w_.municipalities[pr.municipality];
  if (tendered && mun.ties > 0 && rng.chance(0.015)) {
    const Tie& tie = w_.ties[mun.first_tie + rng.below(mun.ties)];
    const std::int32_t from = std::max(tie.since + 30, pr.started - 400);
    const std::int32_t to = pr.started - 1;
    if (from <= to) {
      const Country c = w_.cities[tie.city].country;
      add_bid(pick_firm(rng, c, contractor_sector(), c == Country::kCN),
              static_cast<std::int32_t>(rng.range(from, to)));
    }
  }
  const std::size_t winner = awarded && n > 0 ? rng.below(n) : bids.size();
  for (std::size_t i = 0; i < n; ++i) {
    relation("BIDDER_ON", {Kind::kFirm, bids[i].firm}, self)
        .date("on", bids[i].on)
        .boolean("won", i == winner)
        .end();
  }
  if (winner < n) {
    relation("CONTRACTOR_OF", {Kind::kFirm, bids[winner].firm}, self)
        .date("on", clamp_day(bids[winner].on + rng.range(30, 200)))
        .end();
  }
  if (sensitive &&
      (pr.status == ProjectStatus::kOperating || pr.status == ProjectStatus::kCompleted) &&
      rng.chance(0.7)) {
    const Country c = rng.chance(0.85) ? Country::kIL : participant_country(rng, true);
    relation("OPERATOR_OF", {Kind::kFirm, pick_firm(rng, c, pr.sector, c == Country::kCN)}, self)
        .date("on", clamp_day(pr.started + rng.range(365, 1500)))
        .end();
  }
  if (rng.chance(0.2)) {
    relation("FINANCIER_OF", {Kind::kFirm, pick_firm(rng, Country::kIL, kBanking)}, self)
        .date("on", clamp_day(pr.started - rng.range(0, 200)))
        .boolean("offered", rng.chance(0.15))
        .end();
  }
  if (w_.banks.empty() || !sensitive) return;
  // A state bank offers finance around a twinning with a city of the state-linked country.
  const Tie* cn_tie = nullptr;
  for (std::uint32_t t = mun.first_tie; t < mun.first_tie + mun.ties; ++t) {
    const Tie& tie = w_.ties[t];
    if (!tie.year_only && w_.cities[tie.city].country == Country::kCN) cn_tie = &tie;
  }
  const std::uint32_t bank = w_.banks.begin + rng.below(w_.banks.size());
  if (cn_tie != nullptr && infrastructure(pr.sector) && rng.chance(0.08)) {
    relation("FINANCIER_OF", {Kind::kFirm, bank}, self)
        .date("on", clamp_day(cn_tie->since + rng.range(-300, 300)))
        .boolean("offered", true)
        .end();
  } else if (rng.chance(0.004)) {
    relation("FINANCIER_OF", {Kind::kFirm, bank}, self)
        .date("on", clamp_day(pr.started - rng.range(100, 600)))
        .boolean("offered", true)
        .end();
  }
}

void EntityEmitter::site(std::uint32_t s, Rng& rng) {
  static constexpr std::array<std::uint32_t, 4> kCategories = {35, 25, 10, 30};
  const auto category = static_cast<std::uint8_t>(rng.weighted(kCategories));
  std::uint32_t m;
  Geo at;
  if (rng.chance(0.25) && !w_.projects.empty()) {
    // Next to a project: at most ~2.8 km north-south and east-west, under 5 km.
    const Project& p = w_.projects[rng.below(w_.projects.size())];
    m = p.municipality;
    at = {p.at.lat + static_cast<std::int32_t>(rng.range(-250, 250)),
          p.at.lon + static_cast<std::int32_t>(rng.range(-300, 300))};
  } else {
    m = rng.skewed(w_.n(Kind::kMunicipality));
    const Geo c = w_.municipalities[m].at;
    at = {c.lat + static_cast<std::int32_t>(rng.range(-2000, 2000)),
          c.lon + static_cast<std::int32_t>(rng.range(-2300, 2300))};
  }
  site_names(w_.seed, m, category, s, names_);
  const Ref self{Kind::kSite, s};
  entity(self).str("category", kSiteCategories[category]).location(at).end();
  relation("LOCATED_IN", self, {Kind::kMunicipality, m}).end();
}

void EntityEmitter::agreement(std::uint32_t a, Rng& rng) {
  const Agreement& ag = w_.agreements[a];
  const Ref self{Kind::kAgreement, a};
  const Ref mun{Kind::kMunicipality, ag.municipality};
  const bool cn = ag.country == Country::kCN;
  const auto type = static_cast<std::size_t>(ag.type);
  const Civil signed_civil = civil_from_days(ag.signed_on);
  const bool month_only = ag.type != AgreementType::kTwinning && rng.chance(0.05);
  // Deadlines run from the first day of a partial date.
  const std::int32_t signed_on =
      month_only ? days_from_civil(signed_civil.year, signed_civil.month, 1) : ag.signed_on;
  // A record error: the signing date is missing (and so is the year in the name).
  const bool undated = record_error(w_, Kind::kAgreement, a, kUndatedAgreementEvery);

  names_.clear();
  names_.name = municipality_place(w_.seed, ag.municipality).latin + " – " +
                display_name(w_, ag.party) + " " + std::string(kAgreementTypePhrases[type]);
  if (!undated) names_.name += " (" + std::to_string(signed_civil.year) + ")";

  std::string_view status;
  if (ag.type == AgreementType::kTwinning) {
    static constexpr std::string_view kStatuses[] = {"active", "frozen", "expired"};
    static constexpr std::array<std::uint32_t, 3> kWeights = {85, 8, 7};
    status = kStatuses[rng.weighted(kWeights)];
  } else {
    static constexpr std::string_view kStatuses[] = {"signed",    "active",  "frozen",
                                                     "cancelled", "expired", "proposed"};
    static constexpr std::array<std::uint32_t, 6> kWeights = {40, 35, 8, 5, 7, 5};
    status = kStatuses[rng.weighted(kWeights)];
  }

  const bool contract = ag.type == AgreementType::kContract;
  const bool twinning = ag.type == AgreementType::kTwinning;
  std::array<std::string_view, 6> clauses;
  std::size_t n = 0;
  const double secrecy = twinning ? 0.03 : contract ? 0.16 : cn ? 0.18 : 0.07;
  const bool confidential = rng.chance(secrecy);
  if (confidential) clauses[n++] = "confidentiality";
  if (rng.chance(contract ? 0.15 : 0.03)) clauses[n++] = "exclusivity";
  if (rng.chance(twinning ? 0.02 : 0.06)) clauses[n++] = "data_sharing";
  if (rng.chance(contract ? 0.2 : 0.02)) clauses[n++] = "foreign_arbitration";
  if (rng.chance(twinning ? 0.3 : 0.1)) clauses[n++] = "auto_renewal";
  if (rng.chance(contract ? 0.1 : 0.01)) clauses[n++] = "governing_law_foreign";

  JsonText& j = entity(self).str("type", kAgreementTypeNames[type]);
  if (!undated) {
    j.date("signed_on", signed_on,
           month_only ? JsonText::Precision::kMonth : JsonText::Precision::kDay);
  }
  j.str("status", status)
      .strings("clauses", std::span<const std::string_view>(clauses.data(), n))
      .str("subject", kSubjects[type][rng.below(4)]);
  if (confidential && rng.chance(0.4)) j.str("secrecy_reason", pick(rng, kSecrecyReasons));
  j.end();

  relation("PARTY_TO", mun, self).str("role", "signatory").end();
  relation("PARTY_TO", ag.party, self).str("role", "signatory").end();
  if (cn && twinning && rng.chance(0.2)) {
    // The united-front friendship organ runs most twin-city activity of its state.
    const std::int32_t friendship = w_.organ_with(Country::kCN, kRoleFriendship);
    relation("PARTY_TO", {Kind::kGovernment, static_cast<std::uint32_t>(friendship)}, self)
        .str("role", "facilitator")
        .end();
  } else if (cn && rng.chance(0.03)) {
    const std::int32_t embassy = w_.organ_with(Country::kCN, kRoleEmbassy);
    relation("PARTY_TO", {Kind::kGovernment, static_cast<std::uint32_t>(embassy)}, self)
        .str("role", "witness")
        .end();
  }
  const Span domestic = w_.organizations_by_country.of(ci(Country::kIL));
  if (!twinning && !domestic.empty() && rng.chance(0.15)) {
    // A local university, chamber of commerce or association signs with the city.
    const std::uint32_t o =
        w_.organizations_by_country.items[domestic.begin + rng.below(domestic.size())];
    relation("PARTY_TO", {Kind::kOrganization, o}, self).str("role", "co-signatory").end();
  }

  // The projects it concerns, in its municipality.
  const Span projects = w_.projects_of_municipality.of(ag.municipality);
  std::size_t concerns = 0;
  switch (ag.type) {
    case AgreementType::kTwinning:
      concerns = rng.chance(0.05) ? 1 : 0;
      break;
    case AgreementType::kContract:
      concerns = rng.chance(0.9) ? 1 : 0;
      break;
    case AgreementType::kLetterOfIntent:
      concerns = rng.chance(0.5) ? 1 : 0;
      break;
    default: {
      static constexpr std::array<std::uint32_t, 4> kCounts = {40, 35, 15, 10};
      concerns = rng.weighted(kCounts);
      break;
    }
  }
  concerns = std::min<std::size_t>(concerns, projects.size());
  std::array<std::uint32_t, 3> chosen{};
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < concerns; ++i) {
    const std::uint32_t p =
        w_.projects_of_municipality.items[projects.begin + rng.below(projects.size())];
    const auto end = chosen.begin() + static_cast<std::ptrdiff_t>(distinct);
    if (std::find(chosen.begin(), end, p) != end) continue;
    chosen[distinct++] = p;
    relation("CONCERNS", self, {Kind::kProject, p}).end();
  }

  // Notification of central government: on time (within 30 days), late, or never.
  const double r = rng.unit();
  if (r < 0.9) {
    const std::int32_t on =
        signed_on + static_cast<std::int32_t>(r < 0.8 ? rng.range(0, 30) : rng.range(31, 540));
    if (on <= kLastDay) {
      static constexpr std::array<std::uint32_t, 3> kWhere = {65, 30, 5};
      const std::size_t where = rng.weighted(kWhere);
      const std::uint32_t authorities = w_.n(Kind::kAuthority);
      const std::uint32_t first =
          where < 2 ? static_cast<std::uint32_t>(where) : 2 + rng.below(authorities - 2);
      relation("NOTIFIED", self, {Kind::kAuthority, first}).date("on", on).end();
      if (first < 2 && rng.chance(0.1)) {
        relation("NOTIFIED", self, {Kind::kAuthority, 1 - first})
            .date("on", std::min(kLastDay, on + static_cast<std::int32_t>(rng.range(0, 60))))
            .end();
      }
    }
  }
  if (cn && rng.chance(0.04)) {
    const std::int32_t embassy = w_.organ_with(Country::kCN, kRoleEmbassy);
    relation("BROKERED", {Kind::kGovernment, static_cast<std::uint32_t>(embassy)}, self).end();
  }
}

void EntityEmitter::person(std::uint32_t p, Rng& rng) {
  const Country c = w_.person_country(p);
  person_names(w_.seed, c, p, names_);
  const Ref self{Kind::kPerson, p};
  entity(self).str("nationality", country_code(c)).end();
  if (c != Country::kIL) {
    if (rng.chance(0.25)) {
      // An executive or representative of a firm of the person's country.
      const Span firms = w_.firm_range[ci(c)];
      relation("REPRESENTS", self, {Kind::kFirm, firms.begin + rng.below(firms.size())})
          .str("role", pick(rng, kExecutiveRoles))
          .boolean("disclosed", true)
          .date("since", static_cast<std::int32_t>(rng.range(kFirstDay - 3650, kLastDay - 365)))
          .end();
    }
    if (c == Country::kCN && rng.chance(0.02)) {
      // Promoted an agreement with a party of the person's country.
      for (int attempt = 0; attempt < 8; ++attempt) {
        const std::uint32_t a = rng.below(w_.agreements.size());
        if (w_.agreements[a].country == Country::kCN) {
          relation("BROKERED", self, {Kind::kAgreement, a}).end();
          break;
        }
      }
    }
    return;
  }
  if (!rng.chance(0.3)) {
    if (rng.chance(0.3)) {
      // A manager or director of a domestic firm.
      const Span firms = w_.firm_range[ci(Country::kIL)];
      relation("REPRESENTS", self, {Kind::kFirm, firms.begin + rng.below(firms.size())})
          .str("role", pick(rng, kExecutiveRoles))
          .boolean("disclosed", true)
          .date("since", static_cast<std::int32_t>(rng.range(kFirstDay - 3650, kLastDay - 365)))
          .end();
    }
    return;
  }
  // A domestic official: held office (some for two terms), and some later represent a
  // foreign party.
  constexpr std::int32_t kNow = days_from_civil(2024, 6, 30);
  std::int32_t since = days_from_civil(static_cast<int>(rng.range(1993, 2016)), 1, 1) +
                       static_cast<std::int32_t>(rng.range(0, 364));
  std::int32_t until = 0;
  std::int32_t m = -1;
  const bool central = rng.chance(0.05);
  if (!central) m = static_cast<std::int32_t>(rng.skewed(w_.n(Kind::kMunicipality)));
  for (int term = 0; term < 2; ++term) {
    until = since + static_cast<std::int32_t>(rng.range(2, 8) * 365 + rng.range(-60, 60));
    JsonText& j =
        central
            ? relation("HELD_OFFICE", self, {Kind::kAuthority, rng.below(w_.n(Kind::kAuthority))})
                  .str("role", pick(rng, kCentralRoles))
            : relation("HELD_OFFICE", self, {Kind::kMunicipality, static_cast<std::uint32_t>(m)})
                  .str("role", kMunicipalRoles[rng.weighted(kMunicipalRoleWeights)]);
    j.date("since", since);
    if (until <= kNow) j.date("until", until);
    j.end();
    if (until > kNow || !rng.chance(0.3)) break;
    since = until + static_cast<std::int32_t>(rng.range(0, 200));
  }
  if (until > kNow || !rng.chance(0.18)) return;
  std::int32_t rep_since = until + static_cast<std::int32_t>(rng.range(60, 1500));
  Ref party{};
  std::int32_t brokered = -1;
  if (m >= 0 && rng.chance(0.7)) {
    // A foreign party to an agreement of the official's former municipality, signed
    // after the official left office.
    const Span agreements = w_.agreements_of_municipality.of(static_cast<std::uint32_t>(m));
    std::uint32_t candidates = 0;
    for (std::uint32_t k = agreements.begin; k < agreements.end; ++k) {
      const std::uint32_t a = w_.agreements_of_municipality.items[k];
      if (w_.agreements[a].signed_on > until + 60 && rng.below(++candidates) == 0) {
        brokered = static_cast<std::int32_t>(a);
      }
    }
  }
  if (brokered >= 0) {
    const Agreement& ag = w_.agreements[static_cast<std::size_t>(brokered)];
    party = ag.party;
    rep_since = std::clamp(ag.signed_on - static_cast<std::int32_t>(rng.range(30, 400)), until + 30,
                           ag.signed_on);
  } else {
    static constexpr std::array<std::uint32_t, kCountryCount> kWeights = {0, 40, 15, 15, 15, 15};
    const Country fc = static_cast<Country>(rng.weighted(kWeights));
    if (rng.chance(0.2)) {
      const Span provinces = w_.provinces[ci(fc)];
      party = {Kind::kGovernment, provinces.begin + rng.below(provinces.size())};
    } else {
      const Span firms = w_.firm_range[ci(fc)];
      party = {Kind::kFirm, firms.begin + rng.below(firms.size())};
    }
  }
  relation("REPRESENTS", self, party)
      .str("role", pick(rng, kAgentRoles))
      .boolean("disclosed", rng.chance(0.55))
      .date("since", clamp_day(rep_since))
      .end();
  if (brokered >= 0 && rng.chance(0.6)) {
    relation("BROKERED", self, {Kind::kAgreement, static_cast<std::uint32_t>(brokered)}).end();
  }
}

}  // namespace twinscan::gen
