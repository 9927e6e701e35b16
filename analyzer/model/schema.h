#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model/value.h"

namespace twinscan::model {

using KindId = std::uint16_t;     ///< Index of an entity kind in the schema.
using RelKindId = std::uint16_t;  ///< Index of a relation kind in the schema.
using KindMask = std::uint64_t;   ///< A set of entity kinds, one bit per KindId.

inline constexpr std::size_t kMaxEntityKinds = 64;

/// The declared type of a property: a scalar type, or a list of one scalar type.
struct PropertyType {
  ValueType scalar = ValueType::kString;
  bool list = false;

  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const PropertyType&, const PropertyType&) = default;
};

/// Parses "string", "int", "number", "bool", "date", "location" or "list<T>".
std::optional<PropertyType> parse_property_type(std::string_view text);

struct PropertySpec {
  std::string name;
  PropertyType type;
  std::string description;
  std::vector<std::string> values;  ///< Known values of an enumeration; empty when open.
  bool required = false;
  /// The kind of event a date property marks ("agreement signed", "twinned", "ended"):
  /// `twinscan timeline` lists it. Empty: the property is not an event.
  std::string event;
};

struct EntityKindSpec {
  std::string name;
  std::string description;
  std::vector<PropertySpec> properties;  ///< Kind-specific; common ones live in Schema.
};

struct RelationKindSpec {
  std::string name;
  std::string description;
  KindMask from = 0;  ///< Entity kinds allowed at the source.
  KindMask to = 0;    ///< Entity kinds allowed at the target.
  /// When not empty, the only (source kind, target kind) pairs allowed: TWINNED_WITH
  /// joins a municipality and a foreign city either way, or two foreign cities, but never
  /// two municipalities.
  std::vector<std::pair<KindId, KindId>> pairs;
  std::vector<PropertySpec> properties;

  /// Whether a relation of this kind may go from an entity of kind `from` to one of `to`.
  [[nodiscard]] bool allows(KindId from_kind, KindId to_kind) const {
    if (!(this->from >> from_kind & 1U) || !(this->to >> to_kind & 1U)) return false;
    if (pairs.empty()) return true;
    for (const auto& [f, t] : pairs) {
      if (f == from_kind && t == to_kind) return true;
    }
    return false;
  }
};

/// The registry's schema: entity kinds, relation kinds with their allowed endpoints,
/// and typed properties. Loaded from data/schema.json and optional user extensions.
class Schema {
 public:
  [[nodiscard]] const std::vector<EntityKindSpec>& kinds() const { return kinds_; }
  [[nodiscard]] const std::vector<RelationKindSpec>& relations() const { return relations_; }
  [[nodiscard]] const std::vector<PropertySpec>& common_entity_properties() const {
    return common_entity_properties_;
  }
  [[nodiscard]] const std::vector<PropertySpec>& common_relation_properties() const {
    return common_relation_properties_;
  }

  [[nodiscard]] std::optional<KindId> find_kind(std::string_view name) const;
  [[nodiscard]] std::optional<RelKindId> find_relation(std::string_view name) const;
  [[nodiscard]] const EntityKindSpec& kind(KindId id) const { return kinds_[id]; }
  [[nodiscard]] const RelationKindSpec& relation(RelKindId id) const { return relations_[id]; }

  /// The spec of property `name` on entities of `kind` (common or kind-specific).
  [[nodiscard]] const PropertySpec* entity_property(KindId kind, std::string_view name) const;
  /// The spec of property `name` on relations of `kind` (common or kind-specific).
  [[nodiscard]] const PropertySpec* relation_property(RelKindId kind, std::string_view name) const;
  /// True when some entity kind declares property `name`.
  [[nodiscard]] bool any_entity_property(std::string_view name) const;
  /// True when some relation kind declares property `name`.
  [[nodiscard]] bool any_relation_property(std::string_view name) const;

  [[nodiscard]] bool allows(RelKindId rel, KindId from, KindId to) const {
    return (relations_[rel].from >> from & 1U) && (relations_[rel].to >> to & 1U);
  }

  [[nodiscard]] std::vector<std::string> kind_names() const;
  [[nodiscard]] std::vector<std::string> relation_names() const;
  /// Names of every property declared for `kind` (or for any kind when empty).
  [[nodiscard]] std::vector<std::string> entity_property_names(std::optional<KindId> kind) const;
  [[nodiscard]] std::vector<std::string> relation_property_names(
      std::optional<RelKindId> kind) const;
  /// "A, B or C" for the kinds in `mask`.
  [[nodiscard]] std::string describe_kinds(KindMask mask) const;

  // Building (used by the schema reader).
  KindId add_kind(EntityKindSpec spec);
  RelKindId add_relation(RelationKindSpec spec);
  EntityKindSpec& mutable_kind(KindId id) { return kinds_[id]; }
  RelationKindSpec& mutable_relation(RelKindId id) { return relations_[id]; }
  std::vector<PropertySpec>& mutable_common_entity_properties() {
    return common_entity_properties_;
  }
  std::vector<PropertySpec>& mutable_common_relation_properties() {
    return common_relation_properties_;
  }

 private:
  std::vector<EntityKindSpec> kinds_;
  std::vector<RelationKindSpec> relations_;
  std::vector<PropertySpec> common_entity_properties_;
  std::vector<PropertySpec> common_relation_properties_;
};

/// Adds `spec` to `specs`, or replaces the spec of the same name.
void upsert_property(std::vector<PropertySpec>& specs, PropertySpec spec);

}  // namespace twinscan::model
