// query::HeldShares: the share each holding gives, kept by relation for a scan; every
// number a document can hold comes back bit for bit, and "no share" is told apart from
// "not read yet".
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

#include "analyzer/query/held_shares.h"

using twinscan::query::HeldShares;

TEST_CASE("A kept share comes back exactly, and no share is not an unread holding",
          "[query][effective_share]") {
  HeldShares kept(100);
  std::optional<double> share = 0.7;
  CHECK_FALSE(kept.find(3, share));
  CHECK(share == 0.7);  // left as it was

  const std::vector<double> values = {0.0,
                                      -0.0,
                                      0.5,
                                      1.0,
                                      0.1 + 0.2,
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::max(),
                                      -0.25};
  for (std::size_t i = 0; i < values.size(); ++i) {
    kept.keep(static_cast<std::uint32_t>(i), values[i]);
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    INFO(values[i]);
    REQUIRE(kept.find(static_cast<std::uint32_t>(i), share));
    REQUIRE(share.has_value());
    CHECK(*share == values[i]);
    CHECK(std::signbit(*share) == std::signbit(values[i]));
  }

  kept.keep(50, std::nullopt);
  share = 0.7;
  REQUIRE(kept.find(50, share));
  CHECK_FALSE(share.has_value());
  CHECK_FALSE(kept.find(51, share));

  // Past the relations it was made for: nothing kept, nothing found.
  kept.keep(100, 0.5);
  CHECK_FALSE(kept.find(100, share));
}

TEST_CASE("Holdings kept by two threads at once are each found with their own share",
          "[query][effective_share]") {
  constexpr std::uint32_t kRelations = 1U << 20;  // mapped from the kernel, 8 MiB
  HeldShares kept(kRelations);
  const auto share_of = [](std::uint32_t r) -> std::optional<double> {
    if (r % 7 == 0) return std::nullopt;
    return static_cast<double>(r % 1000) / 1000.0;
  };
  // Both threads keep every relation (as two rules reading the same holdings do).
  const auto keep_all = [&] {
    for (std::uint32_t r = 0; r < kRelations; ++r) kept.keep(r, share_of(r));
  };
  std::thread other(keep_all);
  keep_all();
  other.join();
  std::size_t wrong = 0;
  for (std::uint32_t r = 0; r < kRelations; ++r) {
    std::optional<double> share;
    if (!kept.find(r, share) || share != share_of(r)) ++wrong;
  }
  CHECK(wrong == 0);
}
