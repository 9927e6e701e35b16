#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzer/util/string_pool.h"

using twinscan::util::StringPool;
using twinscan::util::Sym;

TEST_CASE("registry string pool: the empty string is symbol 0", "[registry]") {
  StringPool pool;
  CHECK(pool.size() == 1);
  CHECK(pool.str(0).empty());
  CHECK(pool.intern("") == 0);
  Sym found = 99;
  CHECK(pool.find("", found));
  CHECK(found == 0);
  CHECK(pool.size() == 1);
}

TEST_CASE("registry string pool: interning the same text twice gives the same symbol",
          "[registry]") {
  StringPool pool;
  const Sym a = pool.intern("mun:ashdod");
  const Sym b = pool.intern("city:wuhan");
  CHECK(a != 0);
  CHECK(b != 0);
  CHECK(a != b);
  CHECK(pool.intern("mun:ashdod") == a);
  CHECK(pool.intern(std::string("city:") + "wuhan") == b);
  CHECK(pool.str(a) == "mun:ashdod");
  CHECK(pool.str(b) == "city:wuhan");
  CHECK(pool.size() == 3);
}

TEST_CASE("registry string pool: interning distinguishes texts that differ slightly",
          "[registry]") {
  StringPool pool;
  const Sym lower = pool.intern("ashdod");
  const Sym upper = pool.intern("Ashdod");
  const Sym longer = pool.intern("ashdod ");
  const Sym with_nul = pool.intern(std::string_view("ashdod\0", 7));
  const Sym hebrew = pool.intern("אשדוד");
  CHECK(lower != upper);
  CHECK(lower != longer);
  CHECK(lower != with_nul);
  CHECK(pool.str(with_nul).size() == 7);
  CHECK(pool.str(hebrew) == "אשדוד");
  CHECK(pool.size() == 6);
}

TEST_CASE("registry string pool: find reports only interned texts", "[registry]") {
  StringPool pool;
  const Sym a = pool.intern("Firm");
  Sym out = 12345;
  CHECK(pool.find("Firm", out));
  CHECK(out == a);
  out = 12345;
  CHECK_FALSE(pool.find("firm", out));
  CHECK_FALSE(pool.find("Firm ", out));
  CHECK_FALSE(pool.find("Fir", out));
  CHECK(out == 12345);      // untouched on a miss
  CHECK(pool.size() == 2);  // find never adds
}

TEST_CASE("registry string pool: 100,000 strings survive the table's and the text's growth",
          "[registry]") {
  StringPool pool;
  constexpr int kCount = 100000;
  std::vector<Sym> syms;
  std::vector<std::string_view> views;
  syms.reserve(kCount);
  views.reserve(kCount);
  for (int i = 0; i < kCount; ++i) {
    // Varying lengths, some past the 8-byte hashing word and one longer than a chunk.
    std::string text =
        "entity:" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 23), 'x');
    if (i == 4242) text += std::string(100 * 1024, 'L');
    syms.push_back(pool.intern(text));
    views.push_back(pool.str(syms.back()));
  }
  CHECK(pool.size() == kCount + 1);

  int wrong_symbol = 0, moved_view = 0, wrong_text = 0, not_found = 0;
  for (int i = 0; i < kCount; ++i) {
    std::string text =
        "entity:" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 23), 'x');
    if (i == 4242) text += std::string(100 * 1024, 'L');
    if (syms[static_cast<std::size_t>(i)] != static_cast<Sym>(i + 1)) ++wrong_symbol;
    // Views taken right after interning still point at the same, unchanged bytes.
    if (views[static_cast<std::size_t>(i)].data() !=
        pool.str(syms[static_cast<std::size_t>(i)]).data()) {
      ++moved_view;
    }
    if (views[static_cast<std::size_t>(i)] != text) ++wrong_text;
    Sym found = 0;
    if (!pool.find(text, found) || found != syms[static_cast<std::size_t>(i)]) ++not_found;
    if (pool.intern(text) != syms[static_cast<std::size_t>(i)]) ++wrong_symbol;
  }
  CHECK(wrong_symbol == 0);
  CHECK(moved_view == 0);
  CHECK(wrong_text == 0);
  CHECK(not_found == 0);
  CHECK(pool.size() == kCount + 1);  // re-interning added nothing
  CHECK(pool.memory_bytes() > 100 * 1024);
}

TEST_CASE("registry string pool: a moved pool keeps its symbols and views", "[registry]") {
  StringPool pool;
  const Sym a = pool.intern("agr:ashdod-ndrc-2019");
  const std::string_view view = pool.str(a);
  StringPool moved(std::move(pool));
  CHECK(moved.str(a) == "agr:ashdod-ndrc-2019");
  CHECK(moved.str(a).data() == view.data());
  CHECK(moved.intern("agr:ashdod-ndrc-2019") == a);
}

// A reader that gives up on a document takes back what it interned (StringPool::truncate):
// the pool must then be the pool that never saw those texts, even across a growth of its
// hash table.
TEST_CASE("registry string pool: truncating to a mark forgets what came after it", "[registry]") {
  StringPool pool;
  StringPool untouched;
  for (int i = 0; i < 300; ++i) {
    pool.intern("kept-" + std::to_string(i));
    untouched.intern("kept-" + std::to_string(i));
  }
  const auto mark = pool.mark();
  for (int i = 0; i < 50'000; ++i) pool.intern("later-" + std::to_string(i));
  REQUIRE(pool.table().size() > untouched.table().size());  // the table grew
  pool.truncate(mark);
  CHECK(pool.size() == untouched.size());
  CHECK(pool.memory_bytes() == untouched.memory_bytes());
  REQUIRE(pool.table().size() == untouched.table().size());
  bool same_slots = true;
  for (std::size_t i = 0; i < pool.table().size(); ++i)
    same_slots = same_slots && pool.table()[i].sym == untouched.table()[i].sym;
  CHECK(same_slots);
  Sym s = 0;
  CHECK_FALSE(pool.find("later-7", s));
  REQUIRE(pool.find("kept-299", s));
  CHECK(pool.str(s) == "kept-299");
  CHECK(pool.intern("after") == untouched.intern("after"));
}

TEST_CASE(
    "registry string pool: a damaged borrowed table makes lookups miss, never loop or "
    "overrun",
    "[registry]") {
  // Three symbols ("", "alpha", "beta") over a table of 8 slots, as a snapshot maps them.
  const std::string text = "alphabeta";
  const std::uint64_t offsets[] = {0, 0, 5, 9};
  for (const bool full : {false, true}) {
    INFO((full ? "every slot filled" : "slots naming symbols the pool does not hold"));
    std::vector<StringPool::Slot> table(8, StringPool::Slot{StringPool::kEmptySlot, 0});
    if (full) {
      // No empty slot: a probe that only stopped at one would never end.
      for (std::size_t i = 0; i < table.size(); ++i)
        table[i] = {static_cast<Sym>(i % 3), static_cast<std::uint32_t>(i)};
    } else {
      // Symbols past the pool's three, with the tag of the text looked up below, on
      // every slot but one: were they read, their texts would lie past the offsets.
      const auto tag = static_cast<std::uint32_t>(StringPool::hash("gamma") >> 32);
      for (std::size_t i = 0; i < table.size() - 1; ++i) table[i] = {1000 + 7 * Sym(i), tag};
    }
    StringPool pool;
    REQUIRE(
        StringPool::borrow(text.data(), text.size(), offsets, 3, table.data(), table.size(), pool));
    Sym found = 0;
    CHECK_FALSE(pool.find("gamma", found));
    // A slot of the text's tag is taken on its tag alone only if it names a symbol.
    bool taken_on_tag = false;
    const Sym first = pool.intern_unchecked("gamma", StringPool::hash("gamma"), taken_on_tag);
    CHECK(first < pool.size());
    if (!taken_on_tag) CHECK(pool.str(first) == "gamma");
    // Interning still gives each text one symbol, its own or a new one (the texts the
    // damaged table lost are added again), and the pool reads them all back.
    const Sym gamma = pool.intern("gamma");
    CHECK(pool.str(gamma) == "gamma");
    CHECK(pool.intern("gamma") == gamma);
    REQUIRE(pool.find("gamma", found));
    CHECK(found == gamma);
    bool unchecked = false;
    const Sym delta = pool.intern_unchecked("delta", StringPool::hash("delta"), unchecked);
    if (!unchecked) CHECK(pool.str(delta) == "delta");
    CHECK(delta < pool.size());
    for (Sym s = 0; s < pool.size(); ++s) CHECK(pool.str(s).size() <= 5);
  }
}

TEST_CASE(
    "registry string pool: a borrowed table is placed afresh before it is truncated or "
    "stored",
    "[registry]") {
  // A table of 8 slots that lost every symbol: its slots name symbols past the pool's.
  const std::string text = "alphabeta";
  const std::uint64_t offsets[] = {0, 0, 5, 9};
  std::vector<StringPool::Slot> table(8, StringPool::Slot{StringPool::kEmptySlot, 0});
  for (std::size_t i = 0; i + 1 < table.size(); ++i) table[i] = {3 + Sym(i), 0};
  StringPool pool;
  REQUIRE(
      StringPool::borrow(text.data(), text.size(), offsets, 3, table.data(), table.size(), pool));
  CHECK(pool.table_borrowed());
  // What a snapshot written from the pool stores: each symbol once, where a lookup finds it.
  const auto placed = pool.placed_table();
  REQUIRE(placed.size() == table.size());
  std::size_t filled = 0;
  for (const auto& slot : placed) filled += slot.sym != StringPool::kEmptySlot ? 1 : 0;
  CHECK(filled == pool.size());
  // Truncating to a mark gives the pool as it was, every symbol found at its number: slots
  // of the damaged table that named no symbol before the mark are not taken for ones
  // added after it.
  const StringPool::Mark mark = pool.mark();
  pool.intern("gamma");
  pool.truncate(mark);
  CHECK(pool.size() == 3);
  CHECK_FALSE(pool.table_borrowed());
  Sym found = 0;
  CHECK_FALSE(pool.find("gamma", found));
  for (Sym s = 0; s < pool.size(); ++s) {
    REQUIRE(pool.find(pool.str(s), found));
    CHECK(found == s);
  }
}
