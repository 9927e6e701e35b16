// Whether fresh memory is worth asking for in huge pages, decided from what a first touch
// of fresh memory costs on this machine now. On a virtual machine whose host takes back
// the memory the guest frees, that cost swings by the minute: on the machine of
// docs/performance.md a 4 KiB page touched first has cost 1.5 µs at one time and 12 µs at
// another, and huge pages 1 to 3 ms each whenever the host had taken back the blocks they
// come from. Huge pages paid where 4 KiB pages cost 12 µs; where those cost 2 µs, huge
// pages made a load of a national registry half as long again. So the choice is measured,
// once per process, rather than fixed.
#pragma once

#include <optional>
#include <string_view>

namespace twinscan::util {

/// How advise_huge_pages() (util/huge_pages.h) decides.
enum class HugePagePolicy {
  kMeasured,  ///< From fresh_page_cost() against kHugePagesPayFromMicroseconds.
  kAlways,    ///< Always advise huge pages.
  kNever,     ///< Never: 4 KiB pages throughout.
};

/// A 4 KiB page costing more than this to touch first makes huge pages pay: between the
/// two states measured (1.5–2 µs and 12 µs), and about what a huge page cost, page for
/// page, when the host had taken its block back (2 MiB in 1–3 ms: 4–12 µs per 4 KiB).
inline constexpr double kHugePagesPayFromMicroseconds = 4.5;

/// The policy named by `text` ("measured", "always" or "never"), or none.
[[nodiscard]] std::optional<HugePagePolicy> parse_huge_page_policy(std::string_view text);

/// Sets the policy for the rest of the process (the environment's TWINSCAN_HUGE_PAGES
/// otherwise, "measured" when it is unset or unknown). Call before any thread asks.
void set_huge_page_policy(HugePagePolicy policy);

/// Whether to ask for huge pages: by the policy, measured on the first call that needs
/// it and remembered. Thread-safe.
[[nodiscard]] bool huge_pages_pay();

/// Microseconds that a fresh 4 KiB page costs to touch first, on average over 8 MiB mapped
/// for it and unmapped after (which the process soon faults in again, as the kernel hands
/// recently freed pages out first).
[[nodiscard]] double fresh_page_cost();

}  // namespace twinscan::util
