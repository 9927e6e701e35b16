#include "analyzer/io/import/bods_mapper.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

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

std::string string_member(const rapidjson::Value& object, const char* name) {
  const rapidjson::Value* v = member(object, name);
  return v != nullptr && v->IsString() ? std::string(v->GetString(), v->GetStringLength())
                                       : std::string();
}

// ISO 3166-1 alpha-2 from a BODS jurisdiction code ("CN", or a subdivision "CN-31").
std::string country_of(const std::string& code) {
  if (code.size() < 2 || !std::isalpha(static_cast<unsigned char>(code[0])) ||
      !std::isalpha(static_cast<unsigned char>(code[1])) || (code.size() > 2 && code[2] != '-')) {
    return {};
  }
  std::string cc = code.substr(0, 2);
  for (char& c : cc) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return cc;
}

// BODS dates are YYYY-MM-DD; YYYY and YYYY-MM are taken too.
bool is_date(const std::string& s) {
  auto digits = [&](std::size_t from, std::size_t n) {
    if (s.size() < from + n) return false;
    for (std::size_t i = from; i < from + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  if (s.size() == 4) return digits(0, 4);
  if (s.size() == 7) return digits(0, 4) && s[4] == '-' && digits(5, 2);
  if (s.size() == 10)
    return digits(0, 4) && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2);
  return false;
}

// Interest types, in BODS 0.4 spelling (camelCase) and that of earlier codelists.
bool is_ownership(const std::string& t) {
  return t == "shareholding" || t == "votingRights" || t == "voting-rights";
}

// Roles of a person in the subject: REPRESENTS with this role.
std::string person_role(const std::string& t) {
  if (t == "seniorManagingOfficial" || t == "senior-managing-official")
    return "senior_managing_official";
  if (t == "boardMember") return "board_member";
  if (t == "boardChair") return "board_chair";
  return {};
}

bool is_control(const std::string& t) {
  return t == "appointmentOfBoard" || t == "appointment-of-board" ||
         t == "otherInfluenceOrControl" || t == "other-influence-or-control" ||
         t == "controlViaCompanyRulesOrArticles" || t == "controlByLegalFramework";
}

bool owned_by_allows(const std::string& from, const std::string& to) {
  return from == "Firm" && (to == "Firm" || to == "ForeignGovernment" || to == "ForeignCity" ||
                            to == "Organization" || to == "Person");
}

bool controlled_by_allows(const std::string& from, const std::string& to) {
  return (from == "ForeignCity" || from == "ForeignGovernment" || from == "Organization") &&
         to == "ForeignGovernment";
}

std::string article(const std::string& kind) {
  const char c = kind.empty() ? 'x' : kind[0];
  return (c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' ? "an " : "a ") + kind;
}

}  // namespace

bool BodsMapper::add(const rapidjson::Value& statement, const diag::SourceLocation& where,
                     const BodsErrorFn& error) {
  ++statements_;
  if (!statement.IsObject()) {
    error(where, "a BODS statement is a JSON object; is this a BODS 0.4 file?");
    return false;
  }
  const std::string record_type = string_member(statement, "recordType");
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
  std::string id = string_member(statement, "recordId");
  if (id.empty()) id = string_member(statement, "statementId");
  if (id.empty()) {
    error(where, "/recordId: the statement has neither recordId nor statementId");
    return false;
  }
  const bool closed = string_member(statement, "recordStatus") == "closed";
  const std::string date = string_member(statement, "statementDate");

  RecordType type;
  if (record_type == "entity") {
    type = RecordType::kEntity;
  } else if (record_type == "person") {
    type = RecordType::kPerson;
  } else if (record_type == "relationship") {
    type = RecordType::kRelationship;
  } else {
    error(where, "/recordType: '" + record_type +
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

  auto found = records_.find(id);
  if (found != records_.end() && !date.empty() && !found->second.statement_date.empty() &&
      date < found->second.statement_date) {
    skip("statement older than one already read for its record");
    return true;
  }

  // Read the new statement before dropping the old one, so that an error keeps it.
  BodsEntity entity;
  Relationship relationship;
  std::string skip_reason;
  if (!closed) {
    if (type == RecordType::kRelationship) {
      if (!read_relationship(*details, where, relationship, error)) return false;
      relationship.record_id = id;
    } else if (type == RecordType::kEntity) {
      if (!map_entity(*details, id, entity, skip_reason)) type = RecordType::kSkipped;
    } else {
      map_person(*details, id, entity);
    }
  }

  Record* record = nullptr;
  if (found != records_.end()) {
    record = &found->second;
    skip("statement replaced by a later one of its record");
    // Drop what the earlier statement made.
    if (record->type == RecordType::kEntity || record->type == RecordType::kPerson) {
      if (!record->closed) entities_[record->index].alive = false;
    } else if (record->type == RecordType::kRelationship) {
      relationship_alive_[record->index] = false;
    }
  } else {
    record = &records_.try_emplace(std::move(id)).first->second;
    record->index = static_cast<std::size_t>(-1);
  }
  record->statement_date = date;
  record->closed = closed;
  if (closed) {
    skip("closed record");
    return true;
  }
  const bool same_type = record->type == type && record->index != static_cast<std::size_t>(-1);
  record->type = type;
  switch (type) {
    case RecordType::kSkipped:
      record->skip_reason = skip_reason;
      skip(skip_reason);
      break;
    case RecordType::kEntity:
    case RecordType::kPerson:
      if (same_type) {
        entities_[record->index] = std::move(entity);
      } else {
        record->index = entities_.size();
        entities_.push_back(std::move(entity));
      }
      break;
    case RecordType::kRelationship:
      if (same_type) {
        relationships_[record->index] = std::move(relationship);
        relationship_alive_[record->index] = true;
      } else {
        record->index = relationships_.size();
        relationships_.push_back(std::move(relationship));
        relationship_alive_.push_back(true);
      }
      break;
  }
  return true;
}

bool BodsMapper::map_entity(const rapidjson::Value& details, const std::string& id, BodsEntity& out,
                            std::string& skip_reason) {
  std::string type;
  std::string subtype;
  if (const rapidjson::Value* et = member(details, "entityType")) {
    if (et->IsString()) {
      type = et->GetString();
    } else {
      type = string_member(*et, "type");
      subtype = string_member(*et, "subtype");
    }
  }
  std::string code;
  if (const rapidjson::Value* j = member(details, "jurisdiction")) code = string_member(*j, "code");
  if (code.empty()) {
    if (const rapidjson::Value* j = member(details, "incorporatedJurisdiction"))
      code = string_member(*j, "code");
  }
  const std::string country = country_of(code);

  out.id = "bods:" + id;
  std::vector<std::pair<std::string, BodsValue>> extra;
  if (type == "registeredEntity" || type == "legalEntity") {
    out.kind = "Firm";
    if (const rapidjson::Value* ids = member(details, "identifiers"); ids && ids->IsArray()) {
      for (rapidjson::SizeType i = 0; i < ids->Size(); ++i) {
        const std::string number = string_member((*ids)[i], "id");
        if (!number.empty()) {
          extra.emplace_back("registration", BodsValue::of_string(number));
          break;
        }
      }
    }
  } else if (type == "arrangement" || type == "anonymousEntity" || type == "unknownEntity") {
    out.kind = "Organization";
    const std::string what = subtype == "trust"          ? "trust"
                             : type == "arrangement"     ? "arrangement"
                             : type == "anonymousEntity" ? "anonymous_entity"
                                                         : "unknown_entity";
    extra.emplace_back("type", BodsValue::of_string(what));
  } else if (type == "state" || type == "stateBody") {
    if (!country.empty() && country == options_.home_country) {
      out.kind = "CentralAuthority";
    } else {
      out.kind = "ForeignGovernment";
      extra.emplace_back("organ", BodsValue::of_string("state"));
      if (!code.empty())
        extra.emplace_back("level",
                           BodsValue::of_string(code.size() > 2 ? "provincial" : "national"));
    }
  } else {
    skip_reason = type.empty() ? "entity without an entityType"
                               : "entity of type '" + type + "' (not a BODS 0.4 entity type)";
    return false;
  }

  const std::string name = string_member(details, "name");
  if (!name.empty()) out.properties.emplace_back("name", BodsValue::of_string(name));
  if (const rapidjson::Value* alt = member(details, "alternateNames"); alt && alt->IsArray()) {
    std::vector<std::string> aliases;
    for (rapidjson::SizeType i = 0; i < alt->Size(); ++i) {
      if (!(*alt)[i].IsString()) continue;
      std::string a = (*alt)[i].GetString();
      if (a.empty() || a == name || std::find(aliases.begin(), aliases.end(), a) != aliases.end())
        continue;
      aliases.push_back(std::move(a));
    }
    if (!aliases.empty()) out.properties.emplace_back("aliases", BodsValue::of_list(aliases));
  }
  if (!country.empty()) out.properties.emplace_back("country", BodsValue::of_string(country));
  for (auto& e : extra) out.properties.push_back(std::move(e));
  return true;
}

bool BodsMapper::map_person(const rapidjson::Value& details, const std::string& id,
                            BodsEntity& out) {
  out.id = "bods:" + id;
  out.kind = "Person";
  std::vector<std::string> names;
  std::size_t preferred = 0;
  bool have_preferred = false;
  if (const rapidjson::Value* list = member(details, "names"); list && list->IsArray()) {
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
      const rapidjson::Value& n = (*list)[i];
      std::string full = string_member(n, "fullName");
      if (full.empty()) {
        const std::string given = string_member(n, "givenName");
        const std::string family = string_member(n, "familyName");
        full = given.empty() ? family : family.empty() ? given : given + " " + family;
      }
      if (full.empty() || std::find(names.begin(), names.end(), full) != names.end()) continue;
      const std::string t = string_member(n, "type");
      if (!have_preferred && (t == "legal" || t == "individual")) {
        preferred = names.size();
        have_preferred = true;
      }
      names.push_back(std::move(full));
    }
  }
  if (!names.empty()) {
    out.properties.emplace_back("name", BodsValue::of_string(names[preferred]));
    names.erase(names.begin() + static_cast<std::ptrdiff_t>(preferred));
    if (!names.empty()) out.properties.emplace_back("aliases", BodsValue::of_list(names));
  }
  if (const rapidjson::Value* nat = member(details, "nationalities");
      nat && nat->IsArray() && nat->Size() > 0) {
    const std::string cc = country_of(string_member((*nat)[0], "code"));
    if (!cc.empty()) out.properties.emplace_back("nationality", BodsValue::of_string(cc));
  }
  return true;
}

bool BodsMapper::read_relationship(const rapidjson::Value& details,
                                   const diag::SourceLocation& where, Relationship& out,
                                   const BodsErrorFn& error) {
  bool ok = true;
  for (const char* end : {"subject", "interestedParty"}) {
    const rapidjson::Value* v = member(details, end);
    if (v == nullptr) {
      error(where, std::string("/recordDetails/") + end +
                       ": missing; a relationship names its subject and its "
                       "interested party (a recordId, or why it cannot)");
      ok = false;
    } else if (v->IsString()) {
      (std::string(end) == "subject" ? out.subject : out.party) = v->GetString();
    }  // else an unspecified record: left empty
  }
  const rapidjson::Value* interests = member(details, "interests");
  if (interests != nullptr && !interests->IsArray()) {
    error(where, "/recordDetails/interests: not an array");
    return false;
  }
  for (rapidjson::SizeType i = 0; interests != nullptr && i < interests->Size(); ++i) {
    const rapidjson::Value& in = (*interests)[i];
    const std::string pointer = "/recordDetails/interests/" + std::to_string(i);
    if (!in.IsObject()) {
      error(where, pointer + ": an interest is an object");
      ok = false;
      continue;
    }
    Interest interest;
    interest.type = string_member(in, "type");
    if (interest.type.empty()) interest.type = "unknownInterest";
    if (string_member(in, "directOrIndirect") == "indirect") interest.type += " (indirect)";
    if (const rapidjson::Value* share = member(in, "share")) {
      if (!share->IsObject()) {
        error(where, pointer + "/share: not an object");
        ok = false;
        continue;
      }
      for (const char* bound :
           {"exact", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}) {
        const rapidjson::Value* v = member(*share, bound);
        if (v == nullptr) continue;
        if (!v->IsNumber() || v->GetDouble() < 0 || v->GetDouble() > 100) {
          error(where, pointer + "/share/" + bound +
                           ": not a percentage; BODS shares are numbers from 0 to 100");
          ok = false;
          continue;
        }
        const double fraction = v->GetDouble() / 100;
        const std::string b = bound;
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
        error(where, pointer + "/share: the minimum is above the maximum");
        ok = false;
      }
    }
    for (const char* field : {"startDate", "endDate"}) {
      const std::string d = string_member(in, field);
      if (d.empty()) continue;
      if (!is_date(d)) {
        error(where,
              pointer + "/" + field + ": '" + d + "' is not a date; BODS dates are YYYY-MM-DD");
        ok = false;
      }
      (std::string(field) == "startDate" ? interest.start : interest.end) = d;
    }
    out.interests.push_back(std::move(interest));
  }
  out.where = where;
  return ok;
}

void BodsMapper::finish(const BodsErrorFn& error) {
  for (std::size_t k = 0; k < relationships_.size(); ++k) {
    if (!relationship_alive_[k]) continue;
    const Relationship& r = relationships_[k];
    if (r.subject.empty() || r.party.empty()) {
      skip("relationship with an unspecified subject or interested party");
      continue;
    }
    bool named_ok = true;
    bool dropped = false;
    std::string kinds[2];
    int end = 0;
    for (const auto& [role, target] :
         {std::pair<const char*, const std::string*>{"subject", &r.subject},
          std::pair<const char*, const std::string*>{"interestedParty", &r.party}}) {
      auto found = records_.find(*target);
      if (found == records_.end()) {
        named_ok = false;
        error(r.where, std::string("/recordDetails/") + role + ": '" + *target +
                           "' is not the recordId of any statement read; give the "
                           "file that holds its statement too");
      } else if (found->second.closed || (found->second.type != RecordType::kEntity &&
                                          found->second.type != RecordType::kPerson)) {
        dropped = true;
      } else {
        kinds[end] = entities_[found->second.index].kind;
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
    const std::string& subject_kind = kinds[0];
    const std::string& party_kind = kinds[1];

    struct Out {
      std::string kind;
      std::vector<const Interest*> interests;
      std::string role;
    };
    Out owned{"OWNED_BY", {}, {}};
    Out represents{"REPRESENTS", {}, {}};
    Out controlled{"CONTROLLED_BY", {}, {}};
    for (const Interest& in : r.interests) {
      if (is_ownership(in.type) && owned_by_allows(subject_kind, party_kind)) {
        owned.interests.push_back(&in);
      } else if (!person_role(in.type).empty() && party_kind == "Person") {
        if (represents.role.empty()) represents.role = person_role(in.type);
        represents.interests.push_back(&in);
      } else if (is_control(in.type) && controlled_by_allows(subject_kind, party_kind)) {
        controlled.interests.push_back(&in);
      } else if (in.type.size() > 11 &&
                 in.type.compare(in.type.size() - 11, 11, " (indirect)") == 0) {
        skip("indirect interest '" + in.type.substr(0, in.type.size() - 11) +
             "' (the direct holdings of the chain carry it)");
      } else {
        skip("interest '" + in.type + "' of " + article(party_kind) + " in " +
             article(subject_kind) + " (no relation kind of the schema fits)");
      }
    }
    if (r.interests.empty()) skip("relationship without interests");

    bool first = true;
    for (Out* o : {&owned, &represents, &controlled}) {
      if (o->interests.empty()) continue;
      BodsRelation rel;
      rel.id = "bods:" + r.record_id + (first ? "" : "/" + o->kind);
      first = false;
      rel.kind = o->kind;
      const bool reversed = o == &represents;  // the person acts for the subject
      rel.from = "bods:" + (reversed ? r.party : r.subject);
      rel.to = "bods:" + (reversed ? r.subject : r.party);
      if (o == &owned) {
        // Shareholding before voting rights; the first interest that gives a share.
        const Interest* with_share = nullptr;
        for (int pass = 0; pass < 2 && with_share == nullptr; ++pass) {
          for (const Interest* in : o->interests) {
            if (in->has_share && (pass == 1 || in->type == "shareholding")) {
              with_share = in;
              break;
            }
          }
        }
        if (with_share != nullptr) {
          if (with_share->exact) {
            rel.properties.emplace_back("share", BodsValue::of_number(with_share->share_min));
          } else {
            if (with_share->has_min) {
              rel.properties.emplace_back("share", BodsValue::of_number(with_share->share_min));
              rel.properties.emplace_back("share_min", BodsValue::of_number(with_share->share_min));
            }
            if (with_share->has_max)
              rel.properties.emplace_back("share_max", BodsValue::of_number(with_share->share_max));
          }
        }
      }
      if (o == &represents) rel.properties.emplace_back("role", BodsValue::of_string(o->role));
      std::string since;
      std::string until;
      bool all_ended = true;
      for (const Interest* in : o->interests) {
        if (!in->start.empty() && (since.empty() || in->start < since)) since = in->start;
        if (in->end.empty()) {
          all_ended = false;
        } else if (in->end > until) {
          until = in->end;
        }
      }
      if (!since.empty()) rel.properties.emplace_back("since", BodsValue::of_string(since));
      if (all_ended && !until.empty())
        rel.properties.emplace_back("until", BodsValue::of_string(until));
      relations_.push_back(std::move(rel));
    }
  }
}

std::vector<const BodsEntity*> BodsMapper::entities() const {
  std::vector<const BodsEntity*> out;
  out.reserve(entities_.size());
  for (const BodsEntity& e : entities_)
    if (e.alive) out.push_back(&e);
  return out;
}

}  // namespace twinscan::imports
