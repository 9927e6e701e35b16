#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/model/schema.h"
#include "analyzer/util/embedded_text.h"

using twinscan::diag::Diagnostics;
using twinscan::diag::SourceText;
using twinscan::model::KindMask;
using twinscan::model::parse_property_type;
using twinscan::model::PropertyType;
using twinscan::model::Schema;
using twinscan::model::ValueType;
using Names = std::set<std::string>;

namespace {

Schema builtin() {
  Schema schema;
  Diagnostics diagnostics;
  const bool ok = twinscan::io::read_schema(
      SourceText("<built-in schema>", std::string(twinscan::util::builtin_schema_text())), schema,
      diagnostics);
  INFO((diagnostics.all().empty() ? std::string() : diagnostics.all().front().to_string()));
  REQUIRE(ok);
  REQUIRE(diagnostics.all().empty());
  return schema;
}

Names kinds_in(const Schema& schema, KindMask mask) {
  Names names;
  for (std::size_t k = 0; k < schema.kinds().size(); ++k) {
    if (mask >> k & 1U) names.insert(schema.kinds()[k].name);
  }
  return names;
}

Names from_of(const Schema& schema, std::string_view relation) {
  const auto id = schema.find_relation(relation);
  REQUIRE(id);
  return kinds_in(schema, schema.relation(*id).from);
}

Names to_of(const Schema& schema, std::string_view relation) {
  const auto id = schema.find_relation(relation);
  REQUIRE(id);
  return kinds_in(schema, schema.relation(*id).to);
}

PropertyType entity_type(const Schema& schema, std::string_view kind, std::string_view property) {
  const auto id = schema.find_kind(kind);
  REQUIRE(id);
  const auto* spec = schema.entity_property(*id, property);
  INFO(kind << "." << property);
  REQUIRE(spec != nullptr);
  return spec->type;
}

PropertyType relation_type(const Schema& schema, std::string_view relation,
                           std::string_view property) {
  const auto id = schema.find_relation(relation);
  REQUIRE(id);
  const auto* spec = schema.relation_property(*id, property);
  INFO(relation << "." << property);
  REQUIRE(spec != nullptr);
  return spec->type;
}

const Names kAllKinds = {"Municipality",  "ForeignCity",     "ForeignGovernment", "Organization",
                         "Firm",          "Project",         "Agreement",         "Person",
                         "SensitiveSite", "CentralAuthority"};

// Diagnostics of reading `text` as a schema extension over the built-in schema.
std::vector<std::string> extension_errors(const std::string& text) {
  Schema schema = builtin();
  Diagnostics diagnostics;
  const bool ok = twinscan::io::read_schema(SourceText("ext.json", text), schema, diagnostics);
  std::vector<std::string> out;
  for (const auto& d : diagnostics.all()) out.push_back(d.to_string());
  CHECK_FALSE(ok);
  CHECK(diagnostics.has_errors());
  return out;
}

}  // namespace

TEST_CASE("registry schema: the built-in schema has the contract's ten entity kinds",
          "[registry]") {
  const Schema schema = builtin();
  const auto names = schema.kind_names();
  CHECK(names.size() == 10);
  CHECK(Names(names.begin(), names.end()) == kAllKinds);
  for (const auto& kind : kAllKinds) {
    INFO(kind);
    CHECK(schema.find_kind(kind));
  }
  CHECK_FALSE(schema.find_kind("Firms"));
  CHECK_FALSE(schema.find_kind("firm"));
}

TEST_CASE(
    "registry schema: the built-in schema has the contract's fourteen relation kinds and endpoints",
    "[registry]") {
  const Schema schema = builtin();
  CHECK(schema.relations().size() == 14);
  // Either way between a municipality and a foreign city, or two foreign cities.
  CHECK(from_of(schema, "TWINNED_WITH") == Names{"Municipality", "ForeignCity"});
  CHECK(to_of(schema, "TWINNED_WITH") == Names{"Municipality", "ForeignCity"});
  const auto twinned = schema.find_relation("TWINNED_WITH");
  REQUIRE(twinned);
  const auto municipality = *schema.find_kind("Municipality");
  const auto city = *schema.find_kind("ForeignCity");
  CHECK(schema.relation(*twinned).allows(municipality, city));
  CHECK(schema.relation(*twinned).allows(city, municipality));
  CHECK(schema.relation(*twinned).allows(city, city));
  CHECK_FALSE(schema.relation(*twinned).allows(municipality, municipality));
  CHECK(from_of(schema, "PARTY_TO") == kAllKinds);
  CHECK(to_of(schema, "PARTY_TO") == Names{"Agreement"});
  CHECK(from_of(schema, "CONCERNS") == Names{"Agreement"});
  CHECK(to_of(schema, "CONCERNS") == Names{"Project"});
  CHECK(from_of(schema, "LOCATED_IN") == Names{"Project", "SensitiveSite", "Firm", "Organization"});
  CHECK(to_of(schema, "LOCATED_IN") == Names{"Municipality", "ForeignCity"});
  CHECK(from_of(schema, "OWNED_BY") == Names{"Firm"});
  CHECK(to_of(schema, "OWNED_BY") ==
        Names{"Firm", "ForeignGovernment", "ForeignCity", "Organization", "Person"});
  CHECK(from_of(schema, "CONTROLLED_BY") ==
        Names{"ForeignCity", "ForeignGovernment", "Organization"});
  CHECK(to_of(schema, "CONTROLLED_BY") == Names{"ForeignGovernment"});
  for (const char* kind : {"BIDDER_ON", "CONTRACTOR_OF", "OPERATOR_OF", "FINANCIER_OF"}) {
    INFO(kind);
    CHECK(from_of(schema, kind) == Names{"Firm", "ForeignGovernment"});
    CHECK(to_of(schema, kind) == Names{"Project"});
  }
  CHECK(from_of(schema, "NOTIFIED") == Names{"Agreement"});
  CHECK(to_of(schema, "NOTIFIED") == Names{"CentralAuthority"});
  CHECK(from_of(schema, "REPRESENTS") == Names{"Person"});
  CHECK(to_of(schema, "REPRESENTS") == kAllKinds);
  CHECK(from_of(schema, "HELD_OFFICE") == Names{"Person"});
  CHECK(to_of(schema, "HELD_OFFICE") == Names{"Municipality", "CentralAuthority"});
  CHECK(from_of(schema, "BROKERED") == Names{"Person", "Firm", "ForeignGovernment"});
  CHECK(to_of(schema, "BROKERED") == Names{"Agreement"});
}

TEST_CASE("registry schema: Schema::allows checks both endpoints", "[registry]") {
  const Schema schema = builtin();
  const auto owned_by = *schema.find_relation("OWNED_BY");
  const auto firm = *schema.find_kind("Firm");
  const auto person = *schema.find_kind("Person");
  const auto municipality = *schema.find_kind("Municipality");
  CHECK(schema.allows(owned_by, firm, person));
  CHECK(schema.allows(owned_by, firm, firm));
  CHECK_FALSE(schema.allows(owned_by, person, firm));
  CHECK_FALSE(schema.allows(owned_by, firm, municipality));
  CHECK(schema.describe_kinds(schema.relation(owned_by).to) ==
        "ForeignCity, ForeignGovernment, Organization, Firm or Person");
}

TEST_CASE("registry schema: the built-in schema types the contract's properties", "[registry]") {
  const Schema schema = builtin();
  CHECK(entity_type(schema, "Agreement", "signed_on") == PropertyType{ValueType::kDate, false});
  CHECK(entity_type(schema, "Agreement", "clauses") == PropertyType{ValueType::kString, true});
  CHECK(entity_type(schema, "Agreement", "type") == PropertyType{ValueType::kString, false});
  CHECK(entity_type(schema, "Agreement", "status") == PropertyType{ValueType::kString, false});
  CHECK(entity_type(schema, "Project", "sector") == PropertyType{ValueType::kString, false});
  CHECK(entity_type(schema, "SensitiveSite", "category") ==
        PropertyType{ValueType::kString, false});
  CHECK(entity_type(schema, "Firm", "state_owned") == PropertyType{ValueType::kBool, false});
  CHECK(entity_type(schema, "Firm", "lists") == PropertyType{ValueType::kString, true});
  CHECK(entity_type(schema, "Firm", "country") == PropertyType{ValueType::kString, false});
  CHECK(entity_type(schema, "ForeignGovernment", "level") ==
        PropertyType{ValueType::kString, false});
  CHECK(entity_type(schema, "ForeignGovernment", "organ") ==
        PropertyType{ValueType::kString, false});
  CHECK(entity_type(schema, "ForeignCity", "population") == PropertyType{ValueType::kInt, false});
  // Common properties apply to every kind.
  for (const auto& kind : kAllKinds) {
    INFO(kind);
    CHECK(entity_type(schema, kind, "name") == PropertyType{ValueType::kString, false});
    CHECK(entity_type(schema, kind, "aliases") == PropertyType{ValueType::kString, true});
    CHECK(entity_type(schema, kind, "location") == PropertyType{ValueType::kLocation, false});
  }
  CHECK(relation_type(schema, "OWNED_BY", "share") == PropertyType{ValueType::kNumber, false});
  CHECK(relation_type(schema, "NOTIFIED", "on") == PropertyType{ValueType::kDate, false});
  CHECK(relation_type(schema, "REPRESENTS", "disclosed") == PropertyType{ValueType::kBool, false});
  CHECK(relation_type(schema, "REPRESENTS", "role") == PropertyType{ValueType::kString, false});
  CHECK(relation_type(schema, "PARTY_TO", "role") == PropertyType{ValueType::kString, false});
  CHECK(relation_type(schema, "HELD_OFFICE", "since") == PropertyType{ValueType::kDate, false});
  CHECK(relation_type(schema, "HELD_OFFICE", "until") == PropertyType{ValueType::kDate, false});
  CHECK(relation_type(schema, "TWINNED_WITH", "since") == PropertyType{ValueType::kDate, false});
  // Kind-specific properties stay on their kind.
  CHECK(schema.entity_property(*schema.find_kind("Person"), "signed_on") == nullptr);
  CHECK(schema.relation_property(*schema.find_relation("PARTY_TO"), "share") == nullptr);
  CHECK(schema.any_entity_property("signed_on"));
  CHECK_FALSE(schema.any_entity_property("share"));
  CHECK(schema.any_relation_property("share"));
}

TEST_CASE("registry schema: the built-in schema lists the contract's enumerations", "[registry]") {
  const Schema schema = builtin();
  const auto values = [&](std::string_view kind, std::string_view property) {
    const auto* spec = schema.entity_property(*schema.find_kind(kind), property);
    REQUIRE(spec != nullptr);
    return Names(spec->values.begin(), spec->values.end());
  };
  const auto includes = [](const Names& all, const Names& some) {
    return std::includes(all.begin(), all.end(), some.begin(), some.end());
  };
  CHECK(includes(values("Agreement", "type"),
                 {"twinning", "mou", "framework", "contract", "letter_of_intent"}));
  CHECK(includes(values("Agreement", "clauses"),
                 {"confidentiality", "exclusivity", "data_sharing", "foreign_arbitration"}));
  CHECK(values("SensitiveSite", "category") ==
        Names{"military", "defense_industry", "strategic_port", "critical_infrastructure"});
  CHECK(values("ForeignGovernment", "level") == Names{"national", "provincial", "municipal"});
  CHECK(values("ForeignGovernment", "organ") == Names{"state", "party", "united_front"});
  CHECK(includes(values("Project", "sector"),
                 {"port", "logistics", "rail", "telecom", "energy", "water", "data_center",
                  "surveillance", "smart_city", "real_estate", "academic", "culture"}));
}

TEST_CASE("registry schema: parse_property_type reads scalars and lists", "[registry]") {
  CHECK(parse_property_type("string") == PropertyType{ValueType::kString, false});
  CHECK(parse_property_type("int") == PropertyType{ValueType::kInt, false});
  CHECK(parse_property_type("number") == PropertyType{ValueType::kNumber, false});
  CHECK(parse_property_type("bool") == PropertyType{ValueType::kBool, false});
  CHECK(parse_property_type("date") == PropertyType{ValueType::kDate, false});
  CHECK(parse_property_type("location") == PropertyType{ValueType::kLocation, false});
  CHECK(parse_property_type("list<date>") == PropertyType{ValueType::kDate, true});
  CHECK(parse_property_type("list<string>")->to_string() == "list<string>");
  CHECK_FALSE(parse_property_type("list<list<string>>"));
  CHECK_FALSE(parse_property_type("list<>"));
  CHECK_FALSE(parse_property_type("list"));
  CHECK_FALSE(parse_property_type("null"));
  CHECK_FALSE(parse_property_type("String"));
  CHECK_FALSE(parse_property_type(""));
}

TEST_CASE("registry schema: a schema extension adds kinds and properties and widens endpoints",
          "[registry]") {
  Schema schema = builtin();
  const std::string extension = R"({
    "format": "twinscan-schema/1",
    "entity_properties": {"website": "string"},
    "entities": {
      "Port": {"description": "A seaport.", "properties": {"berths": {"type": "int"}}},
      "Firm": {"properties": {"founded": "date", "sector": {"type": "list<string>"}}}
    },
    "relations": {
      "LOCATED_IN": {"from": ["Port"]},
      "OWNED_BY": {"to": ["Municipality"]},
      "CALLS_AT": {"from": ["Firm"], "to": ["Port"], "properties": {"yearly": "int"}}
    }
  })";
  Diagnostics diagnostics;
  REQUIRE(twinscan::io::read_schema(SourceText("ext.json", extension), schema, diagnostics));
  CHECK(diagnostics.all().empty());

  REQUIRE(schema.kinds().size() == 11);
  const auto port = schema.find_kind("Port");
  REQUIRE(port);
  CHECK(schema.kind(*port).description == "A seaport.");
  CHECK(entity_type(schema, "Port", "berths") == PropertyType{ValueType::kInt, false});
  CHECK(entity_type(schema, "Port", "website") == PropertyType{ValueType::kString, false});
  CHECK(entity_type(schema, "Agreement", "website") == PropertyType{ValueType::kString, false});
  CHECK(entity_type(schema, "Firm", "founded") == PropertyType{ValueType::kDate, false});
  // A property declared again takes the new declaration; the others stay.
  CHECK(entity_type(schema, "Firm", "sector") == PropertyType{ValueType::kString, true});
  CHECK(entity_type(schema, "Firm", "state_owned") == PropertyType{ValueType::kBool, false});

  CHECK(from_of(schema, "LOCATED_IN") ==
        Names{"Project", "SensitiveSite", "Firm", "Organization", "Port"});
  CHECK(to_of(schema, "LOCATED_IN") == Names{"Municipality", "ForeignCity"});
  CHECK(to_of(schema, "OWNED_BY") == Names{"Firm", "ForeignGovernment", "ForeignCity",
                                           "Organization", "Person", "Municipality"});
  // "*" covers kinds added later.
  CHECK(from_of(schema, "PARTY_TO").count("Port") == 1);
  CHECK(to_of(schema, "REPRESENTS").count("Port") == 1);

  REQUIRE(schema.relations().size() == 15);
  CHECK(from_of(schema, "CALLS_AT") == Names{"Firm"});
  CHECK(to_of(schema, "CALLS_AT") == Names{"Port"});
  CHECK(relation_type(schema, "CALLS_AT", "yearly") == PropertyType{ValueType::kInt, false});
  CHECK(relation_type(schema, "CALLS_AT", "since") == PropertyType{ValueType::kDate, false});
}

TEST_CASE("registry schema: bad schema files give located errors", "[registry]") {
  SECTION("malformed JSON") {
    CHECK(extension_errors("{\"format\": \"twinscan-schema/1\",\n  \"entities\": {]\n}") ==
          std::vector<std::string>{
              "ext.json:2:16: error: malformed JSON: missing a name for object member"});
  }
  SECTION("not an object") {
    CHECK(extension_errors("  [1]") ==
          std::vector<std::string>{"ext.json:1:3: error: a schema document must be a JSON object"});
  }
  SECTION("wrong format") {
    CHECK(
        extension_errors("{\"format\": \"twinscan/1\"}") ==
        std::vector<std::string>{"ext.json:1:12: error: \"format\" must be \"twinscan-schema/1\""});
  }
  SECTION("unknown top-level key") {
    CHECK(extension_errors("{\"format\": \"twinscan-schema/1\",\n \"relatoins\": {}}") ==
          std::vector<std::string>{
              "ext.json:2:2: error: unknown schema key 'relatoins'; did you mean 'relations'?"});
  }
  SECTION("unknown property type") {
    CHECK(extension_errors("{\"entities\": {\"Firm\": {\"properties\": {\n"
                           "  \"founded\": \"dat\",\n"
                           "  \"ceo\": {\"type\": \"list<person>\"}}}}}") ==
          std::vector<std::string>{
              "ext.json:2:14: error: unknown property type 'dat' (expected string, int, number, "
              "bool, date, location or list<...> of one of them)",
              "ext.json:3:19: error: unknown property type 'list<person>' (expected string, int, "
              "number, bool, date, location or list<...> of one of them)"});
  }
  SECTION("property without a type, reserved name, mistyped attribute") {
    CHECK(extension_errors("{\"entity_properties\": {\n"
                           "  \"rank\": {\"description\": \"x\"},\n"
                           "  \"id\": \"string\",\n"
                           "  \"score\": {\"type\": \"number\", \"requird\": true}}}") ==
          std::vector<std::string>{
              "ext.json:2:11: error: property 'rank' needs a \"type\"",
              "ext.json:3:3: error: 'id' is reserved and cannot be a property",
              "ext.json:4:31: error: unknown or mistyped property attribute 'requird' "
              "(expected type, description, required, values, event)"});
  }
  SECTION("unknown endpoint kind, new relation without endpoints") {
    CHECK(extension_errors("{\"relations\": {\n"
                           "  \"SUPPLIES\": {\"from\": [\"Frm\"], \"to\": [\"Project\"]},\n"
                           "  \"ADVISES\": {\"from\": [\"Person\"]},\n"
                           "  \"OWNED_BY\": {\"to\": \"Person\"}}}") ==
          std::vector<std::string>{
              "ext.json:2:25: error: unknown entity kind 'Frm'; did you mean 'Firm'?",
              "ext.json:3:3: error: relation kind 'ADVISES' needs \"from\" and \"to\"",
              "ext.json:4:22: error: relation endpoints must be a list of entity kinds or \"*\""});
  }
  SECTION("entity kind spec that is not an object") {
    CHECK(
        extension_errors("{\"entities\": {\"Port\": [\"berths\"]}}") ==
        std::vector<std::string>{"ext.json:1:23: error: an entity kind's spec must be an object"});
  }
}

TEST_CASE("registry schema: an extension may not push the schema past 64 entity kinds",
          "[registry]") {
  std::string text = "{\"entities\": {";
  for (int i = 0; i < 60; ++i) {
    if (i > 0) text += ",\n";
    text += "\"Kind" + std::to_string(i) + "\": {}";
  }
  text += "}}";
  const auto errors = extension_errors(text);
  // 10 built-in kinds + 54 new ones fit; the 55th (Kind54, on line 55) does not.
  REQUIRE(errors.size() == 6);
  CHECK(errors.front() == "ext.json:55:1: error: too many entity kinds (at most 64)");
}
