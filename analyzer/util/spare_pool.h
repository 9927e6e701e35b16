// Objects kept for use again once their user is done with them, shared between threads.
#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace twinscan::util {

/// Objects not in use, each kept with the memory it grew while it was used: a buffer made
/// afresh for every piece of work faults its memory in afresh, which on a virtual machine
/// costs more than the work itself. take() and give_back() may be called from any thread.
template <typename T>
class SparePool {
 public:
  /// An object taken from the pool, given back when the lease ends.
  class Lease {
   public:
    Lease(SparePool& pool, std::unique_ptr<T> object) : pool_(&pool), object_(std::move(object)) {}
    ~Lease() {
      if (object_) pool_->give_back(std::move(object_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    T& operator*() const { return *object_; }
    T* operator->() const { return object_.get(); }

   private:
    SparePool* pool_;
    std::unique_ptr<T> object_;
  };

  /// The object given back last, or a new one from `make()` when none is spare.
  template <typename Make>
  std::unique_ptr<T> take(Make&& make) {
    {
      const std::lock_guard lock(mutex_);
      if (!spare_.empty()) {
        std::unique_ptr<T> object = std::move(spare_.back());
        spare_.pop_back();
        return object;
      }
    }
    return std::forward<Make>(make)();
  }
  /// take(), given back when the lease ends.
  template <typename Make>
  Lease lease(Make&& make) {
    return {*this, take(std::forward<Make>(make))};
  }
  /// Keeps `object` for a later take() (as it is: the caller clears what must not carry
  /// over).
  void give_back(std::unique_ptr<T> object) {
    const std::lock_guard lock(mutex_);
    spare_.push_back(std::move(object));
  }
  /// How many objects are spare.
  [[nodiscard]] std::size_t spare() const {
    const std::lock_guard lock(mutex_);
    return spare_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<T>> spare_;
};

}  // namespace twinscan::util
