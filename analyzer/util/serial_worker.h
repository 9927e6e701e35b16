#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>

namespace twinscan::util {

/// One thread that runs the tasks given to it, in the order given, each answered by a
/// future: for work done one step ahead of a loop (the next document read while this one
/// is added). std::async would start and end a thread per task; a folder of 20,000 small
/// documents then spent more time making threads, and giving back their stacks and
/// allocator caches, than reading.
///
/// Where no thread can be had (a system limit), each task runs on the calling thread when
/// given, so the answers are the same, only not ahead. The destructor runs what is still
/// queued and waits for it: tasks may refer to what their caller holds, so declare the
/// worker after it.
class SerialWorker {
 public:
  SerialWorker() {
    try {
      thread_ = std::thread([this] { serve(); });
    } catch (const std::system_error&) {
      // Tasks run when given (run() sees no thread).
    }
  }
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;
  ~SerialWorker() {
    if (!thread_.joinable()) return;
    {
      const std::lock_guard lock(mutex_);
      closing_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  /// Queues `task`; its result, or what it threw, comes through the future.
  template <typename Task>
  std::future<std::invoke_result_t<Task&>> run(Task task) {
    std::packaged_task<std::invoke_result_t<Task&>()> packaged(std::move(task));
    auto answer = packaged.get_future();
    if (!thread_.joinable()) {
      packaged();
      return answer;
    }
    {
      const std::lock_guard lock(mutex_);
      queue_.emplace_back([p = std::move(packaged)]() mutable { p(); });
    }
    wake_.notify_one();
    return answer;
  }

 private:
  void serve() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and nothing left to run
      std::packaged_task<void()> task = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      task();  // a packaged task keeps what it throws for its future
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<void()>> queue_;
  bool closing_ = false;
  std::thread thread_;  // last: started once the members it uses are made
};

}  // namespace twinscan::util
