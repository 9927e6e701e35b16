#include "analyzer/model/schema.h"

#include <algorithm>

namespace twinscan::model {
namespace {

const PropertySpec* find_spec(const std::vector<PropertySpec>& specs, std::string_view name) {
  for (const auto& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

void add_names(std::vector<std::string>& out, const std::vector<PropertySpec>& specs) {
  for (const auto& spec : specs) {
    if (std::find(out.begin(), out.end(), spec.name) == out.end()) out.push_back(spec.name);
  }
}

}  // namespace

std::string PropertyType::to_string() const {
  const std::string base(model::to_string(scalar));
  return list ? "list<" + base + ">" : base;
}

std::optional<PropertyType> parse_property_type(std::string_view text) {
  bool list = false;
  if (text.starts_with("list<") && text.ends_with(">")) {
    list = true;
    text = text.substr(5, text.size() - 6);
  }
  static constexpr ValueType kScalars[] = {ValueType::kString, ValueType::kInt,
                                           ValueType::kNumber, ValueType::kBool,
                                           ValueType::kDate,   ValueType::kLocation};
  for (ValueType t : kScalars) {
    if (text == model::to_string(t)) return PropertyType{t, list};
  }
  return std::nullopt;
}

void upsert_property(std::vector<PropertySpec>& specs, PropertySpec spec) {
  for (auto& existing : specs) {
    if (existing.name == spec.name) {
      existing = std::move(spec);
      return;
    }
  }
  specs.push_back(std::move(spec));
}

std::optional<KindId> Schema::find_kind(std::string_view name) const {
  for (std::size_t i = 0; i < kinds_.size(); ++i) {
    if (kinds_[i].name == name) return static_cast<KindId>(i);
  }
  return std::nullopt;
}

std::optional<RelKindId> Schema::find_relation(std::string_view name) const {
  for (std::size_t i = 0; i < relations_.size(); ++i) {
    if (relations_[i].name == name) return static_cast<RelKindId>(i);
  }
  return std::nullopt;
}

const PropertySpec* Schema::entity_property(KindId kind, std::string_view name) const {
  if (const auto* spec = find_spec(kinds_[kind].properties, name)) return spec;
  return find_spec(common_entity_properties_, name);
}

const PropertySpec* Schema::relation_property(RelKindId kind, std::string_view name) const {
  if (const auto* spec = find_spec(relations_[kind].properties, name)) return spec;
  return find_spec(common_relation_properties_, name);
}

bool Schema::any_entity_property(std::string_view name) const {
  if (find_spec(common_entity_properties_, name)) return true;
  return std::any_of(kinds_.begin(), kinds_.end(),
                     [&](const auto& k) { return find_spec(k.properties, name) != nullptr; });
}

bool Schema::any_relation_property(std::string_view name) const {
  if (find_spec(common_relation_properties_, name)) return true;
  return std::any_of(relations_.begin(), relations_.end(),
                     [&](const auto& r) { return find_spec(r.properties, name) != nullptr; });
}

std::vector<std::string> Schema::kind_names() const {
  std::vector<std::string> names;
  for (const auto& k : kinds_) names.push_back(k.name);
  return names;
}

std::vector<std::string> Schema::relation_names() const {
  std::vector<std::string> names;
  for (const auto& r : relations_) names.push_back(r.name);
  return names;
}

std::vector<std::string> Schema::entity_property_names(std::optional<KindId> kind) const {
  std::vector<std::string> names;
  add_names(names, common_entity_properties_);
  if (kind) {
    add_names(names, kinds_[*kind].properties);
  } else {
    for (const auto& k : kinds_) add_names(names, k.properties);
  }
  return names;
}

std::vector<std::string> Schema::relation_property_names(std::optional<RelKindId> kind) const {
  std::vector<std::string> names;
  add_names(names, common_relation_properties_);
  if (kind) {
    add_names(names, relations_[*kind].properties);
  } else {
    for (const auto& r : relations_) add_names(names, r.properties);
  }
  return names;
}

std::string Schema::describe_kinds(KindMask mask) const {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < kinds_.size(); ++i) {
    if (mask >> i & 1U) names.push_back(kinds_[i].name);
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

KindId Schema::add_kind(EntityKindSpec spec) {
  kinds_.push_back(std::move(spec));
  return static_cast<KindId>(kinds_.size() - 1);
}

RelKindId Schema::add_relation(RelationKindSpec spec) {
  relations_.push_back(std::move(spec));
  return static_cast<RelKindId>(relations_.size() - 1);
}

}  // namespace twinscan::model
