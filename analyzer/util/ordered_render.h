#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace twinscan::util {

/// Renders pieces 0 .. count-1 of a text on up to `jobs` threads and hands each to
/// `consume` on the calling thread, in index order, as soon as it and those before it
/// are ready: a report of a million findings is rendered on every core and written
/// while the rest is being rendered. At most `window` pieces are held at once, so
/// memory stays bounded whatever the count.
///
/// `render(i, text)` appends piece i to an empty `text`; `consume(text)` takes it.
/// With one job, or one piece, everything runs on the calling thread. An exception of a
/// render or of consume stops the threads and is rethrown (a render's once every piece
/// before it has been consumed, so that what was written is a prefix of the text).
template <typename Render, typename Consume>
void render_in_order(std::size_t count, unsigned jobs, std::size_t window, Render&& render,
                     Consume&& consume) {
  if (jobs <= 1 || count <= 1) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) {
      text.clear();
      render(i, text);
      consume(text);
    }
    return;
  }
  window = std::max<std::size_t>(window, 2);
  struct Slot {
    std::string text;
    std::size_t ready = 0;  ///< 1 + the index of the piece it holds once rendered
    std::exception_ptr fault;
  };
  std::vector<Slot> slots(window);
  std::mutex mutex;
  std::condition_variable rendered;  // a slot was filled
  std::condition_variable consumed;  // a slot was freed, or the work stopped
  std::size_t next = 0;              // the next piece to render
  std::size_t done = 0;              // pieces consumed
  bool stop = false;

  auto worker = [&] {
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lock(mutex);
        if (stop || next >= count) return;
        i = next++;
        consumed.wait(lock, [&] { return stop || i < done + window; });
        if (stop) return;
      }
      Slot& slot = slots[i % window];
      slot.text.clear();
      std::exception_ptr fault;
      try {
        render(i, slot.text);
      } catch (...) {
        fault = std::current_exception();
      }
      {
        std::lock_guard lock(mutex);
        slot.fault = fault;
        slot.ready = i + 1;
      }
      rendered.notify_all();
    }
  };
  const unsigned threads_wanted = static_cast<unsigned>(std::min<std::size_t>(jobs, count));
  std::vector<std::thread> threads;
  threads.reserve(threads_wanted);
  auto halt = [&] {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    consumed.notify_all();
    for (auto& t : threads) t.join();
  };
  try {
    for (unsigned t = 0; t < threads_wanted; ++t) threads.emplace_back(worker);
    for (std::size_t i = 0; i < count; ++i) {
      Slot& slot = slots[i % window];
      {
        std::unique_lock lock(mutex);
        rendered.wait(lock, [&] { return slot.ready == i + 1; });
      }
      if (slot.fault) std::rethrow_exception(slot.fault);
      consume(slot.text);
      {
        std::lock_guard lock(mutex);
        done = i + 1;
      }
      consumed.notify_all();
    }
  } catch (...) {
    halt();
    throw;
  }
  halt();
}

}  // namespace twinscan::util
