// util::HandOff: items reach the consumer in order, no more than `in_flight` wait, items
// given back are filled again, and either side's stop reaches the other.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/util/hand_off.h"

using twinscan::util::HandOff;

namespace {

struct Item {
  int value = -1;
};

}  // namespace

TEST_CASE("a hand-off gives the items in order, few waiting, and fills returned ones again") {
  constexpr int kItems = 2000;
  HandOff<Item> hand_off(3);
  std::atomic<int> put{0}, taken{0};
  std::atomic<int> most_ahead{0};
  std::set<const Item*> distinct;  // the producer's only
  std::thread producer([&] {
    for (int i = 0; i < kItems; ++i) {
      std::unique_ptr<Item> item = hand_off.to_fill();
      if (!item) break;  // never: no one stops it (checked by the count below)
      distinct.insert(item.get());
      item->value = i;
      hand_off.put(std::move(item));
      const int ahead = ++put - taken.load();
      if (ahead > most_ahead) most_ahead = ahead;
    }
    hand_off.finish(true);
  });
  std::vector<int> seen;
  while (std::unique_ptr<Item> item = hand_off.take()) {
    ++taken;
    seen.push_back(item->value);
    if (seen.size() % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
    hand_off.give_back(std::move(item));
  }
  producer.join();
  REQUIRE(seen.size() == kItems);
  for (int i = 0; i < kItems; ++i) REQUIRE(seen[i] == i);
  CHECK(hand_off.succeeded());
  // Three waiting, one being filled, one being read: the producer never runs further
  // ahead, and so never needs more than five items.
  CHECK(most_ahead <= 4);
  CHECK(distinct.size() <= 5);
}

TEST_CASE("a hand-off that failed gives nothing more, and rethrows what stopped it") {
  SECTION("failed without an exception: what waits is not taken") {
    HandOff<Item> hand_off(4);
    hand_off.put(hand_off.to_fill());
    hand_off.put(hand_off.to_fill());
    hand_off.finish(false);
    CHECK(hand_off.take() == nullptr);
    CHECK_FALSE(hand_off.succeeded());
  }
  SECTION("failed with an exception") {
    HandOff<Item> hand_off(4);
    hand_off.put(hand_off.to_fill());
    try {
      throw std::runtime_error("no memory");
    } catch (...) {
      hand_off.finish(false, std::current_exception());
    }
    CHECK_THROWS_WITH(hand_off.take(), "no memory");
  }
  SECTION("finished: what waits is still taken") {
    HandOff<Item> hand_off(4);
    auto item = hand_off.to_fill();
    item->value = 9;
    hand_off.put(std::move(item));
    hand_off.finish(true);
    auto first = hand_off.take();
    REQUIRE(first);
    CHECK(first->value == 9);
    CHECK(hand_off.take() == nullptr);
    CHECK(hand_off.succeeded());
  }
}

TEST_CASE("a consumer's stop wakes a producer waiting for room") {
  HandOff<Item> hand_off(1);
  hand_off.put(hand_off.to_fill());  // full: the next to_fill() waits
  std::atomic<bool> woke_empty{false};
  std::thread producer([&] { woke_empty = hand_off.to_fill() == nullptr; });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  hand_off.stop();
  producer.join();
  CHECK(woke_empty);
}

TEST_CASE("a hand-off lent items fills those first, and gives back every item it holds") {
  HandOff<Item> hand_off(4);
  std::vector<std::unique_ptr<Item>> lent;
  std::set<const Item*> lent_addresses;
  for (int i = 0; i < 3; ++i) {
    lent.push_back(std::make_unique<Item>());
    lent_addresses.insert(lent.back().get());
    hand_off.give_back(std::move(lent.back()));
  }
  // The producer fills the three lent items before it makes one.
  std::set<const Item*> filled;
  for (int i = 0; i < 4; ++i) {
    std::unique_ptr<Item> item = hand_off.to_fill();
    REQUIRE(item);
    item->value = i;
    filled.insert(item.get());
    hand_off.put(std::move(item));
  }
  int lent_filled = 0;
  for (const Item* item : filled) lent_filled += lent_addresses.count(item) ? 1 : 0;
  CHECK(lent_filled == 3);
  hand_off.finish(true);
  // The consumer takes one and gives it back; three still wait, filled.
  std::unique_ptr<Item> first = hand_off.take();
  REQUIRE(first);
  CHECK(first->value == 0);
  hand_off.give_back(std::move(first));
  std::vector<std::unique_ptr<Item>> drained = hand_off.drain();
  std::set<const Item*> drained_addresses;
  for (const auto& item : drained) drained_addresses.insert(item.get());
  CHECK(drained_addresses == filled);  // all four, each once
  CHECK(drained.size() == 4);
  // Nothing is left to take, or to drain.
  CHECK(hand_off.take() == nullptr);
  CHECK(hand_off.drain().empty());
}
