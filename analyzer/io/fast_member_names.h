// What the parsing thread of the fast JSON path knows of the names a registry repeats in
// every statement: the members every statement has (id, kind, ends), and small tables of
// the kinds and member names seen, found again without hashing their whole text.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "analyzer/util/hash.h"

namespace twinscan::io::fast {

/// The members the parser reads itself, by name; kOther for a property.
enum class Member : std::uint8_t { kOther, kId, kKind, kName, kFrom, kTo, kSince, kUntil };

/// Which member `key` names. Compared by length first and then as a few bytes of fixed
/// size: a statement's members are classified one by one, and a library comparison per
/// candidate name took a share of the parse.
[[nodiscard]] inline Member member_of(std::string_view key) {
  const char* k = key.data();
  switch (key.size()) {
    case 2:
      if (k[0] == 'i' && k[1] == 'd') return Member::kId;
      if (k[0] == 't' && k[1] == 'o') return Member::kTo;
      return Member::kOther;
    case 4:
      if (std::memcmp(k, "kind", 4) == 0) return Member::kKind;
      if (std::memcmp(k, "name", 4) == 0) return Member::kName;
      if (std::memcmp(k, "from", 4) == 0) return Member::kFrom;
      return Member::kOther;
    case 5:
      if (std::memcmp(k, "since", 5) == 0) return Member::kSince;
      if (std::memcmp(k, "until", 5) == 0) return Member::kUntil;
      return Member::kOther;
    default:
      return Member::kOther;
  }
}

/// A name (a kind, a member's name) as its length and at most its first and last eight
/// bytes: a key for the small tables below that is cheap to make and to compare, and
/// that is the whole name up to sixteen bytes (the names a registry repeats are shorter).
struct ShortName {
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
  std::size_t size = 0;

  explicit ShortName(std::string_view name) : size(name.size()) {
    const char* p = name.data();
    const std::size_t n = name.size();
    if (n >= 8) {
      std::memcpy(&head, p, 8);
      std::memcpy(&tail, p + n - 8, 8);
    } else if (n >= 4) {
      std::uint32_t first = 0;
      std::uint32_t last = 0;
      std::memcpy(&first, p, 4);
      std::memcpy(&last, p + n - 4, 4);
      head = first;
      tail = last;
    } else if (n > 0) {
      head = std::uint64_t{static_cast<unsigned char>(p[0])} |
             (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
             (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
    }
  }
  /// Whether the bytes kept are the whole name: then two names with equal ShortNames
  /// are equal.
  [[nodiscard]] bool whole() const { return size <= 16; }
  [[nodiscard]] std::uint64_t hash() const {
    return util::hash_mix(head ^ (static_cast<std::uint64_t>(size) << 56), tail);
  }
  friend bool operator==(const ShortName&, const ShortName&) = default;
};

/// A small table of names seen, probed from their ShortName's hash: a registry uses a
/// few dozen over and over. Names past what it holds are not kept (the caller finds them
/// another way).
template <typename Value, std::size_t kSlots = 256>
class ShortNameTable {
  static_assert((kSlots & (kSlots - 1)) == 0);

 public:
  /// The value kept for `name` (whose ShortName is `key`), or nullptr.
  [[nodiscard]] const Value* find(std::string_view name, const ShortName& key) const {
    const std::uint64_t hash = key.hash();
    for (std::size_t probe = 0; probe < kProbes; ++probe) {
      const Slot& slot = slots_[(hash + probe) & (kSlots - 1)];
      if (!slot.known) return nullptr;
      if (slot.key == key && (key.whole() || slot.name == name)) return &slot.value;
    }
    return nullptr;
  }
  /// Keeps `value` for `name` (whose text must outlive the table) if a slot is free
  /// within reach.
  void keep(std::string_view name, const ShortName& key, const Value& value) {
    const std::uint64_t hash = key.hash();
    for (std::size_t probe = 0; probe < kProbes; ++probe) {
      Slot& slot = slots_[(hash + probe) & (kSlots - 1)];
      if (!slot.known) {
        slot = {name, key, value, true};
        return;
      }
    }
  }

 private:
  static constexpr std::size_t kProbes = 8;
  struct Slot {
    std::string_view name;
    ShortName key{std::string_view()};
    Value value{};
    bool known = false;
  };
  std::array<Slot, kSlots> slots_{};
};

/// Kinds looked up by name, remembered: a registry names a handful of kinds over and
/// over, and the schema's lookup compares the name with each kind's in turn.
template <typename Id>
class KindsByName {
 public:
  template <typename Find>
  std::optional<Id> find(std::string_view name, const Find& find_in_schema) {
    const ShortName key(name);
    if (const Id* known = table_.find(name, key)) return *known;
    const std::optional<Id> id = find_in_schema(name);
    if (id) {
      const auto [it, added] = names_.try_emplace(std::string(name), *id);
      if (added) table_.keep(it->first, key, *id);  // the map's own text, which never moves
    }
    return id;
  }

 private:
  ShortNameTable<Id, 64> table_;
  std::unordered_map<std::string, Id, util::StringHash, std::equal_to<>> names_;
};

/// How many member names KeyNumbers numbers (JsonNode::key_number).
inline constexpr std::uint32_t kNumberedKeys = 4096;

/// Numbers for the member names of entities and relations, the same for the same name in
/// every document: the thread that adds the statements then finds what it knows of a
/// property by its number, without hashing and comparing its name. Past kNumberedKeys
/// names (a registry with a name of its own in every statement), a name gets
/// kNumberedKeys and is looked up by its text, so that the table stays small.
class KeyNumbers {
 public:
  /// A name's number, and the util::hash_bytes of its text (kept with the number).
  struct Numbered {
    std::uint32_t number = kNumberedKeys;
    std::uint64_t text_hash = 0;
  };

  Numbered of(std::string_view key) {
    const ShortName short_name(key);
    if (const Numbered* known = table_.find(key, short_name)) return *known;
    auto it = numbers_.find(key);
    if (it == numbers_.end()) {
      if (numbers_.size() >= kNumberedKeys) return {kNumberedKeys, util::hash_bytes(key)};
      const Numbered numbered{static_cast<std::uint32_t>(numbers_.size()), util::hash_bytes(key)};
      it = numbers_.emplace(std::string(key), numbered).first;
    }
    table_.keep(it->first, short_name, it->second);  // the map's own text, which never moves
    return it->second;
  }

 private:
  ShortNameTable<Numbered> table_;
  std::unordered_map<std::string, Numbered, util::StringHash, std::equal_to<>> numbers_;
};

/// The names of one statement's members, to find a name given twice without comparing
/// every pair of names as text: the members the parser reads itself (Member) by a bit
/// each, the others by their KeyNumbers (by text, too, past the numbered names). Past
/// kMany others it stops keeping them and says so (too_many()): the caller then compares
/// the names as text.
class MemberNamesSeen {
 public:
  static constexpr std::size_t kMany = 16;

  /// Adds a member the parser reads itself (`member` is not Member::kOther). False when
  /// it was added before.
  bool add_read(Member member) {
    const std::uint32_t bit = std::uint32_t{1} << static_cast<unsigned>(member);
    if ((members_ & bit) != 0) return false;
    members_ |= bit;
    return true;
  }
  /// Adds a property: its KeyNumbers `number` and its name. False when a property of that
  /// name was added before.
  bool add_property(std::uint32_t number, std::string_view key) {
    for (std::size_t i = 0; i < count_; ++i) {
      if (numbers_[i] == number && (number < kNumberedKeys || keys_[i] == key)) return false;
    }
    if (count_ == kMany) {
      too_many_ = true;
      return true;
    }
    numbers_[count_] = number;
    keys_[count_] = key;
    ++count_;
    return true;
  }
  /// add_read() or add_property(), as member_of() classes the name.
  bool add(Member member, std::uint32_t number, std::string_view key) {
    return member != Member::kOther ? add_read(member) : add_property(number, key);
  }
  /// Whether some members were not kept (a name given twice among them is not found).
  [[nodiscard]] bool too_many() const { return too_many_; }

 private:
  std::uint32_t members_ = 0;
  std::size_t count_ = 0;
  bool too_many_ = false;
  std::array<std::uint32_t, kMany> numbers_;  // read below count_ only
  std::array<std::string_view, kMany> keys_;
};

}  // namespace twinscan::io::fast
