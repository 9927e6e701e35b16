// The bounds on one run (relations walked, wall time), and the counter that enforces
// them while the matcher walks, so that no query runs away.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>

namespace twinscan::query {

/// Bounds on one run, so that no query runs away.
struct ExecutionLimits {
  std::uint64_t max_expansions = 2'000'000'000;  ///< Relations walked, in total.
  std::chrono::milliseconds deadline{0};         ///< 0: none.
  /// Where the budget started, when several executors share one (a rule's searches and
  /// its evidence): the deadline counts from `started` and the walk count from
  /// `already_walked`. Unset: the executor's own construction, and zero.
  std::optional<std::chrono::steady_clock::time_point> started;
  std::uint64_t already_walked = 0;
};

/// Thrown when a run passes its budget or deadline.
struct LimitExceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Counts the relations a run walks and stops it (LimitExceeded) past its limits. The
/// clock is read only every 65,536 steps: tick() is on the hottest path there is.
class Budget {
 public:
  explicit Budget(const ExecutionLimits& limits);

  /// One relation walked.
  void tick() { tick(1); }
  /// `steps` relations walked at once (a walk made before and remembered).
  void tick(std::uint64_t steps) {
    walked_ += steps;
    if (walked_ > limits_.max_expansions) exceeded();
    if (walked_ >= next_clock_check_) check_clock();
  }
  /// Relations walked so far, counting ExecutionLimits::already_walked.
  [[nodiscard]] std::uint64_t walked() const { return walked_; }

 private:
  [[noreturn]] void exceeded() const;
  void check_clock();

  ExecutionLimits limits_;
  std::uint64_t walked_ = 0;
  std::uint64_t next_clock_check_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace twinscan::query
