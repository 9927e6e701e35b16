// What effective_share() found during one scan, shared by every rule and thread of it,
// and which of those answers one run has counted as walked.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace twinscan::query {

/// The shares effective_share() found during one scan, for every rule and thread of it.
/// Four rules of the catalogue ask for the share a foreign government holds in the same
/// firms, each once to find its matches and once more to word its findings: without a
/// memo across them, a share is found three or four times over. An answer depends only on
/// the firm, the owner, the graph and the as-of date, which one scan keeps.
///
/// Each answer keeps the relations its search walked. A run that takes it counts them as
/// walked (Budget::charge), once (SharesTaken), so how far a rule walks, and so where its
/// budget stops it, is the same whichever rule or thread asked first.
class ShareMemo {
 public:
  /// A share: a number (`lower`), or bounds when cross-holdings leave it open.
  struct Answer {
    double lower = 0;
    double upper = 0;
    bool bounds = false;       ///< Between `lower` and `upper`, not known exactly.
    std::uint32_t walked = 0;  ///< Relations walked to find it.
  };

  /// The most answers remembered (32 bytes each, in tables at most half full); past it,
  /// answers are found again.
  static constexpr std::size_t kMaxAnswers = 2'000'000;

  /// The answer for the pair `key` (firm and owner), if one was remembered.
  [[nodiscard]] std::optional<Answer> find(std::uint64_t key) const;
  /// Remembers an answer; a second answer for the same key is the same, and is dropped.
  void remember(std::uint64_t key, const Answer& answer);
  /// Answers remembered.
  [[nodiscard]] std::size_t size() const;

  /// The keys' spread over the tables: two vertex ids side by side are far from random.
  static std::uint64_t mix(std::uint64_t key);

 private:
  struct Slot {
    std::uint64_t key = 0;
    double lower = 0;
    double upper = 0;
    std::uint32_t walked = 0;
    std::uint8_t used = 0;
    std::uint8_t bounds = 0;
  };
  // Threads asking at once mostly lock different shards.
  struct Shard {
    mutable std::mutex mutex;
    std::vector<Slot> slots;  // open addressing, a power of two, at most half full
    std::size_t used = 0;
  };
  static constexpr unsigned kShardBits = 6;

  static void grow(Shard& shard);

  std::array<Shard, std::size_t{1} << kShardBits> shards_;
};

/// The pairs whose shares one run has counted as walked: it counts each once, as it
/// would had it found each itself and remembered it.
class SharesTaken {
 public:
  /// False when `key` was taken already.
  bool take(std::uint64_t key);
  [[nodiscard]] bool taken(std::uint64_t key) const;
  [[nodiscard]] std::size_t size() const { return size_; }
  void clear();

 private:
  // Keys mixed (ShareMemo::mix, a bijection); 0 marks an empty slot, so the key whose
  // mix is 0 is kept aside.
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
  bool zero_ = false;
};

}  // namespace twinscan::query
