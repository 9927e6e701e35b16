#include "analyzer/util/block_writer.h"

#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <new>
#include <string_view>

#include "analyzer/util/write_all.h"

namespace twinscan::util {

std::unique_ptr<BlockWriter> BlockWriter::start(int direct_fd, int buffered_fd, std::uint64_t at,
                                                std::size_t block_size, std::size_t alignment) {
  std::unique_ptr<BlockWriter> writer(
      new (std::nothrow) BlockWriter(direct_fd, buffered_fd, at, block_size, alignment));
  if (!writer) return nullptr;
  writer->blocks_[0].reset(static_cast<char*>(std::aligned_alloc(alignment, block_size)));
  if (!writer->blocks_[0]) {
    writer->direct_fd_ = -1;  // the caller keeps it
    return nullptr;
  }
  try {
    writer->writing_ = std::thread([w = writer.get()] { w->run(); });
    writer->syncing_ = std::thread([w = writer.get()] { w->sync_when_asked(); });
  } catch (...) {  // std::system_error, or std::bad_alloc for the thread's state
    writer->stop();
    writer->direct_fd_ = -1;
    return nullptr;
  }
  return writer;
}

BlockWriter::BlockWriter(int direct_fd, int buffered_fd, std::uint64_t at, std::size_t block_size,
                         std::size_t alignment)
    : direct_fd_(direct_fd),
      buffered_fd_(buffered_fd),
      at_(at),
      block_size_(block_size),
      alignment_(alignment) {}

BlockWriter::~BlockWriter() {
  {
    std::lock_guard lock(mutex_);
    abandon_ = true;
  }
  stop();
  if (direct_fd_ >= 0) ::close(direct_fd_);
}

void BlockWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  handed_over_.notify_all();
  if (writing_.joinable()) writing_.join();
  sync_asked_.notify_all();
  if (syncing_.joinable()) syncing_.join();
}

bool BlockWriter::hand_over(std::string& error) {
  std::unique_lock lock(mutex_);
  ++handed_;
  handed_over_.notify_one();
  // The next block to fill was last filled room_for(handed_) blocks ago: it must be
  // written.
  written_.wait(lock, [&] { return handed_ - done_ < room_for(handed_); });
  if (!error_.empty()) {
    error = error_;
    return false;
  }
  auto& next = blocks_[index_of(handed_)];
  if (!next) next.reset(static_cast<char*>(std::aligned_alloc(alignment_, block_size_)));
  if (next) return true;
  error_ = std::strerror(ENOMEM);  // finish() reports it too
  error = error_;
  return false;
}

bool BlockWriter::finish(std::string& error) {
  stop();
  if (direct_fd_ >= 0) {
    const bool closed = ::close(direct_fd_) == 0;
    direct_fd_ = -1;
    if (!closed && errno != EINTR && error_.empty())
      error_ = std::strerror(errno);  // a delayed write error, where close reports one
  }
  if (error_.empty()) return true;
  error = error_;
  return false;
}

void BlockWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    handed_over_.wait(lock, [&] { return abandon_ || stopping_ || done_ < handed_; });
    if (abandon_ || done_ == handed_) return;  // abandoned, or finished with all written
    const std::uint64_t n = done_;
    const bool failed = !error_.empty();
    lock.unlock();
    std::string error;
    const bool ok = failed || write_block(n, error);
    lock.lock();
    if (!ok && error_.empty()) error_ = error;
    ++done_;
    written_.notify_one();
  }
}

void BlockWriter::sync_when_asked() {
  std::unique_lock lock(mutex_);
  for (;;) {
    sync_asked_.wait(lock, [&] { return abandon_ || stopping_ || syncs_done_ < syncs_asked_; });
    // Once stopping, what is left is for the owner's own sync before the rename.
    if (abandon_ || stopping_) return;
    const std::uint64_t asked = syncs_asked_;
    lock.unlock();
    const bool ok = ::fdatasync(direct_fd_) == 0 || errno == EINTR;
    const int cause = errno;
    lock.lock();
    if (!ok && error_.empty()) error_ = std::strerror(cause);
    syncs_done_ = asked;
  }
}

bool BlockWriter::write_block(std::uint64_t n, std::string& error) {
  const char* block = blocks_[index_of(n)].get();
  const std::uint64_t at = at_ + n * block_size_;
  std::size_t done = 0;
  while (!buffered_only_ && done < block_size_) {
    const ssize_t wrote =
        ::pwrite(direct_fd_, block + done, block_size_ - done, static_cast<off_t>(at + done));
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0 && errno != EINVAL) {
      error = std::strerror(errno);
      return false;
    }
    if (wrote > 0) done += static_cast<std::size_t>(wrote);
    // Refused, or cut short off an aligned boundary: the rest goes through the page cache.
    if (wrote <= 0 || done % alignment_ != 0) buffered_only_ = true;
  }
  if (done < block_size_ &&
      !write_all(buffered_fd_, std::string_view(block + done, block_size_ - done), error,
                 static_cast<std::int64_t>(at + done)))
    return false;
  since_sync_ += block_size_;
  if (since_sync_ >= kFlushEvery && !buffered_only_) {
    since_sync_ = 0;
    {
      std::lock_guard lock(mutex_);
      ++syncs_asked_;
    }
    sync_asked_.notify_one();
  }
  return true;
}

}  // namespace twinscan::util
