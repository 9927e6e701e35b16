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
// by finish(), once every statement has been read. What is kept until then is compact:
// record ids are interned once in a table of their own (a relationship keeps the numbers
// of the records it names, not their ids, and finish() looks nothing up by text), and an
// entity keeps only the values it will be written with, packed in one buffer.

#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rapidjson/document.h>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/io/import/importer.h"
#include "analyzer/util/hash.h"
#include "analyzer/util/prefetch.h"

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

/// Strings interned by number (0, 1, 2… in the order first given): the bytes of all of
/// them in one buffer, each after its number and length, found through an
/// open-addressing table of their 64-bit hashes and places, so that finding a string
/// reads the table and its bytes, nothing else.
class BodsStringTable {
 public:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  /// The hash a string is filed under.
  [[nodiscard]] static std::uint64_t hash_of(std::string_view text);
  /// Asks for the table's place of the hash `hash` to be brought into the cache.
  void prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) util::prefetch(&slots_[hash & (slots_.size() - 1)]);
  }
  /// The number of `text`, given one when it has none yet; `hash` is hash_of(text).
  std::uint32_t intern(std::string_view text, std::uint64_t hash);
  std::uint32_t intern(std::string_view text) { return intern(text, hash_of(text)); }
  [[nodiscard]] std::string_view view(std::uint32_t n) const { return text_at(offsets_[n]); }
  [[nodiscard]] std::size_t size() const { return offsets_.size(); }

 private:
  struct Slot {
    std::uint64_t hash = 0;  ///< 0: empty
    std::size_t offset = 0;  ///< of the string's number in bytes_
  };
  [[nodiscard]] std::string_view text_at(std::size_t offset) const {
    std::uint32_t size;
    std::memcpy(&size, bytes_.data() + offset + 4, 4);
    return {bytes_.data() + offset + 8, size};
  }
  [[nodiscard]] std::uint32_t number_at(std::size_t offset) const {
    std::uint32_t number;
    std::memcpy(&number, bytes_.data() + offset, 4);
    return number;
  }
  void grow();
  std::string bytes_;                 ///< per string: number, length (4 bytes each), bytes
  std::vector<std::size_t> offsets_;  ///< by number
  std::vector<Slot> slots_;
};

class BodsMapper {
 public:
  explicit BodsMapper(BodsOptions options);

  /// Adds one statement read at `where`. Problems are reported through `error` at
  /// `where`, naming the field by its JSON pointer; returns false when the statement
  /// had an error (it is then left out).
  bool add(const rapidjson::Value& statement, const diag::SourceLocation& where,
           const BodsErrorFn& error);

  /// Resolves the relationships once every statement is in. A relationship that names a
  /// record no statement gives is an error at the relationship's place (and, should the
  /// import go on, it is left out and counted).
  void finish(const BodsErrorFn& error);

  /// Calls `fn` with each live entity, in the order their records first appeared (the
  /// same Entity object, refilled each time), and where its statement was read.
  void for_each_entity(
      const std::function<void(const Entity&, const diag::SourceLocation&)>& fn) const;
  /// Calls `fn` with each relation finish() made, in order (the same Relation object),
  /// and where its relationship statement was read.
  void for_each_relation(
      const std::function<void(const Relation&, const diag::SourceLocation&)>& fn) const;

  /// The same, as values of their own (for tests): the live entities, in the order their
  /// records first appeared, and the relations. Valid until the next add() or finish().
  [[nodiscard]] std::vector<const BodsEntity*> entities() const;
  [[nodiscard]] const std::vector<BodsRelation>& relations() const;
  /// What was not imported, by reason ("entity type 'x'", "interest 'boardMember' ..."),
  /// with counts, sorted by reason.
  [[nodiscard]] const std::map<std::string, std::size_t, std::less<>>& skipped() const {
    return skipped_;
  }
  [[nodiscard]] std::size_t statements() const { return statements_; }
  /// Records known by their ids: those with a statement and those only named by a
  /// relationship so far.
  [[nodiscard]] std::size_t records_known() const { return ids_.size(); }

  /// The kinds of entity the mapping makes.
  enum class Kind : std::uint8_t {
    kFirm,
    kOrganization,
    kCentralAuthority,
    kForeignGovernment,
    kPerson
  };

 private:
  static constexpr std::uint32_t kNone = BodsStringTable::kNone;
  enum class RecordType : std::uint8_t { kEntity, kPerson, kRelationship, kSkipped };

  /// A date as BODS gives it (YYYY, YYYY-MM or YYYY-MM-DD), checked by then.
  struct ShortDate {
    char text[10] = {};
    std::uint8_t size = 0;
    [[nodiscard]] std::string_view view() const { return {text, size}; }
    [[nodiscard]] bool empty() const { return size == 0; }
  };

  struct Interest {
    std::uint32_t type = 0;  ///< in types_ (with " (indirect)" for an indirect interest)
    bool has_share = false;
    bool has_min = false;
    bool has_max = false;
    bool exact = false;
    double share_min = 0;  ///< fraction 0..1
    double share_max = 1;
    ShortDate start;
    ShortDate end;
  };

  struct Relationship {
    std::uint32_t record = 0;       ///< its own record
    std::uint32_t subject = kNone;  ///< a record; kNone when unspecified
    std::uint32_t party = kNone;
    std::uint32_t first_interest = 0;  ///< into interests_
    std::uint32_t interest_count = 0;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::uint16_t file = 0;  ///< into files_
    bool alive = true;
  };

  struct Record {
    std::uint32_t date = 0;       ///< statementDate, in dates_ (0: none)
    std::uint32_t index = kNone;  ///< into entities_ or relationships_
    RecordType type = RecordType::kSkipped;
    bool closed = false;
    bool has_statement = false;  ///< false: only named by a relationship so far
  };

  /// An entity: its record, kind, and its properties packed in entity_bytes_.
  struct EntitySlot {
    std::size_t offset = 0;
    std::uint32_t size = 0;
    std::uint32_t record = 0;
    std::uint32_t line = 0;  ///< where its statement was read
    std::uint32_t column = 0;
    std::uint16_t file = 0;  ///< into files_
    Kind kind = Kind::kFirm;
    bool alive = true;
  };

  /// A relation made by finish(): everything it is written with, without strings.
  struct Made {
    std::uint32_t relationship = 0;
    std::uint8_t kind = 0;   ///< 0 OWNED_BY, 1 REPRESENTS, 2 CONTROLLED_BY
    bool first = true;       ///< the relationship's first relation (its id has no /KIND)
    std::uint8_t share = 0;  ///< 0 none, 1 exact, 2 bounds
    bool has_min = false;
    bool has_max = false;
    std::uint8_t role =
        0;  ///< REPRESENTS: 1 board_member, 2 board_chair, 3 senior_managing_official
    double share_min = 0;
    double share_max = 0;
    ShortDate since;
    ShortDate until;
  };

  /// The relationship of a statement as read, before it is kept.
  struct ReadRelationship {
    std::string_view subject;
    std::string_view party;
    std::vector<Interest> interests;
  };

  /// The numbers of the record ids a statement names; kNone where it names none.
  struct Digest {
    std::uint32_t record = kNone;   ///< its own recordId (or statementId)
    std::uint32_t subject = kNone;  ///< a relationship's subject
    std::uint32_t party = kNone;    ///< and interested party
  };
  /// Numbers the record ids `statement` names (its own, and a relationship's two ends),
  /// giving each id its number the first time it is met; the three places of the table
  /// are fetched into the cache together.
  void digest(const rapidjson::Value& statement, Digest& out);

  void skip(std::string_view reason, std::size_t n = 1);
  bool map_entity(const rapidjson::Value& details, Kind& kind, std::string& skip_reason);
  void map_person(const rapidjson::Value& details);
  bool read_relationship(const rapidjson::Value& details, const diag::SourceLocation& where,
                         ReadRelationship& out, const BodsErrorFn& error);
  std::uint16_t file_number(const std::string& file);
  template <typename Put>
  void entity_properties(const EntitySlot& e, Put& put) const;
  template <typename Put>
  void relation_properties(const Made& m, Put& put) const;
  void relation_ends(const Made& m, std::string& id, std::string& from, std::string& to) const;

  BodsOptions options_;
  BodsStringTable ids_;    ///< record ids; a record's number is its index in records_
  BodsStringTable dates_;  ///< statement dates; 0 is the empty one
  BodsStringTable types_;  ///< interest types
  std::vector<Record> records_;
  std::vector<EntitySlot> entities_;
  std::string entity_bytes_;
  std::vector<Relationship> relationships_;
  std::vector<Interest> interests_;
  std::vector<Made> made_;
  std::vector<std::string> files_;
  std::map<std::string, std::size_t, std::less<>> skipped_;
  std::size_t statements_ = 0;
  // Scratch, kept between statements.
  ReadRelationship read_;
  std::vector<std::string> names_;
  std::string text_;
  // entities() and relations(), made when asked.
  mutable std::vector<BodsEntity> entity_values_;
  mutable std::vector<BodsRelation> relation_values_;
};

}  // namespace twinscan::imports
