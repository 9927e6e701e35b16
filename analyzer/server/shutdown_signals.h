#pragma once

#include <atomic>
#include <functional>
#include <thread>

/// Graceful shutdown: SIGTERM and SIGINT are blocked in every thread started after this
/// object and received by one thread of its own, which calls `on_signal` once.
namespace twinscan::server {

class ShutdownSignals {
 public:
  /// Blocks SIGTERM and SIGINT in the calling thread (so in every thread it starts later)
  /// and starts the thread that waits for them.
  explicit ShutdownSignals(std::function<void(int)> on_signal);
  /// Stops waiting (when no signal came) and joins the thread.
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  /// The signal received, or 0.
  [[nodiscard]] int received() const { return received_; }

 private:
  std::function<void(int)> on_signal_;
  std::thread waiter_;
  std::atomic<int> received_{0};
  std::atomic<bool> done_{false};
};

}  // namespace twinscan::server
