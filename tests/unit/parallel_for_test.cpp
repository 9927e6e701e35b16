// util::parallel_for: every item runs once, results sit at their index whatever the
// number of threads, and a fault is carried to the caller, the lowest index first.
#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzer/util/parallel_for.h"

using twinscan::util::parallel_for;

TEST_CASE("parallel_for runs every item once, its result at its index") {
  for (unsigned jobs : {1U, 3U, 16U}) {
    std::vector<int> out(100, -1);
    std::atomic<int> runs{0};
    parallel_for(out.size(), jobs, [&](std::size_t i) {
      out[i] = static_cast<int>(i * i);
      ++runs;
    });
    CHECK(runs == 100);
    for (std::size_t i = 0; i < out.size(); ++i) CHECK(out[i] == static_cast<int>(i * i));
  }
}

TEST_CASE("parallel_for carries the fault of the lowest index to the caller") {
  for (unsigned jobs : {1U, 4U}) {
    std::atomic<int> runs{0};
    try {
      parallel_for(50, jobs, [&](std::size_t i) {
        ++runs;
        if (i == 7 || i == 30) throw std::runtime_error("item " + std::to_string(i));
      });
      FAIL("no exception");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "item 7");
    }
    CHECK(runs == 50);  // the other items still ran
  }
}

TEST_CASE("parallel_for reports progress from the calling thread") {
  std::size_t last = 0;
  parallel_for(
      5, 1, [](std::size_t) {},
      [&](std::size_t done, std::size_t total) {
        CHECK(total == 5);
        last = done;
      });
  CHECK(last == 5);
  parallel_for(0, 4, [](std::size_t) { FAIL("no item"); });
}
