// The slow paths of Budget: the messages of a run stopped by its limits.
#include "analyzer/query/budget.h"

#include <string>

namespace twinscan::query {
namespace {

constexpr std::uint64_t kClockInterval = 1 << 16;

}  // namespace

Budget::Budget(const ExecutionLimits& limits)
    : limits_(limits),
      walked_(limits.already_walked),
      next_clock_check_(limits.already_walked + kClockInterval),
      started_(limits.started.value_or(std::chrono::steady_clock::now())) {}

void Budget::exceeded() const {
  throw LimitExceeded("the query walked more than " + std::to_string(limits_.max_expansions) +
                      " relations; narrow the pattern (kinds, relation kinds, hop bounds) or "
                      "raise --max-expansions");
}

void Budget::check_clock() {
  next_clock_check_ = walked_ + kClockInterval;
  if (limits_.deadline.count() > 0 &&
      std::chrono::steady_clock::now() - started_ > limits_.deadline) {
    throw LimitExceeded("the query ran past its deadline of " +
                        std::to_string(limits_.deadline.count()) +
                        " ms; narrow the pattern or raise --timeout");
  }
}

}  // namespace twinscan::query
