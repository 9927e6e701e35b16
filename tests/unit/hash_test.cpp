#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzer/util/hash.h"

using twinscan::util::Fnv1a64;
using twinscan::util::hash_bytes;
using twinscan::util::hash_words;
using namespace std::string_view_literals;

// Snapshots store these values (the string table, the checksum): a change here is a
// change of the snapshot format, and the format version must be bumped with it.
TEST_CASE("hash: gives wyhash's published values", "[hash]") {
  CHECK(hash_bytes(""sv, 0) == 0x93228a4de0eec5a2ULL);
  CHECK(hash_bytes("a"sv, 1) == 0xc5bac3db178713c4ULL);
  CHECK(hash_bytes("abc"sv, 2) == 0xa97f2f7b1d9b3314ULL);
  CHECK(hash_bytes("message digest"sv, 3) == 0x786d1f1df3801df4ULL);
  CHECK(hash_bytes("abcdefghijklmnopqrstuvwxyz"sv, 4) == 0xdca5a8138ad37c87ULL);
  CHECK(hash_bytes("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"sv, 5) ==
        0xb9e734f117cfaf70ULL);
  CHECK(hash_bytes("1234567890123456789012345678901234567890123456789012345678901234567890"
                   "1234567890"sv,
                   6) == 0x6cc5eab49a92d617ULL);
}

TEST_CASE("hash: every length and every byte counts", "[hash]") {
  // Lengths 0 to 100 cross each path (up to 3, 4 to 16, 17 to 47, 48 and more); a
  // change of one byte anywhere, or of the length, gives another hash.
  std::string text;
  std::set<std::uint64_t> seen;
  for (int n = 0; n <= 100; ++n) {
    CHECK(seen.insert(hash_bytes(text)).second);
    for (std::size_t i = 0; i < text.size(); ++i) {
      std::string changed = text;
      changed[i] = static_cast<char>(changed[i] ^ 1);
      CHECK(hash_bytes(changed) != hash_bytes(text));
    }
    text += static_cast<char>('a' + n % 26);
  }
}

TEST_CASE("hash: integer sequences hash as their bytes, in order", "[hash]") {
  const std::vector<std::uint32_t> ab = {7, 9}, ba = {9, 7};
  CHECK(hash_words(std::span<const std::uint32_t>(ab)) == hash_bytes(ab.data(), 8));
  CHECK(hash_words(std::span<const std::uint32_t>(ab)) !=
        hash_words(std::span<const std::uint32_t>(ba)));
  std::unordered_map<std::vector<std::uint32_t>, int, twinscan::util::WordsHash> map;
  map[ab] = 1;
  map[ba] = 2;
  CHECK(map.at({7, 9}) == 1);
  CHECK(map.at({9, 7}) == 2);
}

TEST_CASE("hash: the transparent string hash finds a std::string by a view", "[hash]") {
  std::unordered_map<std::string, int, twinscan::util::StringHash, std::equal_to<>> map;
  map["firm:000001"] = 3;
  CHECK(map.find(std::string_view("firm:000001")) != map.end());
  CHECK(map.find(std::string_view("firm:000002")) == map.end());
}

TEST_CASE("hash: FNV-1a keeps its published values", "[hash]") {
  // Findings' fingerprints are FNV-1a; users keep them, so they must never change.
  CHECK(Fnv1a64().value() == 0xcbf29ce484222325ULL);
  Fnv1a64 a;
  a.add("a");
  CHECK(a.value() == 0xaf63dc4c8601ec8cULL);
  Fnv1a64 foobar;
  foobar.add("foobar");
  CHECK(foobar.value() == 0x85944171f73967e8ULL);
}
