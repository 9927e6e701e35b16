#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace twinscan::gen {

/// The countries of a generated registry: the domestic one and five foreign ones, of
/// which CN has state-linked structure and the others are mostly benign.
enum class Country : std::uint8_t { kIL, kCN, kUS, kFR, kDE, kIT };
inline constexpr std::size_t kCountryCount = 6;
std::string_view country_code(Country c);

/// Entity kinds in the order every document lists them.
enum class Kind : std::uint8_t {
  kAuthority,
  kMunicipality,
  kGovernment,
  kCity,
  kOrganization,
  kFirm,
  kProject,
  kSite,
  kAgreement,
  kPerson,
};
inline constexpr std::size_t kKindCount = 10;
/// The schema's name of a kind, and the id prefix of its entities.
std::string_view kind_name(Kind k);
std::string_view kind_prefix(Kind k);

/// The families of random streams (see Rng): one stream per item of a family.
enum Stream : std::uint64_t {
  kStreamWorld = 1,  ///< + a section number: the skeleton's sequential streams
  kStreamMunicipalityName = 32,
  kStreamCityName,
  kStreamProvinceName,
  kStreamFirmName,
  kStreamPersonName,
  kStreamOrganization,
  kStreamProjectName,
  kStreamSiteName,
  kStreamEmit = 64,      ///< + a Kind: the stream of one entity's content and relations
  kStreamFlawPick = 80,  ///< + a Kind: which entity of a block has a record error
  kStreamFlaw = 96,      ///< + a Kind: the details of one entity's record error
};

/// An entity: its kind and index within the kind.
struct Ref {
  Kind kind = Kind::kAuthority;
  std::uint32_t index = 0;
};

/// Project sectors (the first kProjectSectors) and the extra sectors of firms.
enum Sector : std::uint8_t {
  kPort,
  kLogistics,
  kRail,
  kTelecom,
  kEnergy,
  kWater,
  kDataCenter,
  kSurveillance,
  kSmartCity,
  kRealEstate,
  kAcademic,
  kCulture,
  kTourism,
  kTrade,
  kConstruction,
  kEngineering,
  kBanking,
  kHolding,
};
inline constexpr std::size_t kProjectSectors = 14;
inline constexpr std::size_t kFirmSectors = 18;
/// True for the sectors the domain calls sensitive infrastructure.
constexpr bool sensitive_sector(std::uint8_t s) {
  return s <= kSmartCity;
}

/// A location in units of 1e-4 degree, kept integral so that output never depends on
/// floating-point library functions.
struct Geo {
  std::int32_t lat = 0;
  std::int32_t lon = 0;
};

enum class GovLevel : std::uint8_t { kNational, kProvincial };
enum class Organ : std::uint8_t { kState, kParty, kUnitedFront };
/// What a national organ is for, so that owners, signatories and facilitators are
/// picked from fitting organs.
enum GovRole : std::uint16_t {
  kRoleNone = 0,
  kRoleAssetOwner = 1 << 0,  ///< holds the state's shares in firms
  kRoleFinance = 1 << 1,     ///< owns the state banks
  kRoleSignatory = 1 << 2,   ///< signs agreements directly (commissions, ministries)
  kRoleEmbassy = 1 << 3,
  kRoleFriendship = 1 << 4,    ///< runs twin-city activity (a united-front organ)
  kRoleEducation = 1 << 5,     ///< controls universities
  kRoleStateCouncil = 1 << 6,  ///< controls the provinces
  kRolePartyCentre = 1 << 7,
};

struct Government {
  Country country = Country::kCN;
  GovLevel level = GovLevel::kNational;
  Organ organ = Organ::kState;
  std::uint16_t roles = kRoleNone;
  std::uint16_t table = 0;   ///< Row of the organ table (national) or province number.
  std::uint16_t bureau = 0;  ///< 0, or the number of a bureau under organ `table`.
  std::int32_t controller = -1;
  std::int32_t controller2 = -1;
};

struct City {
  Country country = Country::kCN;
  std::uint32_t province = 0;  ///< A Government index (level provincial).
  Geo at;
};

/// A twin-city tie of a municipality.
struct Tie {
  std::uint32_t city = 0;
  std::int32_t since = 0;  ///< Days since 1970-01-01.
  bool year_only = false;  ///< An old tie known only by its year (and without agreement).
  std::int32_t agreement = -1;
};

struct Municipality {
  Geo at;
  std::uint32_t first_tie = 0;
  std::uint8_t ties = 0;
};

enum class ProjectStatus : std::uint8_t {
  kProposed,
  kPlanned,
  kTendered,
  kAwarded,
  kUnderConstruction,
  kOperating,
  kFrozen,
  kCancelled,
  kCompleted,
};

struct Project {
  std::uint32_t municipality = 0;
  std::uint8_t sector = 0;
  ProjectStatus status = ProjectStatus::kProposed;
  Geo at;
  std::int32_t started = 0;  ///< Days since 1970-01-01.
};

/// A holder of shares in a firm.
struct Owner {
  Ref holder;
  std::uint16_t share = 0;  ///< In thousandths, 1..1000.
};

enum FirmFlag : std::uint8_t {
  kFirmStateOwned = 1 << 0,   ///< declares state ownership
  kFirmStateLinked = 1 << 1,  ///< effective government share of 0.25 or more
  kFirmBank = 1 << 2,         ///< a state bank that offers finance
  kFirmListed = 1 << 3,       ///< on a sanctions or entity list
};

struct Firm {
  Country country = Country::kIL;
  std::uint8_t sector = 0;
  std::uint8_t flags = 0;
  std::uint8_t owners = 0;
  std::uint32_t first_owner = 0;
};

enum class AgreementType : std::uint8_t { kTwinning, kMou, kFramework, kContract, kLetterOfIntent };

struct Agreement {
  std::uint32_t municipality = 0;
  AgreementType type = AgreementType::kTwinning;
  Country country = Country::kCN;  ///< The foreign party's country.
  Ref party;                       ///< The foreign party.
  std::int32_t signed_on = 0;      ///< Days since 1970-01-01.
  std::int32_t tie = -1;           ///< The tie a twinning agreement records.
};

/// A half-open run of indices.
struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  [[nodiscard]] std::uint32_t size() const { return end - begin; }
  [[nodiscard]] bool empty() const { return begin == end; }
};

/// Offsets into a list of indices grouped by key (compressed rows).
struct Grouping {
  std::vector<std::uint32_t> start;  ///< size keys + 1
  std::vector<std::uint32_t> items;
  [[nodiscard]] Span of(std::size_t key) const { return {start[key], start[key + 1]}; }
};

/// The skeleton of a generated registry: for every entity the few facts that other
/// entities refer to (who owns a firm, where a project is, which cities a
/// municipality is twinned with), in compact arrays of a few bytes per entity. The
/// JSON is then written entity by entity from this skeleton and a per-entity random
/// stream, so the text never has to be held in memory.
struct World {
  std::uint64_t seed = 0;
  std::array<std::uint32_t, kKindCount> count{};

  std::vector<Government> governments;  ///< national organs, then provinces
  std::array<Span, kCountryCount> nationals{};
  std::array<Span, kCountryCount> provinces{};
  std::vector<City> cities;
  std::array<Span, kCountryCount> city_range{};
  std::vector<Municipality> municipalities;
  std::vector<Tie> ties;
  std::vector<Project> projects;
  Grouping projects_of_municipality;
  std::vector<Firm> firms;
  std::vector<Owner> owners;
  std::array<Span, kCountryCount> firm_range{};
  Span banks;                ///< the state banks (CN firms)
  Grouping firms_by_sector;  ///< key: country * kFirmSectors + sector
  std::vector<Country> organization_country;
  Grouping organizations_by_country;
  std::vector<Agreement> agreements;
  Grouping agreements_of_municipality;
  std::array<Span, kCountryCount> person_range{};
  std::uint32_t id_width = 6;

  [[nodiscard]] std::uint32_t n(Kind k) const { return count[static_cast<std::size_t>(k)]; }
  /// The national organ of `country` with role `role`, or -1.
  [[nodiscard]] std::int32_t organ_with(Country country, std::uint16_t role) const;
  [[nodiscard]] Country person_country(std::uint32_t person) const;
  [[nodiscard]] Country entity_country(Ref r) const;
};

/// The municipality (domestic organization) or city (foreign one) an organization is
/// in, and its type (an index of kOrganizationTypes in names.h): pure functions of the
/// seed and index, shared by the names and the relations.
std::uint32_t organization_home(const World& w, std::uint32_t o);
std::uint8_t organization_type(const World& w, std::uint32_t o);

/// The smallest and largest registry the generator makes.
inline constexpr std::uint64_t kMinEntities = 1000;
inline constexpr std::uint64_t kMaxEntities = 100'000'000;

/// Builds the skeleton of a registry of exactly `entities` entities.
World build_world(std::uint64_t seed, std::uint64_t entities);

}  // namespace twinscan::gen
