// effective_share()'s answers that one run keeps, by firm and owner.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace twinscan::query {

/// A share effective_share() found: a number (`lower`), or bounds when cross-holdings
/// leave it open.
struct ShareAnswer {
  double lower = 0;
  double upper = 0;
  bool bounds = false;  ///< Between `lower` and `upper`, not known exactly.
};

/// Answers by key (a firm's and an owner's vertex ids side by side), in one array with
/// open addressing, at most half full: a rule asks for one share once per ownership chain
/// between the two, hundreds of thousands of times in a scan, and a node-based map spent
/// more on its buckets, nodes and rehashing than the chains took to walk.
class ShareTable {
 public:
  [[nodiscard]] std::optional<ShareAnswer> find(std::uint64_t key) const;
  /// Adds an answer; one for a key already there is the same, and is dropped.
  void insert(std::uint64_t key, const ShareAnswer& answer);
  [[nodiscard]] std::size_t size() const { return size_; }
  void clear();

 private:
  // 32 bytes: the answer's fields, and whether the slot is taken in their padding.
  struct Slot {
    std::uint64_t key = 0;
    double lower = 0;
    double upper = 0;
    bool bounds = false;
    bool used = false;
  };
  static_assert(sizeof(Slot) == 32);

  // The keys' spread over the table: two vertex ids side by side are far from random.
  static std::uint64_t mix(std::uint64_t key);
  void grow();

  std::vector<Slot> slots_;  // a power of two
  std::size_t size_ = 0;
};

}  // namespace twinscan::query
