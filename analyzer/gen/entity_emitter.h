#pragma once

#include <cstdint>

#include "analyzer/gen/document_writer.h"
#include "analyzer/gen/json_text.h"
#include "analyzer/gen/names.h"
#include "analyzer/gen/random.h"
#include "analyzer/gen/world.h"

namespace twinscan::gen {

/// Writes one entity and the relations it owns (a firm its owners, a project its
/// bidders, an agreement its parties and notifications) from the skeleton and the
/// entity's own random stream. What is written for an entity depends only on the
/// seed, the size and the entity, never on what was written before it.
class EntityEmitter {
 public:
  explicit EntityEmitter(const World& world) : w_(world), json_(world.id_width) {}

  /// Appends entity `index` of `kind` and its relations to `out`; returns the number
  /// of relations written.
  std::uint32_t emit(Kind kind, std::uint32_t index, DocumentWriter& out);
  /// Appends to `out` the national register's record of the twin-city ties of
  /// municipality `m`: a TWINNED_WITH relation for each tie whose `recorded_by` names
  /// the foreign ministry. Returns the number of relations written.
  std::uint32_t emit_register(std::uint32_t m, DocumentWriter& out);

 private:
  void authority(std::uint32_t a, Rng& rng);
  void municipality(std::uint32_t m, Rng& rng);
  void government(std::uint32_t g, Rng& rng);
  void city(std::uint32_t c, Rng& rng);
  void organization(std::uint32_t o, Rng& rng);
  void firm(std::uint32_t f, Rng& rng);
  void project(std::uint32_t p, Rng& rng);
  void site(std::uint32_t s, Rng& rng);
  void agreement(std::uint32_t a, Rng& rng);
  void person(std::uint32_t p, Rng& rng);

  /// Starts the entity object with its id, kind, name and aliases.
  JsonText& entity(Ref r);
  /// Starts a relation object.
  JsonText& relation(std::string_view kind, Ref from, Ref to);
  std::uint32_t pick_firm(Rng& rng, Country c, std::uint8_t sector, bool prefer_state = false);
  Country participant_country(Rng& rng, bool sensitive);

  const World& w_;
  JsonText json_;
  Names names_;
  DocumentWriter* out_ = nullptr;
  std::uint32_t relations_ = 0;
};

}  // namespace twinscan::gen
