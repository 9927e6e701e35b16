#include "analyzer/util/direct_write_stage.h"

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>

namespace twinscan::util {
namespace {

// The alignment direct I/O asks of memory, sizes and offsets: a page covers every
// device's logical block.
constexpr std::size_t kAlignment = 4096;
static_assert(DirectWriteStage::kBlock % kAlignment == 0);

// Writes all of `data` to `fd` at `offset` through the page cache, retrying short writes
// and interrupted calls.
bool write_at(int fd, const char* data, std::size_t size, std::uint64_t offset,
              std::string& error) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

DirectWriteStage::~DirectWriteStage() {
  if (direct_fd_ >= 0) ::close(direct_fd_);
}

void DirectWriteStage::start(const std::string& path, int buffered_fd) {
  buffered_fd_ = buffered_fd;
  do {
    direct_fd_ = ::open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC | O_NOCTTY);
  } while (direct_fd_ < 0 && errno == EINTR);
  if (direct_fd_ < 0) return;  // the file system has no direct I/O: written the usual way
  block_.reset(static_cast<char*>(std::aligned_alloc(kAlignment, kBlock)));
  if (!block_) {
    ::close(direct_fd_);
    direct_fd_ = -1;
  }
}

bool DirectWriteStage::write(std::string_view content, std::string& error) {
  while (!content.empty()) {
    if (!active()) {
      // Fell back part way: the rest follows what was written, through the page cache.
      if (!write_at(buffered_fd_, content.data(), content.size(), written_, error)) return false;
      written_ += content.size();
      if (::lseek(buffered_fd_, static_cast<off_t>(written_), SEEK_SET) < 0) {
        error = std::strerror(errno);
        return false;
      }
      return true;
    }
    const std::size_t n = std::min(kBlock - staged_, content.size());
    std::memcpy(block_.get() + staged_, content.data(), n);
    staged_ += n;
    content.remove_prefix(n);
    if (staged_ == kBlock && !write_block(error)) return false;
  }
  return true;
}

bool DirectWriteStage::write_block(std::string& error) {
  std::size_t done = 0;
  while (done < staged_) {
    const ssize_t n =
        ::pwrite(direct_fd_, block_.get() + done, staged_ - done, static_cast<off_t>(written_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EINVAL) {
      error = std::strerror(errno);
      return false;
    }
    if (n <= 0 || static_cast<std::size_t>(n) % kAlignment != 0) {
      // Refused (an alignment this device does not take) or cut short: what is left,
      // from the last whole write on, goes through the page cache.
      if (n > 0) {
        done += static_cast<std::size_t>(n);
        written_ += static_cast<std::uint64_t>(n);
      }
      std::memmove(block_.get(), block_.get() + done, staged_ - done);
      staged_ -= done;
      return fall_back(error);
    }
    done += static_cast<std::size_t>(n);
    written_ += static_cast<std::uint64_t>(n);
  }
  staged_ = 0;
  return true;
}

bool DirectWriteStage::fall_back(std::string& error) {
  ::close(direct_fd_);
  direct_fd_ = -1;
  if (!write_at(buffered_fd_, block_.get(), staged_, written_, error)) return false;
  written_ += staged_;
  staged_ = 0;
  block_.reset();
  if (::lseek(buffered_fd_, static_cast<off_t>(written_), SEEK_SET) < 0) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

bool DirectWriteStage::finish(std::string& error) {
  if (!active()) return true;
  // The last block is short: it goes through the page cache, which takes any size.
  return fall_back(error);
}

}  // namespace twinscan::util
