#pragma once

// Maps BODS 0.4 statements (Open Ownership) to twinscan/1 entities and relations.
//
// - entity statements: registeredEntity and legalEntity become Firm; arrangement,
//   anonymousEntity and unknownEntity become Organization; state and stateBody become
//   ForeignGovernment, or CentralAuthority when their jurisdiction is the home country.
//   Any other entity type is skipped and counted.
// - person statements become Person.
// - relationship statements: shareholding and votingRights interests become OWNED_BY from
//   the subject to the interested party. An exact share is `share`; a ranged share keeps
//   both declared bounds as `share_min` and `share_max`, and `share` is the lower bound,
//   the part of the firm the declaration proves is held, so that effective ownership
//   (and the rules reading it) counts only what is declared. Board and management roles of
//   a person become REPRESENTS with a role; control of a state body, city or organisation
//   by a state body becomes CONTROLLED_BY. Any other interest is skipped and counted.
// - ids are `bods:` + recordId (or the statementId when a statement has no recordId).
//   A later statement of the same record replaces the earlier one (unless its
//   statementDate is earlier); a closed record (recordStatus "closed") is dropped, and so
//   are the relationships that name it.
//
// Statements may come in any order and from several files: relationships are resolved
// by finish(), once every statement has been read.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/util/hash.h"

namespace twinscan::imports {

/// A property value of an imported record.
struct BodsValue {
  enum class Type : std::uint8_t { kString, kNumber, kBool, kStringList };
  Type type = Type::kString;
  std::string text;
  double number = 0;
  bool flag = false;
  std::vector<std::string> list;

  static BodsValue of_string(std::string s) {
    BodsValue v;
    v.text = std::move(s);
    return v;
  }
  static BodsValue of_number(double n) {
    BodsValue v;
    v.type = Type::kNumber;
    v.number = n;
    return v;
  }
  static BodsValue of_list(std::vector<std::string> l) {
    BodsValue v;
    v.type = Type::kStringList;
    v.list = std::move(l);
    return v;
  }
};

struct BodsEntity {
  std::string id;
  std::string kind;
  std::vector<std::pair<std::string, BodsValue>> properties;  ///< name, aliases, country...
  bool alive = true;
};

struct BodsRelation {
  std::string id;
  std::string kind;
  std::string from;
  std::string to;
  std::vector<std::pair<std::string, BodsValue>> properties;
};

struct BodsOptions {
  std::string home_country;  ///< ISO 3166-1 alpha-2, upper case; empty: none
};

/// Where the mapper reports a problem: `what is wrong; what to do` at a place.
using BodsErrorFn = std::function<void(const diag::SourceLocation&, std::string)>;

class BodsMapper {
 public:
  explicit BodsMapper(BodsOptions options) : options_(std::move(options)) {}

  /// Adds one statement read at `where`. Problems are reported through `error` at
  /// `where`, naming the field by its JSON pointer; returns false when the statement
  /// had an error (it is then left out).
  bool add(const rapidjson::Value& statement, const diag::SourceLocation& where,
           const BodsErrorFn& error);

  /// Resolves the relationships once every statement is in. A relationship that names a
  /// record no statement gives is an error at the relationship's place (and, should the
  /// import go on, it is left out and counted).
  void finish(const BodsErrorFn& error);

  /// The live entities, in the order their records first appeared.
  [[nodiscard]] std::vector<const BodsEntity*> entities() const;
  [[nodiscard]] const std::vector<BodsRelation>& relations() const { return relations_; }
  /// What was not imported, by reason ("entity type 'x'", "interest 'boardMember' ..."),
  /// with counts, sorted by reason.
  [[nodiscard]] const std::map<std::string, std::size_t>& skipped() const { return skipped_; }
  [[nodiscard]] std::size_t statements() const { return statements_; }

 private:
  enum class RecordType : std::uint8_t { kEntity, kPerson, kRelationship, kSkipped };

  struct Interest {
    std::string type;
    bool has_share = false;
    double share_min = 0;  ///< fraction 0..1
    double share_max = 1;
    bool has_min = false;
    bool has_max = false;
    bool exact = false;
    std::string start;
    std::string end;
  };

  struct Relationship {
    std::string record_id;
    std::string subject;  ///< record id; empty when unspecified
    std::string party;
    std::vector<Interest> interests;
    diag::SourceLocation where;
  };

  struct Record {
    RecordType type = RecordType::kSkipped;
    bool closed = false;
    std::string statement_date;
    std::size_t index = 0;  ///< into entities_ or relationships_
    std::string skip_reason;
  };

  void skip(const std::string& reason, std::size_t n = 1) { skipped_[reason] += n; }
  bool map_entity(const rapidjson::Value& details, const std::string& id, BodsEntity& out,
                  std::string& skip_reason);
  bool map_person(const rapidjson::Value& details, const std::string& id, BodsEntity& out);
  bool read_relationship(const rapidjson::Value& details, const diag::SourceLocation& where,
                         Relationship& out, const BodsErrorFn& error);

  BodsOptions options_;
  std::unordered_map<std::string, Record, util::StringHash, std::equal_to<>> records_;
  std::vector<BodsEntity> entities_;
  std::vector<Relationship> relationships_;
  std::vector<bool> relationship_alive_;
  std::vector<BodsRelation> relations_;
  std::map<std::string, std::size_t> skipped_;
  std::size_t statements_ = 0;
};

}  // namespace twinscan::imports
