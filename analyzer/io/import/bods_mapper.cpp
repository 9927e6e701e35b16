#include "analyzer/io/import/bods_mapper.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

#include "analyzer/model/date.h"
#include "analyzer/util/country_name.h"
#include "analyzer/util/hash.h"

namespace twinscan::imports {

namespace {

// The member `name` of `object`, or nullptr when absent or null (one pass over the
// members; a counted loop, as member iterators do not compare under C++20 with clang).
const rapidjson::Value* member(const rapidjson::Value& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.MemberBegin();
  for (rapidjson::SizeType i = 0, n = object.MemberCount(); i < n; ++i, ++it) {
    if (it->name.GetStringLength() == name.size() &&
        std::memcmp(it->name.GetString(), name.data(), name.size()) == 0) {
      return it->value.IsNull() ? nullptr : &it->value;
    }
  }
  return nullptr;
}

std::string_view string_member(const rapidjson::Value& object, std::string_view name) {
  const rapidjson::Value* v = member(object, name);
  return v != nullptr && v->IsString() ? std::string_view(v->GetString(), v->GetStringLength())
                                       : std::string_view();
}

// A string value read up to its first NUL character, as a C string is.
std::string_view c_string(const rapidjson::Value& v) {
  return {v.GetString()};
}

// ISO 3166-1 alpha-2 from a BODS jurisdiction code ("CN", or a subdivision "CN-31"). Some
// publishers give alpha-3 ("GBR") where the standard asks for alpha-2: it is read too.
std::string country_of(std::string_view code) {
  if (code.size() == 3 && code.find('-') == std::string_view::npos) {
    return util::alpha2_of_alpha3(code);
  }
  if (code.size() < 2 || !std::isalpha(static_cast<unsigned char>(code[0])) ||
      !std::isalpha(static_cast<unsigned char>(code[1])) || (code.size() > 2 && code[2] != '-')) {
    return {};
  }
  std::string cc(code.substr(0, 2));
  for (char& c : cc) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return cc;
}

// BODS dates are YYYY-MM-DD; YYYY and YYYY-MM are taken too.
bool is_date(std::string_view s) {
  auto digits = [&](std::size_t from, std::size_t n) {
    if (s.size() < from + n) return false;
    for (std::size_t i = from; i < from + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  bool shaped = false;
  if (s.size() == 4) shaped = digits(0, 4);
  if (s.size() == 7) shaped = digits(0, 4) && s[4] == '-' && digits(5, 2);
  if (s.size() == 10)
    shaped = digits(0, 4) && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2);
  // The shape is not enough: 2019-02-30 and 2019-13 are days the calendar does not have.
  return shaped && model::parse_date(s).has_value();
}

// Interest types, in BODS 0.4 spelling (camelCase) and that of earlier codelists.
bool is_ownership(std::string_view t) {
  return t == "shareholding" || t == "votingRights" || t == "voting-rights";
}

// Roles of a person in the subject: REPRESENTS with this role.
std::string_view person_role(std::string_view t) {
  if (t == "seniorManagingOfficial" || t == "senior-managing-official")
    return "senior_managing_official";
  if (t == "boardMember") return "board_member";
  if (t == "boardChair") return "board_chair";
  return {};
}

bool is_control(std::string_view t) {
  return t == "appointmentOfBoard" || t == "appointment-of-board" ||
         t == "otherInfluenceOrControl" || t == "other-influence-or-control" ||
         t == "controlViaCompanyRulesOrArticles" || t == "controlByLegalFramework";
}

bool owned_by_allows(std::string_view from, std::string_view to) {
  return from == "Firm" && (to == "Firm" || to == "ForeignGovernment" || to == "ForeignCity" ||
                            to == "Organization" || to == "Person");
}

bool controlled_by_allows(std::string_view from, std::string_view to) {
  return (from == "ForeignCity" || from == "ForeignGovernment" || from == "Organization") &&
         to == "ForeignGovernment";
}

std::string article(std::string_view kind) {
  const char c = kind.empty() ? 'x' : kind[0];
  return (c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' ? "an " : "a ") +
         std::string(kind);
}

constexpr std::string_view kKindNames[] = {"Firm", "Organization", "CentralAuthority",
                                           "ForeignGovernment", "Person"};
constexpr std::string_view kRelationKinds[] = {"OWNED_BY", "REPRESENTS", "CONTROLLED_BY"};
constexpr std::string_view kRoles[] = {"", "board_member", "board_chair",
                                       "senior_managing_official"};

// The properties an entity is written with, by number in its packed form.
enum Property : std::uint8_t {
  kName,
  kAliases,
  kCountry,
  kRegistration,
  kType,
  kOrgan,
  kLevel,
  kNationality
};
constexpr std::string_view kPropertyNames[] = {"name", "aliases", "country", "registration",
                                               "type", "organ",   "level",   "nationality"};

// Packed entity properties: per property its number, then a count of strings (1 for a
// text, n for a list, with the high bit set), then each string as a 4-byte length and
// its bytes.
constexpr std::uint32_t kListBit = 0x80000000U;

void put_u32(std::string& out, std::uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out.append(b, 4);
}

std::uint32_t get_u32(const char*& p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  p += 4;
  return v;
}

void put_text(std::string& out, Property key, std::string_view value) {
  out += static_cast<char>(key);
  put_u32(out, 1);
  put_u32(out, static_cast<std::uint32_t>(value.size()));
  out.append(value);
}

template <typename Strings>
void put_list(std::string& out, Property key, const Strings& values) {
  out += static_cast<char>(key);
  put_u32(out, static_cast<std::uint32_t>(values.size()) | kListBit);
  for (const auto& v : values) {
    put_u32(out, static_cast<std::uint32_t>(v.size()));
    out.append(v);
  }
}

// A relation's properties into Fields.
struct FieldsPut {
  Fields& fields;
  void text(std::string_view key, std::string_view value) { fields.text(key, value); }
  void item(std::string_view key, std::string_view value) { fields.add(key, value); }
  void number(std::string_view key, double value) { fields.number(key, value); }
};

// The same into a property list (entities() and relations()).
struct ValuesPut {
  std::vector<std::pair<std::string, BodsValue>>& out;
  void text(std::string_view key, std::string_view value) {
    out.emplace_back(std::string(key), BodsValue::of_string(std::string(value)));
  }
  void item(std::string_view key, std::string_view value) {
    if (out.empty() || out.back().first != key ||
        out.back().second.type != BodsValue::Type::kStringList) {
      out.emplace_back(std::string(key), BodsValue::of_list({}));
    }
    out.back().second.list.emplace_back(value);
  }
  void number(std::string_view key, double value) {
    out.emplace_back(std::string(key), BodsValue::of_number(value));
  }
};

}  // namespace

// ---- BodsStringTable -----------------------------------------------------------------

std::uint64_t BodsStringTable::hash_of(std::string_view text) {
  const std::uint64_t hash = util::hash_bytes(text);
  return hash == 0 ? 1 : hash;
}

std::uint32_t BodsStringTable::intern(std::string_view text, std::uint64_t hash) {
  if ((offsets_.size() + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.hash == hash && text_at(slot.offset) == text) return number_at(slot.offset);
    if (slot.hash == 0) {
      const auto number = static_cast<std::uint32_t>(offsets_.size());
      const auto size = static_cast<std::uint32_t>(text.size());
      slot.hash = hash;
      slot.offset = bytes_.size();
      offsets_.push_back(bytes_.size());
      char head[8];
      std::memcpy(head, &number, 4);
      std::memcpy(head + 4, &size, 4);
      bytes_.append(head, 8);
      bytes_.append(text);
      return number;
    }
  }
}

void BodsStringTable::grow() {
  std::vector<Slot> old(std::max<std::size_t>(1024, slots_.size() * 2));
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.hash == 0) continue;
    std::size_t i = static_cast<std::size_t>(slot.hash) & mask;
    while (slots_[i].hash != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

// ---- BodsMapper ------------------------------------------------------------------------

BodsMapper::BodsMapper(BodsOptions options) : options_(std::move(options)) {
  dates_.intern("");  // number 0: no date
}

void BodsMapper::skip(std::string_view reason, std::size_t n) {
  const auto found = skipped_.find(reason);
  if (found != skipped_.end()) {
    found->second += n;
  } else {
    skipped_.emplace(std::string(reason), n);
  }
}

std::uint16_t BodsMapper::file_number(const std::string& file) {
  if (!files_.empty() && files_.back() == file)
    return static_cast<std::uint16_t>(files_.size() - 1);
  for (std::size_t i = 0; i < files_.size(); ++i)
    if (files_[i] == file) return static_cast<std::uint16_t>(i);
  files_.push_back(file);
  return static_cast<std::uint16_t>(files_.size() - 1);
}

void BodsMapper::digest(const rapidjson::Value& statement, Digest& out) {
  out = Digest{};
  if (!statement.IsObject()) return;
  std::string_view id = string_member(statement, "recordId");
  if (id.empty()) id = string_member(statement, "statementId");
  const rapidjson::Value* details = member(statement, "recordDetails");
  std::string_view ends[2];
  if (details != nullptr && details->IsObject()) {
    if (const rapidjson::Value* v = member(*details, "subject"); v != nullptr && v->IsString())
      ends[0] = c_string(*v);
    if (const rapidjson::Value* v = member(*details, "interestedParty");
        v != nullptr && v->IsString())
      ends[1] = c_string(*v);
  }
  // The three places in the table are fetched at once, not one after the other.
  const std::uint64_t hashes[3] = {BodsStringTable::hash_of(id), BodsStringTable::hash_of(ends[0]),
                                   BodsStringTable::hash_of(ends[1])};
  for (const std::uint64_t h : hashes) ids_.prefetch(h);
  if (!id.empty()) out.record = ids_.intern(id, hashes[0]);
  if (!ends[0].empty()) out.subject = ids_.intern(ends[0], hashes[1]);
  if (!ends[1].empty()) out.party = ids_.intern(ends[1], hashes[2]);
}

bool BodsMapper::add(const rapidjson::Value& statement, const diag::SourceLocation& where,
                     const BodsErrorFn& error) {
  ++statements_;
  Digest numbers;
  digest(statement, numbers);
  entity_values_.clear();
  relation_values_.clear();
  if (!statement.IsObject()) {
    error(where, "a BODS statement is a JSON object; is this a BODS 0.4 file?");
    return false;
  }
  const std::string_view record_type = string_member(statement, "recordType");
  if (record_type.empty()) {
    if (member(statement, "statementType") != nullptr) {
      error(where,
            "a BODS 0.2/0.3 statement (statementType); twinscan reads BODS 0.4 "
            "statements (recordType, recordDetails): convert the file to 0.4");
    } else {
      error(where,
            "not a BODS 0.4 statement: no 'recordType'; give a BODS 0.4 file (a "
            "JSON array of statements or one statement per line)");
    }
    return false;
  }
  std::string_view id = string_member(statement, "recordId");
  if (id.empty()) id = string_member(statement, "statementId");
  if (id.empty()) {
    error(where, "/recordId: the statement has neither recordId nor statementId");
    return false;
  }
  const bool closed = string_member(statement, "recordStatus") == "closed";
  const std::string_view date = string_member(statement, "statementDate");
  if (!date.empty() && !is_date(date)) {
    // The date decides which statement of a record stands: one misread would keep a
    // holding its closing statement ended.
    error(where, "/statementDate: '" + std::string(date) +
                     "' is not a date; BODS dates are YYYY-MM-DD (it decides which statement "
                     "of a record stands)");
    return false;
  }

  RecordType type;
  if (record_type == "entity") {
    type = RecordType::kEntity;
  } else if (record_type == "person") {
    type = RecordType::kPerson;
  } else if (record_type == "relationship") {
    type = RecordType::kRelationship;
  } else {
    error(where, "/recordType: '" + std::string(record_type) +
                     "' is not a BODS record type; expected entity, person or "
                     "relationship");
    return false;
  }
  const rapidjson::Value* details = member(statement, "recordDetails");
  if (!closed && (details == nullptr || !details->IsObject())) {
    error(where,
          "/recordDetails: missing or not an object; every open BODS 0.4 "
          "record has its details");
    return false;
  }

  // The record's number, given now (one look-up a statement); a record only named by
  // relationships so far, or by a statement with an error, has no statement to replace.
  const std::uint32_t number = numbers.record;
  if (number >= records_.size()) records_.resize(std::size_t{number} + 1);
  const std::uint32_t found = records_[number].has_statement ? number : kNone;
  if (found != kNone && !date.empty() && records_[found].date != 0 &&
      date < dates_.view(records_[found].date)) {
    skip("statement older than one already read for its record");
    return true;
  }

  // Read the new statement before dropping the old one, so that an error keeps it.
  const std::size_t entity_start = entity_bytes_.size();
  Kind kind = Kind::kPerson;
  std::string skip_reason;
  std::uint32_t subject = kNone;
  std::uint32_t party = kNone;
  if (!closed) {
    if (type == RecordType::kRelationship) {
      if (!read_relationship(*details, where, read_, error)) return false;
      // The records named, numbered by digest() with or without a statement yet.
      subject = numbers.subject;
      party = numbers.party;
      for (const std::uint32_t end : {subject, party})
        if (end != kNone && end >= records_.size()) records_.resize(std::size_t{end} + 1);
    } else if (type == RecordType::kEntity) {
      if (!map_entity(*details, kind, skip_reason)) type = RecordType::kSkipped;
    } else {
      map_person(*details);
    }
  }

  if (found != kNone) {
    Record& record = records_[found];
    skip("statement replaced by a later one of its record");
    // Drop what the earlier statement made.
    if (record.type == RecordType::kEntity || record.type == RecordType::kPerson) {
      if (!record.closed) entities_[record.index].alive = false;
    } else if (record.type == RecordType::kRelationship) {
      relationships_[record.index].alive = false;
    }
  } else {
    Record& record = records_[number];
    record.has_statement = true;
    record.type = RecordType::kSkipped;
    record.index = kNone;
  }
  Record& record = records_[number];
  record.date = date.empty() ? 0 : dates_.intern(date);
  record.closed = closed;
  if (closed) {
    skip("closed record");
    return true;
  }
  const bool same_type = record.type == type && record.index != kNone;
  record.type = type;
  switch (type) {
    case RecordType::kSkipped:
      skip(skip_reason);
      break;
    case RecordType::kEntity:
    case RecordType::kPerson: {
      EntitySlot slot;
      slot.offset = entity_start;
      slot.size = static_cast<std::uint32_t>(entity_bytes_.size() - entity_start);
      slot.record = number;
      slot.line = where.line;
      slot.column = where.column;
      slot.file = file_number(where.file);
      slot.kind = kind;
      if (same_type) {
        entities_[record.index] = slot;
      } else {
        record.index = static_cast<std::uint32_t>(entities_.size());
        entities_.push_back(slot);
      }
      break;
    }
    case RecordType::kRelationship: {
      Relationship r;
      r.record = number;
      r.subject = subject;
      r.party = party;
      r.first_interest = static_cast<std::uint32_t>(interests_.size());
      r.interest_count = static_cast<std::uint32_t>(read_.interests.size());
      interests_.insert(interests_.end(), read_.interests.begin(), read_.interests.end());
      r.line = where.line;
      r.column = where.column;
      r.file = file_number(where.file);
      if (same_type) {
        relationships_[record.index] = r;
      } else {
        record.index = static_cast<std::uint32_t>(relationships_.size());
        relationships_.push_back(r);
      }
      break;
    }
  }
  return true;
}

bool BodsMapper::map_entity(const rapidjson::Value& details, Kind& kind, std::string& skip_reason) {
  std::string_view type;
  std::string_view subtype;
  if (const rapidjson::Value* et = member(details, "entityType")) {
    if (et->IsString()) {
      type = c_string(*et);
    } else {
      type = string_member(*et, "type");
      subtype = string_member(*et, "subtype");
    }
  }
  std::string_view code;
  if (const rapidjson::Value* j = member(details, "jurisdiction")) code = string_member(*j, "code");
  if (code.empty()) {
    if (const rapidjson::Value* j = member(details, "incorporatedJurisdiction"))
      code = string_member(*j, "code");
  }
  const std::string country = country_of(code);
  if (!code.empty() && country.empty()) {
    skip("jurisdiction codes that are no ISO 3166 country (the entity is kept without a country)");
  }

  // The properties after name, aliases and country.
  std::string_view registration;
  std::string_view organisation_type;
  bool organ = false;
  std::string_view level;
  if (type == "registeredEntity" || type == "legalEntity") {
    kind = Kind::kFirm;
    if (const rapidjson::Value* ids = member(details, "identifiers"); ids && ids->IsArray()) {
      for (rapidjson::SizeType i = 0; i < ids->Size(); ++i) {
        const std::string_view number = string_member((*ids)[i], "id");
        if (!number.empty()) {
          registration = number;
          break;
        }
      }
    }
  } else if (type == "arrangement" || type == "anonymousEntity" || type == "unknownEntity") {
    kind = Kind::kOrganization;
    organisation_type = subtype == "trust"          ? "trust"
                        : type == "arrangement"     ? "arrangement"
                        : type == "anonymousEntity" ? "anonymous_entity"
                                                    : "unknown_entity";
  } else if (type == "state" || type == "stateBody") {
    if (!country.empty() && country == options_.home_country) {
      kind = Kind::kCentralAuthority;
    } else {
      kind = Kind::kForeignGovernment;
      organ = true;
      // A subdivision's code (CN-31) is a province's; a country's (CN, CHN) the state's.
      if (!country.empty()) level = code.size() > 2 && code[2] == '-' ? "provincial" : "national";
    }
  } else {
    skip_reason = type.empty()
                      ? "entity without an entityType"
                      : "entity of type '" + std::string(type) + "' (not a BODS 0.4 entity type)";
    return false;
  }

  std::string& out = entity_bytes_;
  const std::string_view name = string_member(details, "name");
  if (!name.empty()) put_text(out, kName, name);
  if (const rapidjson::Value* alt = member(details, "alternateNames"); alt && alt->IsArray()) {
    std::vector<std::string_view> aliases;
    for (rapidjson::SizeType i = 0; i < alt->Size(); ++i) {
      if (!(*alt)[i].IsString()) continue;
      const std::string_view a = c_string((*alt)[i]);
      if (a.empty() || a == name || std::find(aliases.begin(), aliases.end(), a) != aliases.end())
        continue;
      aliases.push_back(a);
    }
    if (!aliases.empty()) put_list(out, kAliases, aliases);
  }
  if (!country.empty()) put_text(out, kCountry, country);
  if (!registration.empty()) put_text(out, kRegistration, registration);
  if (!organisation_type.empty()) put_text(out, kType, organisation_type);
  if (organ) put_text(out, kOrgan, "state");
  if (!level.empty()) put_text(out, kLevel, level);
  return true;
}

void BodsMapper::map_person(const rapidjson::Value& details) {
  names_.clear();
  std::size_t preferred = 0;
  bool have_preferred = false;
  if (const rapidjson::Value* list = member(details, "names"); list && list->IsArray()) {
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      const rapidjson::Value& n = (*list)[i];
      text_.assign(string_member(n, "fullName"));
      if (text_.empty()) {
        const std::string_view given = string_member(n, "givenName");
        const std::string_view family = string_member(n, "familyName");
        if (given.empty()) {
          text_.assign(family);
        } else {
          text_.assign(given);
          if (!family.empty()) {
            text_ += ' ';
            text_.append(family);
          }
        }
      }
      if (text_.empty() || std::find(names_.begin(), names_.end(), text_) != names_.end()) continue;
      const std::string_view t = string_member(n, "type");
      if (!have_preferred && (t == "legal" || t == "individual")) {
        preferred = names_.size();
        have_preferred = true;
      }
      names_.push_back(text_);
    }
  }
  std::string& out = entity_bytes_;
  if (!names_.empty()) {
    put_text(out, kName, names_[preferred]);
    names_.erase(names_.begin() + static_cast<std::ptrdiff_t>(preferred));
    if (!names_.empty()) put_list(out, kAliases, names_);
  }
  if (const rapidjson::Value* nat = member(details, "nationalities");
      nat && nat->IsArray() && nat->Size() > 0) {
    const std::string cc = country_of(string_member((*nat)[0], "code"));
    if (!cc.empty()) put_text(out, kNationality, cc);
  }
}

bool BodsMapper::read_relationship(const rapidjson::Value& details,
                                   const diag::SourceLocation& where, ReadRelationship& out,
                                   const BodsErrorFn& error) {
  out.subject = {};
  out.party = {};
  out.interests.clear();
  bool ok = true;
  for (const char* end : {"subject", "interestedParty"}) {
    const rapidjson::Value* v = member(details, end);
    if (v == nullptr) {
      error(where, std::string("/recordDetails/") + end +
                       ": missing; a relationship names its subject and its "
                       "interested party (a recordId, or why it cannot)");
      ok = false;
    } else if (v->IsString()) {
      (std::string_view(end) == "subject" ? out.subject : out.party) = c_string(*v);
    }  // else an unspecified record: left empty
  }
  const rapidjson::Value* interests = member(details, "interests");
  if (interests != nullptr && !interests->IsArray()) {
    error(where, "/recordDetails/interests: not an array");
    return false;
  }
  for (rapidjson::SizeType i = 0; interests != nullptr && i < interests->Size(); ++i) {
    const rapidjson::Value& in = (*interests)[i];
    auto pointer = [i] { return "/recordDetails/interests/" + std::to_string(i); };
    if (!in.IsObject()) {
      error(where, pointer() + ": an interest is an object");
      ok = false;
      continue;
    }
    Interest interest;
    text_.assign(string_member(in, "type"));
    if (text_.empty()) text_ = "unknownInterest";
    if (string_member(in, "directOrIndirect") == "indirect") text_ += " (indirect)";
    interest.type = types_.intern(text_);
    if (const rapidjson::Value* share = member(in, "share")) {
      if (!share->IsObject()) {
        error(where, pointer() + "/share: not an object");
        ok = false;
        continue;
      }
      for (const char* bound :
           {"exact", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}) {
        const rapidjson::Value* v = member(*share, bound);
        if (v == nullptr) continue;
        if (!v->IsNumber() || v->GetDouble() < 0 || v->GetDouble() > 100) {
          error(where, pointer() + "/share/" + bound +
                           ": not a percentage; BODS shares are numbers from 0 to 100");
          ok = false;
          continue;
        }
        const double fraction = v->GetDouble() / 100;
        const std::string_view b = bound;
        if (b == "exact") {
          interest.exact = true;
          interest.share_min = interest.share_max = fraction;
          interest.has_min = interest.has_max = true;
        } else if (interest.exact) {
          continue;  // exact wins over the bounds that repeat it
        } else if (b == "minimum" || b == "exclusiveMinimum") {
          if (!interest.has_min || fraction > interest.share_min) interest.share_min = fraction;
          interest.has_min = true;
        } else {
          if (!interest.has_max || fraction < interest.share_max) interest.share_max = fraction;
          interest.has_max = true;
        }
      }
      interest.has_share = interest.has_min || interest.has_max;
      if (interest.has_min && interest.has_max && interest.share_min > interest.share_max) {
        error(where, pointer() + "/share: the minimum is above the maximum");
        ok = false;
      }
    }
    for (const char* field : {"startDate", "endDate"}) {
      const std::string_view d = string_member(in, field);
      if (d.empty()) continue;
      if (!is_date(d)) {
        error(where, pointer() + "/" + field + ": '" + std::string(d) +
                         "' is not a date; BODS dates are YYYY-MM-DD");
        ok = false;
        continue;  // the statement is left out: nothing to keep
      }
      ShortDate& to = std::string_view(field) == "startDate" ? interest.start : interest.end;
      std::memcpy(to.text, d.data(), d.size());
      to.size = static_cast<std::uint8_t>(d.size());
    }
    out.interests.push_back(interest);
  }
  return ok;
}

void BodsMapper::finish(const BodsErrorFn& error) {
  entity_values_.clear();
  relation_values_.clear();
  made_.clear();
  // What each interest type is, worked out once a type.
  enum Class : std::uint8_t { kOwnership = 1, kControl = 2, kIndirect = 4 };
  std::vector<std::uint8_t> classes(types_.size());
  std::vector<std::uint8_t> roles(types_.size());
  for (std::uint32_t t = 0; t < types_.size(); ++t) {
    const std::string_view type = types_.view(t);
    classes[t] = static_cast<std::uint8_t>(
        (is_ownership(type) ? kOwnership : 0) | (is_control(type) ? kControl : 0) |
        (type.size() > 11 && type.substr(type.size() - 11) == " (indirect)" ? kIndirect : 0));
    const std::string_view role = person_role(type);
    for (std::uint8_t k = 1; k < 4; ++k)
      if (kRoles[k] == role) roles[t] = k;
  }
  std::vector<const Interest*> of[3];
  for (std::uint32_t k = 0; k < relationships_.size(); ++k) {
    const Relationship& r = relationships_[k];
    if (!r.alive) continue;
    if (r.subject == kNone || r.party == kNone) {
      skip("relationship with an unspecified subject or interested party");
      continue;
    }
    bool named_ok = true;
    bool dropped = false;
    std::string_view kinds[2];
    int end = 0;
    for (const auto& [role, target] :
         {std::pair<const char*, std::uint32_t>{"subject", r.subject},
          std::pair<const char*, std::uint32_t>{"interestedParty", r.party}}) {
      const Record& found = records_[target];
      if (!found.has_statement) {
        named_ok = false;
        error(diag::SourceLocation{files_[r.file], r.line, r.column},
              std::string("/recordDetails/") + role + ": '" + std::string(ids_.view(target)) +
                  "' is not the recordId of any statement read; give the "
                  "file that holds its statement too");
      } else if (found.closed ||
                 (found.type != RecordType::kEntity && found.type != RecordType::kPerson)) {
        dropped = true;
      } else {
        kinds[end] = kKindNames[static_cast<int>(entities_[found.index].kind)];
      }
      ++end;
    }
    if (!named_ok) {
      skip("relationship naming a record no statement gives");
      continue;
    }
    if (dropped) {
      skip("relationship naming a closed or skipped record");
      continue;
    }
    const std::string_view subject_kind = kinds[0];
    const std::string_view party_kind = kinds[1];

    for (auto& list : of) list.clear();
    std::uint8_t role = 0;
    for (std::uint32_t i = 0; i < r.interest_count; ++i) {
      const Interest& in = interests_[r.first_interest + i];
      const std::uint8_t c = classes[in.type];
      if ((c & kOwnership) != 0 && owned_by_allows(subject_kind, party_kind)) {
        of[0].push_back(&in);
      } else if (roles[in.type] != 0 && party_kind == "Person") {
        if (role == 0) role = roles[in.type];
        of[1].push_back(&in);
      } else if ((c & kControl) != 0 && controlled_by_allows(subject_kind, party_kind)) {
        of[2].push_back(&in);
      } else if ((c & kIndirect) != 0) {
        const std::string_view type = types_.view(in.type);
        skip("indirect interest '" + std::string(type.substr(0, type.size() - 11)) +
             "' (the direct holdings of the chain carry it)");
      } else {
        skip("interest '" + std::string(types_.view(in.type)) + "' of " + article(party_kind) +
             " in " + article(subject_kind) + " (no relation kind of the schema fits)");
      }
    }
    if (r.interest_count == 0) skip("relationship without interests");

    bool first = true;
    for (std::uint8_t o = 0; o < 3; ++o) {
      if (of[o].empty()) continue;
      Made m;
      m.relationship = k;
      m.kind = o;
      m.first = first;
      first = false;
      if (o == 0) {
        // Shareholding before voting rights; the first interest that gives a share.
        const Interest* with_share = nullptr;
        for (int pass = 0; pass < 2 && with_share == nullptr; ++pass) {
          for (const Interest* in : of[o]) {
            if (in->has_share && (pass == 1 || types_.view(in->type) == "shareholding")) {
              with_share = in;
              break;
            }
          }
        }
        if (with_share != nullptr) {
          m.share = with_share->exact ? 1 : 2;
          m.has_min = with_share->has_min;
          m.has_max = with_share->has_max;
          m.share_min = with_share->share_min;
          m.share_max = with_share->share_max;
        }
      }
      if (o == 1) m.role = role;
      bool all_ended = true;
      for (const Interest* in : of[o]) {
        if (!in->start.empty() && (m.since.empty() || in->start.view() < m.since.view()))
          m.since = in->start;
        if (in->end.empty()) {
          all_ended = false;
        } else if (in->end.view() > m.until.view()) {
          m.until = in->end;
        }
      }
      if (!all_ended) m.until = ShortDate{};
      made_.push_back(m);
    }
  }
}

template <typename Put>
void BodsMapper::entity_properties(const EntitySlot& e, Put& put) const {
  const char* p = entity_bytes_.data() + e.offset;
  const char* const end = p + e.size;
  while (p < end) {
    const std::string_view key = kPropertyNames[static_cast<std::uint8_t>(*p++)];
    const std::uint32_t count = get_u32(p);
    for (std::uint32_t i = 0; i < (count & ~kListBit); ++i) {
      const std::uint32_t size = get_u32(p);
      const std::string_view value(p, size);
      p += size;
      if ((count & kListBit) != 0) {
        put.item(key, value);
      } else {
        put.text(key, value);
      }
    }
  }
}

template <typename Put>
void BodsMapper::relation_properties(const Made& m, Put& put) const {
  if (m.share == 1) {
    put.number("share", m.share_min);
  } else if (m.share == 2) {
    if (m.has_min) {
      put.number("share", m.share_min);
      put.number("share_min", m.share_min);
    }
    if (m.has_max) put.number("share_max", m.share_max);
  }
  if (m.kind == 1) put.text("role", kRoles[m.role]);
  if (!m.since.empty()) put.text("since", m.since.view());
  if (!m.until.empty()) put.text("until", m.until.view());
}

void BodsMapper::relation_ends(const Made& m, std::string& id, std::string& from,
                               std::string& to) const {
  const Relationship& r = relationships_[m.relationship];
  id.assign("bods:").append(ids_.view(r.record));
  if (!m.first) id.append("/").append(kRelationKinds[m.kind]);
  const bool reversed = m.kind == 1;  // the person acts for the subject
  from.assign("bods:").append(ids_.view(reversed ? r.party : r.subject));
  to.assign("bods:").append(ids_.view(reversed ? r.subject : r.party));
}

void BodsMapper::for_each_entity(
    const std::function<void(const Entity&, const diag::SourceLocation&)>& fn) const {
  Entity out;
  FieldsPut put{out.fields};
  diag::SourceLocation where;
  for (const EntitySlot& e : entities_) {
    if (!e.alive) continue;
    out.id.assign("bods:").append(ids_.view(e.record));
    out.kind.assign(kKindNames[static_cast<int>(e.kind)]);
    out.fields.clear();
    entity_properties(e, put);
    if (where.file != files_[e.file]) where.file = files_[e.file];
    where.line = e.line;
    where.column = e.column;
    fn(out, where);
  }
}

void BodsMapper::for_each_relation(
    const std::function<void(const Relation&, const diag::SourceLocation&)>& fn) const {
  Relation out;
  FieldsPut put{out.fields};
  diag::SourceLocation where;
  for (const Made& m : made_) {
    relation_ends(m, out.id, out.from, out.to);
    out.kind.assign(kRelationKinds[m.kind]);
    out.fields.clear();
    relation_properties(m, put);
    const Relationship& r = relationships_[m.relationship];
    if (where.file != files_[r.file]) where.file = files_[r.file];
    where.line = r.line;
    where.column = r.column;
    fn(out, where);
  }
}

std::vector<const BodsEntity*> BodsMapper::entities() const {
  if (entity_values_.empty()) {
    for (const EntitySlot& e : entities_) {
      if (!e.alive) continue;
      BodsEntity out;
      out.id = "bods:" + std::string(ids_.view(e.record));
      out.kind = kKindNames[static_cast<int>(e.kind)];
      ValuesPut put{out.properties};
      entity_properties(e, put);
      entity_values_.push_back(std::move(out));
    }
  }
  std::vector<const BodsEntity*> out;
  out.reserve(entity_values_.size());
  for (const BodsEntity& e : entity_values_) out.push_back(&e);
  return out;
}

const std::vector<BodsRelation>& BodsMapper::relations() const {
  if (relation_values_.empty()) {
    for (const Made& m : made_) {
      BodsRelation out;
      relation_ends(m, out.id, out.from, out.to);
      out.kind = kRelationKinds[m.kind];
      ValuesPut put{out.properties};
      relation_properties(m, put);
      relation_values_.push_back(std::move(out));
    }
  }
  return relation_values_;
}

}  // namespace twinscan::imports
