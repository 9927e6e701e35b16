#include "analyzer/util/huge_page_choice.h"

#include <sys/mman.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <limits>

#include <spdlog/spdlog.h>

#include "analyzer/util/huge_pages.h"

namespace twinscan::util {
namespace {

constexpr std::size_t kSmallProbe = std::size_t{8} << 20;
constexpr std::size_t kHugeProbe = std::size_t{16} << 20;
constexpr std::size_t kSmallPage = 4096;
constexpr double kMegabyte = 1024.0 * 1024.0;

// The policy set by set_huge_page_policy(), or -1 while none was.
std::atomic<int> chosen_policy{-1};

// The policy the environment names, read once: every large block asks.
HugePagePolicy policy_of_environment() {
  static const HugePagePolicy policy = [] {
    const char* named = std::getenv("TWINSCAN_HUGE_PAGES");
    if (named == nullptr) return HugePagePolicy::kMeasured;
    const auto parsed = parse_huge_page_policy(named);
    if (!parsed) {
      spdlog::warn(
          "TWINSCAN_HUGE_PAGES={} is not one of measured, always or never: huge pages are "
          "asked for where they measure cheaper",
          named);
    }
    return parsed.value_or(HugePagePolicy::kMeasured);
  }();
  return policy;
}

HugePagePolicy policy_now() {
  const int set = chosen_policy.load(std::memory_order_acquire);
  if (set >= 0) return static_cast<HugePagePolicy>(set);
  return policy_of_environment();
}

// The process's measured choice, made on first use and said once.
HugePageChoice& measured_choice() {
  static const FreshPageCosts costs = fresh_page_costs();
  static HugePageChoice choice(costs);
  static const bool said = [] {
    spdlog::debug(
        "a megabyte of fresh memory costs {:.2f} ms to touch first in 4 KiB pages, {:.2f} ms "
        "in huge pages: fresh memory {}",
        costs.small, costs.huge,
        choice.pays() ? "is asked for in huge pages" : "stays in 4 KiB pages");
    return true;
  }();
  (void)said;
  return choice;
}

// Milliseconds to write a byte to each 4 KiB page of `bytes` at `at`, never touched before.
double first_touch(char* at, std::size_t bytes) {
  volatile char* const written = at;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t offset = 0; offset < bytes; offset += kSmallPage) written[offset] = 1;
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  return took.count();
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
  return measured_choice().pays();
}

bool huge_pages_measured() {
  return policy_now() == HugePagePolicy::kMeasured;
}

void choose_huge_pages_from(FreshPageCosts costs) {
  measured_choice().reset(costs);
}

bool note_huge_page_cost(double ms_per_megabyte) {
  HugePageChoice& choice = measured_choice();
  const bool paid = choice.pays();
  const bool pays = choice.note_huge_page(ms_per_megabyte);
  if (paid && !pays) {
    spdlog::debug(
        "a huge page cost {:.2f} ms a megabyte to touch first, more than 4 KiB pages did "
        "({:.2f} ms): fresh memory is asked for in 4 KiB pages from here on",
        ms_per_megabyte, choice.small_cost());
  }
  return pays;
}

double huge_page_cost(std::size_t pages, double small,
                      const std::function<double(std::size_t)>& cost_of) {
  double total = 0;
  for (std::size_t page = 0; page < pages; ++page) {
    const double cost = cost_of(page);
    if (cost > small) return cost;
    total += cost;
  }
  return pages > 0 ? total / static_cast<double>(pages) : std::numeric_limits<double>::infinity();
}

FreshPageCosts fresh_page_costs() {
  FreshPageCosts out;
  // A probe that cannot be mapped counts as dear, and leaves the other kind chosen.
  out.huge = std::numeric_limits<double>::infinity();
  out.small = std::numeric_limits<double>::infinity();
  // 4 KiB pages first, the measure each huge page is held to. (They come from pieces of
  // free memory that huge pages do not use, and do not change what those find.)
  void* small =
      ::mmap(nullptr, kSmallProbe, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (small != MAP_FAILED) {
#ifdef MADV_NOHUGEPAGE
    ::madvise(small, kSmallProbe, MADV_NOHUGEPAGE);
#endif
    out.small = first_touch(static_cast<char*>(small), kSmallProbe) / (kSmallProbe / kMegabyte);
    ::munmap(small, kSmallProbe);
  }
  void* reserved = ::mmap(nullptr, kHugeProbe + kHugePage, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (reserved != MAP_FAILED) {
    const auto address = reinterpret_cast<std::uintptr_t>(reserved);
    const std::size_t head = (kHugePage - address % kHugePage) % kHugePage;
    char* const aligned = static_cast<char*>(reserved) + head;
#ifdef MADV_HUGEPAGE
    ::madvise(aligned, kHugeProbe, MADV_HUGEPAGE);
#endif
    // Page by page, as the blocks' check does later: the first huge page dearer than 4 KiB
    // pages decides, and the rest are not touched. Where the host must back each huge page
    // afresh (a machine idle for some seconds), all eight took 6 to 52 ms of a screening
    // that takes about 150 ms on a snapshot of a million entities; the first alone, 2 or 3.
    constexpr double kPageMegabytes = kHugePage / kMegabyte;
    out.huge = huge_page_cost(kHugeProbe / kHugePage, out.small, [&](std::size_t page) {
      return first_touch(aligned + page * kHugePage, kHugePage) / kPageMegabytes;
    });
    ::munmap(reserved, kHugeProbe + kHugePage);
  }
  return out;
}

}  // namespace twinscan::util
