// util::SerialWorker: tasks run one after another, in the order given, on one thread of
// the worker's own; their results and failures come back through their futures; the
// worker's end waits for what is still queued.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "analyzer/util/serial_worker.h"

using twinscan::util::SerialWorker;

TEST_CASE("a serial worker runs its tasks in order on one thread of its own") {
  constexpr int kTasks = 500;
  std::vector<int> order;  // written by the worker's thread alone, one task at a time
  std::set<std::thread::id> threads;
  std::vector<std::future<int>> answers;
  {
    SerialWorker worker;
    for (int i = 0; i < kTasks; ++i) {
      answers.push_back(worker.run([i, &order, &threads] {
        order.push_back(i);
        threads.insert(std::this_thread::get_id());
        return i * i;
      }));
    }
    for (int i = 0; i < kTasks; ++i) CHECK(answers[static_cast<std::size_t>(i)].get() == i * i);
  }
  REQUIRE(order.size() == kTasks);
  for (int i = 0; i < kTasks; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
  REQUIRE(threads.size() == 1);
  CHECK(*threads.begin() != std::this_thread::get_id());
}

TEST_CASE("a serial worker gives a task's failure to its future and runs the next task") {
  SerialWorker worker;
  auto failing = worker.run([]() -> int { throw std::runtime_error("no such document"); });
  auto next = worker.run([] { return 7; });
  CHECK_THROWS_WITH(failing.get(), "no such document");
  CHECK(next.get() == 7);
}

TEST_CASE("a serial worker's end waits for the tasks still queued") {
  std::atomic<int> done{0};
  {
    SerialWorker worker;
    // The first task holds the thread while the others queue behind it.
    (void)worker.run([&done] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      done.fetch_add(1);
    });
    for (int i = 0; i < 20; ++i) (void)worker.run([&done] { done.fetch_add(1); });
  }
  CHECK(done.load() == 21);
}
