#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace twinscan::util {

/// Hands items filled on one thread (the producer) to another (the consumer), in order,
/// with at most `in_flight` filled items waiting between them: enough for either side to
/// run ahead over an uneven stretch, few enough for the items to stay in cache. Items the
/// consumer is done with come back to be filled again, so that their memory is used again
/// rather than faulted in afresh.
///
/// Either side can stop the other: the consumer with stop() (the producer's next
/// to_fill() gives nothing), the producer with finish() (with a failure, the consumer's
/// next take() gives nothing, or rethrows what stopped the producer).
template <typename Item>
class HandOff {
 public:
  explicit HandOff(std::size_t in_flight) : in_flight_(in_flight) {}
  HandOff(const HandOff&) = delete;
  HandOff& operator=(const HandOff&) = delete;

  /// Producer: an empty item to fill, once fewer than `in_flight` filled ones wait
  /// (nullptr once stopped).
  std::unique_ptr<Item> to_fill() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || full_.size() < in_flight_; });
    if (stopped_) return nullptr;
    if (spare_.empty()) return std::make_unique<Item>();
    std::unique_ptr<Item> item = std::move(spare_.back());
    spare_.pop_back();
    return item;
  }

  /// Producer: a filled item, for the consumer.
  void put(std::unique_ptr<Item> item) {
    const std::lock_guard lock(mutex_);
    full_.push_back(std::move(item));
    changed_.notify_all();
  }

  /// Producer: nothing more to come. `succeeded` false: what is still waiting is not
  /// taken either. `failure`: take() rethrows it.
  void finish(bool succeeded, std::exception_ptr failure = nullptr) {
    const std::lock_guard lock(mutex_);
    finished_ = true;
    succeeded_ = succeeded && !failure;
    failure_ = std::move(failure);
    changed_.notify_all();
  }

  /// Consumer: the next filled item, waiting for it; nullptr when the producer finished
  /// and nothing is left to take (or it failed).
  std::unique_ptr<Item> take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return finished_ || !full_.empty(); });
    if (failure_) std::rethrow_exception(failure_);
    if (full_.empty() || (finished_ && !succeeded_)) return nullptr;
    std::unique_ptr<Item> item = std::move(full_.front());
    full_.pop_front();
    changed_.notify_all();
    return item;
  }

  /// Consumer: an item done with (emptied), to be filled again.
  void give_back(std::unique_ptr<Item> item) {
    const std::lock_guard lock(mutex_);
    spare_.push_back(std::move(item));
  }

  /// Once both sides are done: every item it holds, filled or not (to be used again
  /// elsewhere).
  std::vector<std::unique_ptr<Item>> drain() {
    const std::lock_guard lock(mutex_);
    std::vector<std::unique_ptr<Item>> items = std::move(spare_);
    spare_.clear();
    for (std::unique_ptr<Item>& item : full_) items.push_back(std::move(item));
    full_.clear();
    return items;
  }

  /// Consumer: stops the producer at its next to_fill().
  void stop() {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }

  /// Whether the producer finished and succeeded (to be asked once take() gave nothing).
  [[nodiscard]] bool succeeded() const {
    const std::lock_guard lock(mutex_);
    return finished_ && succeeded_;
  }

 private:
  const std::size_t in_flight_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Item>> full_;
  std::vector<std::unique_ptr<Item>> spare_;
  bool stopped_ = false;
  bool finished_ = false;
  bool succeeded_ = false;
  std::exception_ptr failure_;
};

}  // namespace twinscan::util
