#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace twinscan::util {

/// The one hash of internal tables and checksums: 64 bits of bytes, by wyhash (final 4,
/// Wang Yi, public domain; the same values as its reference code with the default
/// secret): words are combined by 64×64→128-bit multiplications whose halves are folded
/// together, so every input bit reaches every output bit after two steps. It is among the fastest
/// hashes that pass SMHasher on short keys (our ids and names, 8 to 40 bytes, take two to four
/// multiplications) and runs at memory speed on long ones (three independent lanes over 48-byte
/// blocks: the snapshot checksum).
///
/// Values are stable across runs and platforms of one byte order, since snapshots
/// store them (the string pool's table, the checksum): changing this function changes
/// the snapshot format. It is not a cryptographic hash and must not be used where an
/// adversary chooses the keys and gains by collisions. Fingerprints that users keep
/// (baselines, suppressions) do not use it: they use fnv1a64 below, whose values
/// must never change.
[[nodiscard]] inline std::uint64_t hash_bytes(const void* data, std::size_t size,
                                              std::uint64_t seed = 0);

/// hash_bytes() of a string's bytes.
[[nodiscard]] inline std::uint64_t hash_bytes(std::string_view text, std::uint64_t seed = 0) {
  return hash_bytes(text.data(), text.size(), seed);
}

/// The hash of a sequence of integers (as their bytes in memory): e.g. the interned ids
/// a match binds.
template <typename Int>
[[nodiscard]] std::uint64_t hash_words(std::span<const Int> words, std::uint64_t seed = 0) {
  static_assert(std::is_integral_v<Int>);
  return hash_bytes(words.data(), words.size_bytes(), seed);
}

/// Two words mixed into one, e.g. to combine hashes in order.
[[nodiscard]] inline std::uint64_t hash_mix(std::uint64_t a, std::uint64_t b);

/// hash_bytes() as a function object for unordered containers keyed by strings; it is
/// transparent, so a std::string_view finds a std::string key without a copy (use it
/// with std::equal_to<>).
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return hash_bytes(text); }
};

/// hash_words() as a function object for unordered containers keyed by vectors of
/// integers (e.g. std::vector<Sym>).
struct WordsHash {
  template <typename Int>
  std::size_t operator()(const std::vector<Int>& words) const {
    return hash_words(std::span<const Int>(words));
  }
};

/// 64-bit FNV-1a, kept only for values users store (findings' fingerprints): its results
/// are part of the product and must stay the same. Feed bytes in order; value() is the
/// hash so far. Slower than hash_bytes() (one multiplication per byte): do not use it
/// for tables.
class Fnv1a64 {
 public:
  void add(std::string_view bytes) {
    for (char c : bytes) add_byte(static_cast<unsigned char>(c));
  }
  void add_byte(unsigned char byte) {
    value_ ^= byte;
    value_ *= kPrime;
  }
  [[nodiscard]] std::uint64_t value() const { return value_; }

 private:
  static constexpr std::uint64_t kOffsetBasis = 0xcbf29ce484222325ULL;
  static constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  std::uint64_t value_ = kOffsetBasis;
};

// ------------------------------------------------------------------------ implementation

namespace hash_detail {

// The four odd, balanced 64-bit constants of wyhash.
inline constexpr std::uint64_t kSecret[4] = {0x2d358dccaa6c78a5ULL, 0x8bb84b93962eacc9ULL,
                                             0x4b33a62ed433d4a3ULL, 0x4d5a2da51de1aa47ULL};

__extension__ typedef unsigned __int128 U128;  // GCC and Clang; __extension__: not ISO

// The 128-bit product of a and b, as (low, high).
inline void multiply(std::uint64_t& a, std::uint64_t& b) {
  const U128 r = static_cast<U128>(a) * b;
  a = static_cast<std::uint64_t>(r);
  b = static_cast<std::uint64_t>(r >> 64);
}

// The two halves of a×b folded into one word.
inline std::uint64_t fold(std::uint64_t a, std::uint64_t b) {
  multiply(a, b);
  return a ^ b;
}

inline std::uint64_t read8(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline std::uint64_t read4(const unsigned char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
// One to three bytes: the first, the middle and the last (overlapping when fewer).
inline std::uint64_t read_small(const unsigned char* p, std::size_t n) {
  return std::uint64_t{p[0]} << 16 | std::uint64_t{p[n >> 1]} << 8 | p[n - 1];
}

}  // namespace hash_detail

inline std::uint64_t hash_mix(std::uint64_t a, std::uint64_t b) {
  using hash_detail::kSecret;
  return hash_detail::fold(a ^ kSecret[0], b ^ kSecret[1]);
}

inline std::uint64_t hash_bytes(const void* data, std::size_t size, std::uint64_t seed) {
  using hash_detail::fold;
  using hash_detail::kSecret;
  using hash_detail::read4;
  using hash_detail::read8;
  const auto* p = static_cast<const unsigned char*>(data);
  seed ^= fold(seed ^ kSecret[0], kSecret[1]);
  std::uint64_t a = 0, b = 0;
  if (size <= 16) {
    if (size >= 4) {
      // Two overlapping pairs of 4-byte reads cover 4 to 16 bytes without a loop.
      const std::size_t shift = (size >> 3) << 2;
      a = read4(p) << 32 | read4(p + shift);
      b = read4(p + size - 4) << 32 | read4(p + size - 4 - shift);
    } else if (size > 0) {
      a = hash_detail::read_small(p, size);
    }
  } else {
    std::size_t i = size;
    if (i >= 48) {
      std::uint64_t lane1 = seed, lane2 = seed;
      do {
        seed = fold(read8(p) ^ kSecret[1], read8(p + 8) ^ seed);
        lane1 = fold(read8(p + 16) ^ kSecret[2], read8(p + 24) ^ lane1);
        lane2 = fold(read8(p + 32) ^ kSecret[3], read8(p + 40) ^ lane2);
        p += 48;
        i -= 48;
      } while (i >= 48);
      seed ^= lane1 ^ lane2;
    }
    while (i > 16) {
      seed = fold(read8(p) ^ kSecret[1], read8(p + 8) ^ seed);
      i -= 16;
      p += 16;
    }
    // The last 16 bytes, overlapping what was already read when fewer remain.
    a = read8(p + i - 16);
    b = read8(p + i - 8);
  }
  a ^= kSecret[1];
  b ^= seed;
  hash_detail::multiply(a, b);
  return fold(a ^ kSecret[0] ^ size, b ^ kSecret[1]);
}

}  // namespace twinscan::util
