// `twinscan import ftm`: FollowTheMoney entities as JSON lines (OpenSanctions'
// entities.ftm.json), one entity a line, read line by line. docs/import.md gives the
// mapping: which schemata become which kinds and relations, and what is left out.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "analyzer/io/import/importer.h"
#include "analyzer/util/bounded_json.h"
#include "analyzer/util/nearest_name.h"

namespace twinscan::imports {
namespace {

/// Every schema of the FollowTheMoney model, to tell a schema left out on purpose from a
/// name that is not FollowTheMoney at all (a typo or another format).
constexpr std::string_view kFtmSchemata[] = {"Address",
                                             "Agency",
                                             "Airplane",
                                             "Analyzable",
                                             "Article",
                                             "Assessment",
                                             "Asset",
                                             "Associate",
                                             "Audio",
                                             "BankAccount",
                                             "Call",
                                             "CallForTenders",
                                             "Company",
                                             "Concession",
                                             "Contract",
                                             "ContractAward",
                                             "ContractLot",
                                             "CourtCase",
                                             "CourtCaseParty",
                                             "CryptoWallet",
                                             "Debt",
                                             "Directorship",
                                             "Document",
                                             "Documentation",
                                             "EconomicActivity",
                                             "Email",
                                             "Employment",
                                             "Event",
                                             "Family",
                                             "Folder",
                                             "HyperText",
                                             "Identification",
                                             "Image",
                                             "Interest",
                                             "Interval",
                                             "Land",
                                             "LegalEntity",
                                             "License",
                                             "Membership",
                                             "Mention",
                                             "Message",
                                             "Note",
                                             "Occupancy",
                                             "Organization",
                                             "Ownership",
                                             "Package",
                                             "Page",
                                             "Pages",
                                             "Party",
                                             "Passport",
                                             "Payment",
                                             "Person",
                                             "PlainText",
                                             "Position",
                                             "PositionHeld",
                                             "Post",
                                             "Project",
                                             "ProjectParticipant",
                                             "Proxy",
                                             "PublicBody",
                                             "RealEstate",
                                             "Record",
                                             "RelatedTo",
                                             "Relationship",
                                             "Representation",
                                             "Sanction",
                                             "Security",
                                             "Shares",
                                             "Similar",
                                             "Succession",
                                             "Table",
                                             "TaxRoll",
                                             "Thing",
                                             "Transaction",
                                             "Trip",
                                             "UnknownLink",
                                             "UserAccount",
                                             "Value",
                                             "Vehicle",
                                             "Vessel",
                                             "Video",
                                             "Workbook"};

enum class Shape : std::uint8_t { kEntity, kOwnership, kDirectorship, kRepresentation, kSkip };

/// A relation held until every entity is known, so that its ends can be checked.
struct HeldRelation {
  std::string ftm_id;  ///< of the Ownership, Directorship or Representation
  std::string kind;
  std::string from;
  std::string to;
  std::string schema;
  Fields fields;
};

using Value = rapidjson::Value;

enum Key : std::uint8_t {
  kName,
  kAlias,
  kPreviousName,
  kCountry,
  kMainCountry,
  kJurisdiction,
  kNationality,
  kTopics,
  kRegistrationNumber,
  kSector,
  kDescription,
  kSourceUrl,
  kOwner,
  kAsset,
  kPercentage,
  kDirector,
  kOrganization,
  kAgent,
  kClient,
  kRole,
  kStartDate,
  kEndDate,
  kKeyCount
};
constexpr std::string_view kKeys[kKeyCount] = {
    "name",        "alias",  "previousName",       "country",  "mainCountry",  "jurisdiction",
    "nationality", "topics", "registrationNumber", "sector",   "description",  "sourceUrl",
    "owner",       "asset",  "percentage",         "director", "organization", "agent",
    "client",      "role",   "startDate",          "endDate"};

/// The properties of one entity that the mapping reads, found in one pass over the object.
class Properties {
 public:
  explicit Properties(const Value& object) {
    values_.fill(nullptr);
    for (rapidjson::SizeType i = 0; i < object.MemberCount(); ++i) {
      const auto& member = *(object.MemberBegin() + i);
      const std::string_view key(member.name.GetString(), member.name.GetStringLength());
      for (std::size_t k = 0; k < kKeyCount; ++k) {
        if (kKeys[k] == key) {
          values_[k] = &member.value;
          break;
        }
      }
    }
  }
  [[nodiscard]] const Value* get(Key key) const { return values_[key]; }

 private:
  std::array<const Value*, kKeyCount> values_{};
};

/// The values of a property as strings (FollowTheMoney properties are lists of strings; a
/// single string, a number, or a nested entity's id are taken too).
void values_of(const Value* v, std::vector<std::string_view>& out, std::uint64_t& not_text) {
  out.clear();
  if (!v) return;
  auto take = [&out, &not_text](const Value& x) {
    if (x.IsString()) {
      out.emplace_back(x.GetString(), x.GetStringLength());
    } else if (x.IsObject() && x.HasMember("id") && x["id"].IsString()) {
      out.emplace_back(x["id"].GetString(), x["id"].GetStringLength());
    } else if (!x.IsObject()) {
      ++not_text;  // FtM values are strings: a number, boolean or null is counted
    }
  };
  if (v->IsArray()) {
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) take((*v)[i]);
  } else {
    take(*v);
  }
}

/// An ISO 3166-1 alpha-2 code in upper case from a FollowTheMoney country ("cn" → "CN"),
/// or empty for the model's other codes ("suhh", "zz", "eu").
std::string country_code(std::string_view text) {
  if (text.size() != 2) return {};
  std::string code(text);
  for (auto& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return {};
  }
  if (code == "ZZ" || code == "EU") return {};
  return code;
}

/// The share (0..1) of a percentage text ("51", "51%", "51.0 %"); false when it is not one
/// number from 0 to 100.
bool parse_percentage(std::string_view text, double& share) {
  std::string t(text);
  while (!t.empty() && (t.back() == ' ' || t.back() == '%')) t.pop_back();
  std::size_t start = 0;
  while (start < t.size() && t[start] == ' ') ++start;
  if (start == t.size()) return false;
  for (auto& c : t) {
    if (c == ',') c = '.';
  }
  double v = 0;
  if (!parse_plain_decimal(std::string_view(t).substr(start), v) || v < 0 || v > 100) {
    return false;
  }
  share = v / 100.0;
  return true;
}

class FtmImporter : public Importer {
 public:
  void read(const std::string& path, ImportContext& ctx) override;
  void finish(ImportContext& ctx) override;

 private:
  // Takes one entity: a line's, or one nested in another's properties (OpenSanctions'
  // targets.nested.json puts a target's adjacent entities there). The entities nested in
  // it are taken first, each as an entity of its own.
  void take_entity(const Value& object, bool nested, LineReader& lines, ImportContext& ctx);
  // Takes back what a line with a problem gave (--keep-going goes on without it): its
  // relations (those after `relations_before`), its ids in nested_ (a later line may give
  // them whole), and its entities not written by another line, which are left out so that
  // no relation names them.
  void drop_line(std::size_t relations_before, ImportContext& ctx);
  // Adds `id` to nested_, noting it for drop_line().
  void remember_nested(const std::string& id);

  // Each line is parsed in place in a copy (the line itself stays for error columns), its
  // values allocated from one pool that is emptied between lines.
  std::string scratch_;
  rapidjson::MemoryPoolAllocator<> pool_{std::size_t{1} << 16};
  rapidjson::CrtAllocator stack_;
  std::vector<std::string_view> values_;
  std::uint64_t not_text_ = 0;  ///< values that are not text, left out (counted at the end)
  std::vector<HeldRelation> relations_;
  // The ids of the entities met nested: the nested export repeats an adjacent entity under
  // every target it touches, and it is taken once.
  std::unordered_set<std::string> nested_;
  // Of the line being read: the ids it added to nested_, and the entities it gives (a line
  // dropped takes them back, and its entities are left out).
  std::vector<std::string> record_nested_;
  std::vector<std::string> record_entities_;
  Entity entity_;                    ///< the one being made, its memory kept for the next
  std::vector<std::string> topics_;  ///< its topics
};

Shape shape_of(std::string_view schema) {
  if (schema == "Company" || schema == "Organization" || schema == "LegalEntity" ||
      schema == "PublicBody" || schema == "Person") {
    return Shape::kEntity;
  }
  if (schema == "Ownership") return Shape::kOwnership;
  if (schema == "Directorship") return Shape::kDirectorship;
  if (schema == "Representation") return Shape::kRepresentation;
  return Shape::kSkip;
}

void FtmImporter::read(const std::string& path, ImportContext& ctx) {
  LineReader lines;
  if (!lines.open(path, ctx)) return;
  std::string_view line;
  while (lines.next(line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ctx.progress(lines.offset());
    ctx.begin_record(lines.location());
    pool_.Clear();
    rapidjson::Document doc_(&pool_, 1024, &stack_);
    scratch_.assign(line);
    rapidjson::InsituStringStream in(scratch_.data());
    const util::BoundedParse parse =
        util::parse_bounded<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseInsituFlag>(
            doc_, in);
    if (lines.line_number() == 1 && line.substr(line.find_first_not_of(" \t"), 1) == "[" &&
        (!parse.ok() || doc_.IsArray())) {
      ctx.error(lines.location(),
                "not JSON lines: the input is one JSON array; give one entity a line (as "
                "OpenSanctions' entities.ftm.json; jq -c '.[]' converts an array)");
      ctx.end_record();
      return;
    }
    if (parse.too_deep) {
      ctx.error(lines.location_at(parse.result.Offset()),
                "nesting deeper than " + std::to_string(util::kMaxJsonDepth) +
                    " levels; a FollowTheMoney entity nests a few levels at most");
    } else if (parse.result.Code() == rapidjson::kParseErrorStringInvalidEncoding) {
      ctx.error(lines.location_at(parse.result.Offset()),
                "text that is not UTF-8; convert the input to UTF-8 (e.g. iconv -f latin1 -t "
                "utf-8)");
    } else if (!parse.ok()) {
      std::string what = rapidjson::GetParseError_En(parse.result.Code());
      if (!what.empty() && what.back() == '.') what.pop_back();
      if (parse.result.Offset() >= line.size()) what = "the line ends too early (" + what + ")";
      ctx.error(lines.location_at(parse.result.Offset()),
                "malformed JSON: " + what + "; each line must be one whole FollowTheMoney entity");
    } else if (!doc_.IsObject()) {
      ctx.error(lines.location(),
                std::string("not a FollowTheMoney entity: the line holds ") +
                    (doc_.IsArray() ? "an array" : "a JSON value that is not an object") +
                    "; the input must be JSON lines of {\"id\", \"schema\", \"properties\"} "
                    "(e.g. OpenSanctions' entities.ftm.json)");
    } else {
      const std::size_t relations_before = relations_.size();
      const std::size_t errors_before = ctx.error_count();
      record_nested_.clear();
      record_entities_.clear();
      take_entity(doc_, false, lines, ctx);
      if (ctx.error_count() != errors_before) drop_line(relations_before, ctx);
    }
    ctx.end_record();
  }
}

void FtmImporter::take_entity(const Value& doc, bool nested, LineReader& lines,
                              ImportContext& ctx) {
  if (!doc.IsObject()) return;
  auto string_member = [&](const char* key) -> std::string_view {
    if (!doc.HasMember(key) || !doc[key].IsString()) return {};
    return {doc[key].GetString(), doc[key].GetStringLength()};
  };
  const std::string_view id = string_member("id");
  const std::string_view schema = string_member("schema");
  if (nested && (id.empty() || schema.empty())) {
    ctx.skip("objects nested in properties that are not entities (no 'id' or 'schema')");
    return;
  }
  if (id.empty() || schema.empty()) {
    ctx.error(lines.location(), std::string("the entity has no ") +
                                    (id.empty() ? "'id'" : "'schema'") +
                                    " string; each line must be {\"id\", \"schema\", "
                                    "\"properties\"}");
    return;
  }
  // Noted first: should the line have a problem, even here, the entity is left out.
  if (shape_of(schema) == Shape::kEntity) record_entities_.push_back("ftm:" + std::string(id));
  static const Value kEmpty(rapidjson::kObjectType);
  const Value* props = &kEmpty;
  if (doc.HasMember("properties")) {
    if (!doc["properties"].IsObject()) {
      ctx.error(lines.location(), "'properties' of '" + std::string(id) +
                                      "' is not an object; give {\"name\": [\"…\"], …}");
      return;
    }
    props = &doc["properties"];
  }
  // Nested entities, each its own (the property names it by id: values_of() takes the
  // id). The recursion is bounded: an entity nests three JSON levels below its parent,
  // and the parse refused nesting deeper than util::kMaxJsonDepth.
  for (rapidjson::SizeType m = 0; m < props->MemberCount(); ++m) {
    const Value& values = (props->MemberBegin() + m)->value;
    if (values.IsObject()) take_entity(values, true, lines, ctx);
    if (!values.IsArray()) continue;
    for (rapidjson::SizeType i = 0; i < values.Size(); ++i) {
      if (values[i].IsObject()) take_entity(values[i], true, lines, ctx);
    }
  }
  const Properties index(*props);
  const std::string our_id = "ftm:" + std::string(id);
  const Shape shape = shape_of(schema);
  if (nested && shape != Shape::kEntity && nested_.count(our_id) != 0) return;
  if (shape == Shape::kSkip) {
    if (nested) remember_nested(our_id);
    ctx.leave_out(our_id);
    if (std::find(std::begin(kFtmSchemata), std::end(kFtmSchemata), schema) ==
        std::end(kFtmSchemata)) {
      std::vector<std::string> names(std::begin(kFtmSchemata), std::end(kFtmSchemata));
      ctx.warning(lines.location(),
                  "'" + std::string(schema) +
                      "' is not a FollowTheMoney schema (the entity is left out)" +
                      util::did_you_mean(schema, names));
      ctx.skip("entities of the unknown schema '" + std::string(schema) + "'");
    } else {
      ctx.skip("entities of schema " + std::string(schema) +
               " (no counterpart in the registry schema)");
    }
    return;
  }

  if (shape != Shape::kEntity) {
    HeldRelation r;
    r.ftm_id.assign(id);
    r.schema.assign(schema);
    Key from_key = kKeyCount;
    Key to_key = kKeyCount;
    if (shape == Shape::kOwnership) {
      // OWNER owns ASSET: the asset's shares are held by the owner.
      r.kind = "OWNED_BY";
      from_key = kAsset;
      to_key = kOwner;
    } else if (shape == Shape::kDirectorship) {
      r.kind = "REPRESENTS";
      from_key = kDirector;
      to_key = kOrganization;
    } else {
      r.kind = "REPRESENTS";
      from_key = kAgent;
      to_key = kClient;
    }
    values_of(index.get(from_key), values_, not_text_);
    if (values_.empty()) {
      ctx.error(lines.location(), std::string(schema) + " '" + std::string(id) + "' has no '" +
                                      std::string(kKeys[from_key]) +
                                      "'; FollowTheMoney requires it");
      return;
    }
    r.from = "ftm:" + std::string(values_[0]);
    // One relation, of one share, has one holder and one thing held: a second value on
    // either end cannot be given the same share, and is counted rather than dropped
    // without a word.
    bool several_ends = values_.size() > 1;
    values_of(index.get(to_key), values_, not_text_);
    several_ends = several_ends || values_.size() > 1;
    if (several_ends) {
      ctx.skip("second and later '" + std::string(kKeys[from_key]) + "' or '" +
               std::string(kKeys[to_key]) + "' of " + std::string(schema) +
               " entities (the first of each is kept)");
    }
    if (values_.empty()) {
      ctx.error(lines.location(), std::string(schema) + " '" + std::string(id) + "' has no '" +
                                      std::string(kKeys[to_key]) + "'; FollowTheMoney requires it");
      return;
    }
    r.to = "ftm:" + std::string(values_[0]);
    if (shape == Shape::kOwnership) {
      values_of(index.get(kPercentage), values_, not_text_);
      double share = 0;
      if (!values_.empty()) {
        if (parse_percentage(values_[0], share)) {
          r.fields.number("share", share);
        } else {
          ctx.skip(
              "shares of Ownerships whose percentage is not one number from 0 to 100 (the "
              "ownership is kept)");
        }
      }
    } else {
      values_of(index.get(kRole), values_, not_text_);
      r.fields.text("role", values_.empty() ? (shape == Shape::kDirectorship ? "director" : "agent")
                                            : values_[0]);
    }
    const std::pair<const Value*, const char*> dates[] = {{index.get(kStartDate), "since"},
                                                          {index.get(kEndDate), "until"}};
    for (const auto& [at, field] : dates) {
      values_of(at, values_, not_text_);
      if (values_.empty()) continue;
      const std::string date = iso_date_prefix(values_[0]);
      if (date.empty()) {
        ctx.skip(
            "start or end dates of relations that are not a calendar date YYYY, YYYY-MM or "
            "YYYY-MM-DD (the relation is kept without it)");
        continue;
      }
      r.fields.text(field, date);
    }
    values_of(index.get(kSourceUrl), values_, not_text_);
    for (const auto v : values_) r.fields.add("sources", v);
    relations_.push_back(std::move(r));
    if (nested) remember_nested(our_id);
    return;
  }

  // An entity met nested is written once, by whichever line gives it first, its own line
  // included (a target nested under another target).
  if (ctx.emitted_kind(our_id) != nullptr) {
    if (nested) return;
    if (nested_.count(our_id) != 0) {
      // The document is written as it is read: the copy met nested first stands, and
      // what the entity's own line adds (datasets, topics) is counted as left out.
      ctx.skip(
          "entities' own lines read after a copy nested in another's was written (the "
          "copy is kept)");
      return;
    }
  }
  if (nested) remember_nested(our_id);
  // One entity's memory serves every line (nested entities are done by now).
  Entity& e = entity_;
  e.id = our_id;
  e.kind.clear();
  e.fields.clear();
  std::vector<std::string>& topics = topics_;
  topics.clear();
  values_of(index.get(kTopics), values_, not_text_);
  for (const auto t : values_) topics.emplace_back(t);
  const bool soe = std::find(topics.begin(), topics.end(), "gov.soe") != topics.end();

  // The country: mainCountry, else country, else jurisdiction (nationality for people).
  std::string country;
  for (const Key key : {kMainCountry, kCountry, kJurisdiction, kNationality}) {
    values_of(index.get(key), values_, not_text_);
    for (const auto v : values_) {
      country = country_code(v);
      if (!country.empty()) break;
    }
    if (!country.empty()) break;
  }
  if (schema == "Person") {
    e.kind = "Person";
  } else if (schema == "PublicBody") {
    e.kind = !ctx.home_country().empty() && country == ctx.home_country() ? "CentralAuthority"
                                                                          : "ForeignGovernment";
  } else if (schema == "Organization" && !soe) {
    e.kind = "Organization";
  } else {
    e.kind = "Firm";  // Company, LegalEntity, and a state-owned Organization
  }

  values_of(index.get(kName), values_, not_text_);
  if (!values_.empty()) {
    e.fields.text("name", values_[0]);
  } else if (doc.HasMember("caption") && doc["caption"].IsString()) {
    e.fields.text("name", doc["caption"].GetString());
  }
  for (std::size_t i = 1; i < values_.size(); ++i) e.fields.add("aliases", values_[i]);
  for (const Key key : {kAlias, kPreviousName}) {
    values_of(index.get(key), values_, not_text_);
    for (const auto v : values_) e.fields.add("aliases", v);
  }
  if (!country.empty()) e.fields.text("country", country);
  if (e.kind == "Person") {
    values_of(index.get(kNationality), values_, not_text_);
    if (!values_.empty()) {
      const std::string code = country_code(values_[0]);
      if (!code.empty()) e.fields.text("nationality", code);
    }
  }
  if (e.kind == "Firm") {
    if (soe) e.fields.boolean("state_owned", true);
    values_of(index.get(kRegistrationNumber), values_, not_text_);
    if (!values_.empty()) e.fields.text("registration", values_[0]);
    values_of(index.get(kSector), values_, not_text_);
    if (!values_.empty()) e.fields.text("sector", values_[0]);
  }
  if (e.kind == "ForeignGovernment") e.fields.text("organ", "state");
  values_of(index.get(kDescription), values_, not_text_);
  if (!values_.empty()) e.fields.text("description", values_[0]);
  for (const auto& t : topics) e.fields.add("topics", t);
  if (doc.HasMember("datasets") && doc["datasets"].IsArray()) {
    const Value& datasets = doc["datasets"];
    for (rapidjson::SizeType i = 0; i < datasets.Size(); ++i) {
      if (datasets[i].IsString()) e.fields.add("lists", datasets[i].GetString());
    }
  }
  values_of(index.get(kSourceUrl), values_, not_text_);
  for (const auto v : values_) e.fields.add("sources", v);
  ctx.entity(e);
}

void FtmImporter::remember_nested(const std::string& id) {
  if (nested_.insert(id).second) record_nested_.push_back(id);
}

void FtmImporter::drop_line(std::size_t relations_before, ImportContext& ctx) {
  relations_.resize(relations_before);
  for (const std::string& id : record_nested_) nested_.erase(id);
  // Those the line wrote are left out when the record is dropped; those it did not get to
  // are left out here, unless another line wrote them.
  for (const std::string& id : record_entities_) {
    if (ctx.emitted_kind(id) == nullptr) ctx.leave_out(id);
  }
}

void FtmImporter::finish(ImportContext& ctx) {
  if (not_text_ > 0) {
    ctx.skip("property values that are not text (FollowTheMoney values are strings)", not_text_);
  }
  // A relation met nested may be met again, nested under its other end or on a line of
  // its own: it is written once.
  std::unordered_set<std::string> written;
  for (auto& r : relations_) {
    if (nested_.count("ftm:" + r.ftm_id) != 0 && !written.insert(r.ftm_id).second) continue;
    if (ctx.was_left_out(r.from) || ctx.was_left_out(r.to)) {
      ctx.skip(r.schema + "s of or by an entity left out");
      continue;
    }
    // An end this input does not describe may be described by another document.
    const std::string* from = ctx.emitted_kind(r.from);
    const std::string* to = ctx.emitted_kind(r.to);
    const std::string from_kind = from ? *from : std::string();
    const std::string to_kind = to ? *to : std::string();
    bool allowed = true;
    if (r.kind == "OWNED_BY") {
      allowed = (from_kind.empty() || from_kind == "Firm") &&
                (to_kind.empty() || to_kind == "Firm" || to_kind == "ForeignGovernment" ||
                 to_kind == "Organization" || to_kind == "Person");
    } else if (r.kind == "REPRESENTS") {
      allowed = from_kind.empty() || from_kind == "Person";
    }
    if (!allowed) {
      ctx.skip(r.schema + "s from " + (from_kind.empty() ? "?" : from_kind) + " to " +
               (to_kind.empty() ? "?" : to_kind) + " (" + r.kind + " does not join these kinds)");
      continue;
    }
    Relation out;
    out.kind = std::move(r.kind);
    out.from = std::move(r.from);
    out.to = std::move(r.to);
    out.fields = std::move(r.fields);
    ctx.relation(std::move(out));
  }
  relations_.clear();
}

}  // namespace

std::unique_ptr<Importer> make_ftm_importer() {
  return std::make_unique<FtmImporter>();
}

}  // namespace twinscan::imports
