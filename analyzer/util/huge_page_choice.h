// Whether fresh memory is worth asking for in huge pages, decided from what a first touch
// of fresh memory costs on this machine now. On a virtual machine whose host takes back
// the memory the guest frees, that cost swings by the minute: on the machine of
// docs/performance.md a megabyte of 4 KiB pages touched first has cost 0.4 ms at one time
// and 3 ms at another, and a megabyte of huge pages 0.1 ms right after another process
// freed its memory, 2–3 ms once the host had taken it back. So the choice is measured,
// once per process, rather than fixed.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

namespace twinscan::util {

/// How advise_huge_pages() (util/huge_pages.h) decides.
enum class HugePagePolicy {
  kMeasured,  ///< From fresh_page_costs(): huge pages when they cost less.
  kAlways,    ///< Always advise huge pages.
  kNever,     ///< Never: 4 KiB pages throughout.
};

/// The policy named by `text` ("measured", "always" or "never"), or none.
[[nodiscard]] std::optional<HugePagePolicy> parse_huge_page_policy(std::string_view text);

/// Sets the policy for the rest of the process (the environment's TWINSCAN_HUGE_PAGES
/// otherwise, "measured" when it is unset or unknown). Call before any thread asks.
void set_huge_page_policy(HugePagePolicy policy);

/// Whether to ask for huge pages: by the policy, measured on the first call that needs
/// it (HugePageChoice) and kept up to date by note_huge_page_cost(). Thread-safe.
[[nodiscard]] bool huge_pages_pay();

/// Whether huge pages are chosen by measure (the policy is kMeasured), so that
/// advise_huge_pages() times the first huge page of each large block for
/// note_huge_page_cost().
[[nodiscard]] bool huge_pages_measured();

/// Tells the measured choice what a huge page cost to touch first, in milliseconds a
/// megabyte (the first of a large block, faulted in as the block is advised); false
/// when huge pages pay no more (HugePageChoice::note_huge_page). Thread-safe.
bool note_huge_page_cost(double ms_per_megabyte);

/// What a megabyte of fresh memory costs to touch first, in milliseconds, in each kind of
/// page (infinite when its probe could not be mapped). Where the system gives no huge
/// pages, both measure 4 KiB pages, and either choice is the same.
struct FreshPageCosts {
  double small = 0;  ///< In 4 KiB pages: 8 MiB, 2,048 faults.
  /// In huge pages: 16 MiB, eight faults, or the first of them that cost more than 4 KiB
  /// pages did.
  double huge = 0;
};

/// The measured choice. Eight huge pages first touched cost little whenever the host
/// still backs a few blocks the guest freed, though the next hundreds of megabytes cost
/// twenty times as much: so the choice of huge pages stands only while the huge pages of
/// the process's large blocks, as they come, cost less than 4 KiB pages did.
class HugePageChoice {
 public:
  explicit HugePageChoice(FreshPageCosts costs) { reset(costs); }

  /// Chooses again, from `costs`.
  void reset(FreshPageCosts costs) {
    small_.store(costs.small, std::memory_order_relaxed);
    pays_.store(costs.huge < costs.small, std::memory_order_relaxed);
  }

  [[nodiscard]] bool pays() const { return pays_.load(std::memory_order_relaxed); }

  /// A huge page that cost `ms_per_megabyte` to touch first: one that cost more than 4 KiB
  /// pages ends the choice of huge pages for good (the host's memory does not come back
  /// within a process's life as often as it goes). Returns pays() after it.
  bool note_huge_page(double ms_per_megabyte) {
    if (ms_per_megabyte > small_cost()) pays_.store(false, std::memory_order_relaxed);
    return pays();
  }

  /// What a megabyte of 4 KiB pages cost when measured.
  [[nodiscard]] double small_cost() const { return small_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> small_{0};
  std::atomic<bool> pays_{false};
};

/// Makes the process's measured choice from `costs`, as if it had measured them: a test's
/// way to a machine whose huge pages measure cheap and then cost more than 4 KiB pages.
void choose_huge_pages_from(FreshPageCosts costs);

/// The measure of a probe's huge pages, touched one by one (`cost_of(i)`: what page i
/// cost a megabyte, for i < `pages`): their mean, or the cost of the first that is dearer
/// than `small` (the 4 KiB pages' cost), where the probe stops. Infinite for no page.
double huge_page_cost(std::size_t pages, double small,
                      const std::function<double(std::size_t)>& cost_of);

/// Measures FreshPageCosts on blocks mapped for it and unmapped after (their pages go back
/// to the kernel, which hands recently freed pages out first: the process soon uses them
/// again). Up to eight huge pages, not one: a guest keeps a block or two that its host has
/// not taken back, so the first huge page of a process is fast whatever the rest cost. The
/// first that costs more than 4 KiB pages ends the probe (and is its measure).
[[nodiscard]] FreshPageCosts fresh_page_costs();

}  // namespace twinscan::util
