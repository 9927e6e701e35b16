#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "analyzer/gen/world.h"

namespace twinscan::gen {

/// A row of a country's table of national organs.
struct OrganRow {
  const char* name;
  const char* alias;  ///< In the country's own script or language; may be empty.
  Organ organ;
  std::uint16_t roles;
  std::int8_t controller;  ///< Row of the organ this one is subordinate to, or -1.
};

/// The national organs of foreign country `c` (empty for the domestic country).
std::span<const OrganRow> organ_table(Country c);

/// An entity's display name and up to two aliases (other scripts, short forms).
struct Names {
  std::string name;
  std::string aliases[2];
  int alias_count = 0;

  void clear() {
    name.clear();
    aliases[0].clear();
    aliases[1].clear();
    alias_count = 0;
  }
  void add_alias(std::string text) {
    if (alias_count < 2 && !text.empty() && text != name) aliases[alias_count++] = std::move(text);
  }
};

/// A place name in Latin script and in the place's own script (Hebrew, Arabic or
/// Chinese; equal to the Latin form in Latin-script countries), and in Hebrew for a
/// domestic place.
struct PlaceName {
  std::string latin;
  std::string native;
  std::string hebrew;
};

/// Every name is a pure function of the seed and the entity's index, so that any
/// entity can name another (a project its municipality) without storing names.
PlaceName municipality_place(std::uint64_t seed, std::uint32_t m);
PlaceName city_place(std::uint64_t seed, Country c, std::uint32_t city);
void municipality_names(std::uint64_t seed, std::uint32_t m, Names& out);
void city_names(std::uint64_t seed, const World& w, std::uint32_t city, Names& out);
void government_names(const World& w, std::uint32_t g, Names& out);
void firm_names(const World& w, std::uint32_t f, Names& out);
void person_names(std::uint64_t seed, Country c, std::uint32_t p, Names& out);
void organization_names(const World& w, std::uint32_t o, std::uint8_t type, Names& out);
/// The name of a project of `sector` in municipality `m`.
void project_names(std::uint64_t seed, std::uint32_t m, std::uint8_t sector, std::uint32_t p,
                   Names& out);
void site_names(std::uint64_t seed, std::uint32_t m, std::uint8_t category, std::uint32_t s,
                Names& out);
/// The display name of any entity (its primary name only).
std::string display_name(const World& w, Ref r);

/// Names of the central authorities, in the order of their indices.
std::span<const OrganRow> authority_table();

/// Organization types, used for `type` and in names.
inline constexpr const char* kOrganizationTypes[] = {
    "university", "association", "chamber_of_commerce", "think_tank", "friendship_association",
    "union"};
inline constexpr std::uint8_t kOrgUniversity = 0, kOrgAssociation = 1, kOrgChamber = 2,
                              kOrgThinkTank = 3, kOrgFriendship = 4, kOrgUnion = 5;

}  // namespace twinscan::gen
