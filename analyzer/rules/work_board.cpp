#include "analyzer/rules/work_board.h"

#include <algorithm>
#include <chrono>

namespace twinscan::rules {

void WorkBoard::take_chunks(Offer& offer, const Participant& run, std::atomic<std::size_t>* count) {
  for (std::size_t c; (c = offer.next.fetch_add(1)) < offer.chunks;) {
    try {
      run(c);
      if (count) count->fetch_add(1);
    } catch (...) {
      std::lock_guard lock(offer.fault_mutex);
      if (!offer.fault || c < offer.fault_chunk) {
        offer.fault = std::current_exception();
        offer.fault_chunk = c;
      }
      offer.next.store(offer.chunks);  // hand out no more
    }
  }
}

void WorkBoard::share(std::size_t chunks, const MakeParticipant& make) {
  if (chunks == 0) return;
  Offer offer;
  offer.chunks = chunks;
  offer.make = &make;
  if (chunks > 1) {
    std::lock_guard lock(mutex_);
    offers_.push_back(&offer);
  }
  changed_.notify_all();
  {
    Participant run;
    try {
      run = make();
    } catch (...) {
      std::lock_guard lock(offer.fault_mutex);
      offer.fault = std::current_exception();
      offer.next.store(chunks);
    }
    if (run) take_chunks(offer, run, nullptr);
  }
  {
    // No helper joins from here on; wait for those inside to finish their chunk.
    std::unique_lock lock(mutex_);
    offers_.erase(std::remove(offers_.begin(), offers_.end(), &offer), offers_.end());
    offer.left.wait(lock, [&] { return offer.active == 0; });
  }
  if (offer.fault) std::rethrow_exception(offer.fault);
}

void WorkBoard::help(const std::function<bool()>& finished) {
  std::unique_lock lock(mutex_);
  while (!finished()) {
    Offer* offer = nullptr;
    for (Offer* o : offers_) {
      if (o->next.load() < o->chunks) {
        offer = o;
        break;
      }
    }
    if (!offer) {
      // Woken by wake() or share(); the timeout only guards against a missed wake.
      changed_.wait_for(lock, std::chrono::milliseconds(50));
      continue;
    }
    ++offer->active;
    lock.unlock();
    {
      Participant run;
      try {
        run = (*offer->make)();
      } catch (...) {
        std::lock_guard fault_lock(offer->fault_mutex);
        if (!offer->fault) offer->fault = std::current_exception();
        offer->next.store(offer->chunks);
      }
      if (run) take_chunks(*offer, run, &helped_);
    }  // the participant's state goes before the offer can end
    lock.lock();
    --offer->active;
    offer->left.notify_all();
  }
}

void WorkBoard::wake() {
  { std::lock_guard lock(mutex_); }
  changed_.notify_all();
}

HelperThreads::HelperThreads(WorkBoard& board, unsigned count) : board_(board) {
  threads_.reserve(count);
  for (unsigned i = 0; i < count; ++i)
    threads_.emplace_back([this] { board_.help([this] { return over_.load(); }); });
}

HelperThreads::~HelperThreads() {
  over_.store(true);
  board_.wake();
  for (auto& t : threads_) t.join();
}

}  // namespace twinscan::rules
