#pragma once

#include <array>
#include <cstdint>

namespace twinscan::gen {

/// splitmix64's finaliser: a bijective mix of 64 bits.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// The seed of the random stream of item `index` of stream family `tag` under the
/// run's `seed`. Streams are independent of one another, so an entity's content does
/// not depend on what was generated before it or on how the output is split.
constexpr std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t tag, std::uint64_t index) {
  return mix64(mix64(seed ^ (tag * 0xD1B54A32D192ED03ULL)) + index * 0x9E3779B97F4A7C15ULL);
}

/// A small deterministic PRNG (splitmix64). Every draw uses integer arithmetic or
/// exact IEEE double operations only, so output is the same on every platform and
/// library version (unlike std::uniform_*_distribution).
class Rng {
 public:
  explicit constexpr Rng(std::uint64_t state) : state_(state) {}
  Rng(std::uint64_t seed, std::uint64_t tag, std::uint64_t index)
      : state_(stream_seed(seed, tag, index)) {}

  constexpr std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return mix64(state_);
  }
  /// Uniform in [0, n); n must be below 2^32. Returns 0 for n == 0.
  constexpr std::uint32_t below(std::uint64_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }
  /// Uniform in [lo, hi], inclusive.
  constexpr std::int64_t range(std::int64_t lo, std::int64_t hi) {
    return lo + below(static_cast<std::uint64_t>(hi - lo + 1));
  }
  /// Uniform in [0, 1).
  constexpr double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// True with probability p.
  constexpr bool chance(double p) { return unit() < p; }
  /// An index drawn with the given integer weights.
  template <std::size_t N>
  constexpr std::size_t weighted(const std::array<std::uint32_t, N>& weights) {
    std::uint64_t total = 0;
    for (auto w : weights) total += w;
    std::uint64_t r = below(total);
    for (std::size_t i = 0; i < N; ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return N - 1;
  }
  /// Uniform in [0, n) skewed towards small values (P(k) falls like log(n/k)), for
  /// picking among municipalities so that a few large ones hold many projects.
  constexpr std::uint32_t skewed(std::uint64_t n) { return below(below(n) + 1ULL); }

 private:
  std::uint64_t state_;
};

/// True for one item in every block of `per_block` consecutive indices: the block's
/// item is drawn from stream family `tag`, keyed by the block's number. Used for the
/// rare record errors of a registry, so that their number is close to n / per_block at
/// every size (independent draws would leave small registries without any), while
/// each item's answer still depends only on the seed and its index.
inline bool one_per_block(std::uint64_t seed, std::uint64_t tag, std::uint64_t index,
                          std::uint32_t per_block) {
  Rng rng(seed, tag, index / per_block);
  return rng.below(per_block) == index % per_block;
}

}  // namespace twinscan::gen
