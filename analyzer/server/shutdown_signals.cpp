#include "analyzer/server/shutdown_signals.h"

#include <pthread.h>
#include <csignal>

namespace twinscan::server {
namespace {

sigset_t shutdown_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

ShutdownSignals::ShutdownSignals(std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)) {
  const sigset_t set = shutdown_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  waiter_ = std::thread([this] {
    const sigset_t wanted = shutdown_set();
    int signal = 0;
    if (sigwait(&wanted, &signal) != 0 || done_) return;
    received_ = signal;
    on_signal_(signal);
  });
}

ShutdownSignals::~ShutdownSignals() {
  if (waiter_.joinable()) {
    if (received_ == 0) {
      // Wake the waiter with a signal of its own; it sees done_ and returns.
      done_ = true;
      pthread_kill(waiter_.native_handle(), SIGTERM);
    }
    waiter_.join();
  }
}

}  // namespace twinscan::server
