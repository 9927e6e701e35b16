#include "analyzer/util/huge_page_choice.h"

#include <sys/mman.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <mutex>

#include <spdlog/spdlog.h>

namespace twinscan::util {
namespace {

constexpr std::size_t kProbeBytes = std::size_t{8} << 20;
constexpr std::size_t kSmallPage = 4096;

// The policy set by set_huge_page_policy(), or -1 while none was.
std::atomic<int> chosen_policy{-1};

HugePagePolicy policy_now() {
  const int set = chosen_policy.load(std::memory_order_acquire);
  if (set >= 0) return static_cast<HugePagePolicy>(set);
  const char* named = std::getenv("TWINSCAN_HUGE_PAGES");
  if (named == nullptr) return HugePagePolicy::kMeasured;
  return parse_huge_page_policy(named).value_or(HugePagePolicy::kMeasured);
}

bool measured_choice() {
  static std::once_flag once;
  static bool pays = false;
  std::call_once(once, [] {
    const double cost = fresh_page_cost();
    pays = cost > kHugePagesPayFromMicroseconds;
    spdlog::debug("a fresh 4 KiB page costs {:.1f} µs to touch first: fresh memory {}", cost,
                  pays ? "is asked for in huge pages" : "stays in 4 KiB pages");
  });
  return pays;
}

}  // namespace

std::optional<HugePagePolicy> parse_huge_page_policy(std::string_view text) {
  if (text == "measured") return HugePagePolicy::kMeasured;
  if (text == "always") return HugePagePolicy::kAlways;
  if (text == "never") return HugePagePolicy::kNever;
  return std::nullopt;
}

void set_huge_page_policy(HugePagePolicy policy) {
  chosen_policy.store(static_cast<int>(policy), std::memory_order_release);
}

bool huge_pages_pay() {
  switch (policy_now()) {
    case HugePagePolicy::kAlways:
      return true;
    case HugePagePolicy::kNever:
      return false;
    case HugePagePolicy::kMeasured:
      break;
  }
  return measured_choice();
}

double fresh_page_cost() {
  void* p =
      ::mmap(nullptr, kProbeBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return 0.0;
#ifdef MADV_NOHUGEPAGE
  // Pages of 4 KiB whatever the system's setting, so that 2,048 faults are timed.
  ::madvise(p, kProbeBytes, MADV_NOHUGEPAGE);
#endif
  volatile char* const bytes = static_cast<char*>(p);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t at = 0; at < kProbeBytes; at += kSmallPage) bytes[at] = 1;
  const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
  ::munmap(p, kProbeBytes);
  return took.count() / static_cast<double>(kProbeBytes / kSmallPage);
}

}  // namespace twinscan::util
