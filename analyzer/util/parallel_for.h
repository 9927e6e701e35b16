#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace twinscan::util {

/// Reports (items done, items in all); called from the calling thread only.
using Progress = std::function<void(std::size_t, std::size_t)>;

/// Runs `work(i)` for every i in [0, count) on up to `jobs` threads, the calling thread
/// among them, taking the items in index order. Results are deterministic when `work`
/// writes only to the place of its own index: which thread ran an item never shows.
///
/// An exception thrown by an item does not end the process (as it would thrown out of a
/// thread): every item still runs, then the exception of the lowest index is rethrown to
/// the caller, so the same fault is reported whatever the number of threads.
///
/// With `progress` given, it is called after each item on one thread, or, on several,
/// about every 100 ms from the calling thread, which then only watches.
template <typename Work>
void parallel_for(std::size_t count, unsigned jobs, Work&& work, const Progress& progress = {}) {
  if (count == 0) return;
  std::vector<std::exception_ptr> faults(count);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  auto run_one = [&](std::size_t i) {
    try {
      work(i);
    } catch (...) {
      faults[i] = std::current_exception();
    }
    done.fetch_add(1);
  };
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < count;) run_one(i);
  };
  const unsigned threads_wanted =
      std::max(1U, static_cast<unsigned>(std::min<std::size_t>(jobs, count)));
  std::vector<std::thread> threads;
  threads.reserve(threads_wanted);
  for (unsigned t = 1; t < threads_wanted; ++t) threads.emplace_back(worker);
  if (progress && threads_wanted > 1) {
    // The calling thread reports progress while the others work.
    threads.emplace_back(worker);
    while (done.load() < count) {
      progress(done.load(), count);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  } else if (progress) {
    for (std::size_t i; (i = next.fetch_add(1)) < count;) {
      run_one(i);
      progress(done.load(), count);
    }
  } else {
    worker();
  }
  for (auto& t : threads) t.join();
  for (const auto& fault : faults) {
    if (fault) std::rethrow_exception(fault);
  }
}

}  // namespace twinscan::util
