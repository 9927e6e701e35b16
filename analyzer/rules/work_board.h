#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace twinscan::rules {

/// Where a rule that has work to split (the start candidates of its search, the binding
/// sets of its findings) offers it to the scan's threads that have no rule left to run.
///
/// The work is cut into numbered chunks. The thread that offers it takes chunks too,
/// and returns once every chunk is done, so the work never waits for a helper. Which
/// thread ran a chunk must never show: each chunk writes only to its own place.
class WorkBoard {
 public:
  /// A participant's chunk runner: made once per thread that joins (so that it can keep
  /// state of its own, an executor say), then called with each chunk the thread takes.
  using Participant = std::function<void(std::size_t chunk)>;
  using MakeParticipant = std::function<Participant()>;

  /// Runs every chunk of [0, chunks) on the calling thread and on the threads that
  /// help(). A chunk that throws stops the handing out of chunks; the exception of the
  /// lowest such chunk is rethrown once every running chunk has ended.
  void share(std::size_t chunks, const MakeParticipant& make);

  /// Takes chunks of work offered by share() until `finished()` holds. The caller has
  /// nothing else to do; it must call wake() whenever `finished()` may have changed.
  void help(const std::function<bool()>& finished);

  /// Wakes the helpers (work offered, or a rule ended).
  void wake();

  /// Chunks run by threads other than the one that offered them (for tests).
  [[nodiscard]] std::size_t helped() const { return helped_.load(); }

 private:
  struct Offer {
    std::size_t chunks = 0;
    const MakeParticipant* make = nullptr;
    std::atomic<std::size_t> next{0};
    std::size_t active = 0;  ///< Threads in it, guarded by the board's mutex.
    std::mutex fault_mutex;
    std::size_t fault_chunk = 0;
    std::exception_ptr fault;
    std::condition_variable left;  ///< A helper left it.
  };
  /// Runs chunks of `offer` until none is left (or one threw), counting them in `count`.
  static void take_chunks(Offer& offer, const Participant& run, std::atomic<std::size_t>* count);

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Offer*> offers_;
  std::atomic<std::size_t> helped_{0};
};

/// Threads that help() a board until destroyed: what a caller that runs one rule by
/// itself (a test, a command on one rule) lends the rule.
class HelperThreads {
 public:
  HelperThreads(WorkBoard& board, unsigned count);
  HelperThreads(const HelperThreads&) = delete;
  HelperThreads& operator=(const HelperThreads&) = delete;
  ~HelperThreads();

 private:
  WorkBoard& board_;
  std::atomic<bool> over_{false};
  std::vector<std::thread> threads_;
};

}  // namespace twinscan::rules
