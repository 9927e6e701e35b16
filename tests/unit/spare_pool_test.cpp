// util::SparePool: objects given back are taken again (with what they held), new ones are
// made only when none is spare, and threads taking and giving back lose none.
#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/util/spare_pool.h"

using twinscan::util::SparePool;

TEST_CASE("a spare pool gives back the object returned last, and makes one only when empty") {
  SparePool<std::string> pool;
  int made = 0;
  const auto make = [&made] {
    ++made;
    return std::make_unique<std::string>("new");
  };
  std::unique_ptr<std::string> first = pool.take(make);
  std::unique_ptr<std::string> second = pool.take(make);
  CHECK(made == 2);
  first->assign("first, grown");
  const std::string* first_address = first.get();
  pool.give_back(std::move(first));
  pool.give_back(std::move(second));
  CHECK(pool.spare() == 2);
  // The last given back comes first; the other keeps what it held.
  std::unique_ptr<std::string> again = pool.take(make);
  CHECK(*again == "new");
  std::unique_ptr<std::string> kept = pool.take(make);
  CHECK(kept.get() == first_address);
  CHECK(*kept == "first, grown");
  CHECK(made == 2);
  CHECK(pool.spare() == 0);
}

TEST_CASE("a spare pool's lease gives its object back when it ends") {
  SparePool<std::vector<int>> pool;
  int made = 0;
  const auto make = [&made] {
    ++made;
    return std::make_unique<std::vector<int>>();
  };
  const std::vector<int>* leased = nullptr;
  {
    const auto lease = pool.lease(make);
    lease->assign(1000, 7);
    leased = &*lease;
    CHECK(pool.spare() == 0);
  }
  CHECK(pool.spare() == 1);
  const auto lease = pool.lease(make);
  CHECK(&*lease == leased);
  CHECK(lease->size() == 1000);
  CHECK(made == 1);
}

TEST_CASE("threads taking from and giving back to one spare pool lose no object") {
  SparePool<int> pool;
  constexpr int kThreads = 4;
  constexpr int kRounds = 5000;
  std::vector<std::vector<const int*>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&pool, &seen, t] {
      for (int i = 0; i < kRounds; ++i) {
        std::unique_ptr<int> object = pool.take([] { return std::make_unique<int>(0); });
        ++*object;
        seen[static_cast<std::size_t>(t)].push_back(object.get());
        pool.give_back(std::move(object));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  // At most one object per thread was ever made, and every one is back in the pool with
  // each round counted once.
  std::set<const int*> distinct;
  for (const auto& addresses : seen) distinct.insert(addresses.begin(), addresses.end());
  CHECK(distinct.size() <= static_cast<std::size_t>(kThreads));
  CHECK(pool.spare() == distinct.size());
  int rounds = 0;
  std::vector<std::unique_ptr<int>> back;
  while (pool.spare() > 0) {
    back.push_back(pool.take([] { return std::make_unique<int>(0); }));
    rounds += *back.back();
  }
  CHECK(rounds == kThreads * kRounds);
}
