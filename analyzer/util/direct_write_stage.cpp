#include "analyzer/util/direct_write_stage.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "analyzer/util/write_all.h"

namespace twinscan::util {
namespace {

// The alignment direct I/O asks of memory, sizes and offsets: 4 KiB is a multiple of
// every device's logical block size in use.
constexpr std::size_t kAlignment = 4096;
static_assert(DirectWriteStage::kBlock % kAlignment == 0);

// Whether two descriptors are open on one file.
bool same_file(int a, int b) {
  struct stat sa {};
  struct stat sb {};
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

}  // namespace

DirectWriteStage::~DirectWriteStage() {
  if (direct_fd_ >= 0) ::close(direct_fd_);
}

void DirectWriteStage::start(const std::string& path, int buffered_fd) {
  path_ = path;
  buffered_fd_ = buffered_fd;
  started_ = buffered_fd >= 0;
}

bool DirectWriteStage::open_direct() {
  do {
    direct_fd_ = ::open(path_.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
  } while (direct_fd_ < 0 && errno == EINTR);
  if (direct_fd_ < 0) return false;  // the file system has no direct I/O
  // The name is opened again: whatever may have taken its place since is not written to.
  if (same_file(direct_fd_, buffered_fd_)) {
    block_.reset(static_cast<char*>(std::aligned_alloc(kAlignment, kBlock)));
    if (block_) return true;
  }
  ::close(direct_fd_);
  direct_fd_ = -1;
  return false;
}

bool DirectWriteStage::write(std::string_view content, std::string& error) {
  const bool was_active = active();
  while (!content.empty()) {
    if (direct_fd_ < 0) {
      // The first block, or everything once direct I/O fell short: through the page cache.
      const std::uint64_t upto = finished_ ? content.size() : kBlock - written_;
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(upto, content.size()));
      if (!write_all(buffered_fd_, content.substr(0, n), error,
                     static_cast<std::int64_t>(written_)))
        return false;
      written_ += n;
      content.remove_prefix(n);
      if (written_ == kBlock && !finished_ && !open_direct()) finished_ = true;
      continue;
    }
    const std::size_t n = std::min(kBlock - staged_, content.size());
    std::memcpy(block_.get() + staged_, content.data(), n);
    staged_ += n;
    content.remove_prefix(n);
    if (staged_ == kBlock && !write_block(error)) return false;
  }
  // Ended on the way: the owner writes on from its descriptor's position.
  if (was_active && !active()) return place_owner(error);
  return true;
}

bool DirectWriteStage::place_owner(std::string& error) const {
  if (::lseek(buffered_fd_, static_cast<off_t>(written_), SEEK_SET) >= 0) return true;
  error = std::strerror(errno);
  return false;
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
  finished_ = true;
  if (direct_fd_ >= 0) {
    const bool closed = ::close(direct_fd_) == 0;
    direct_fd_ = -1;
    if (!closed && errno != EINTR) {
      error = std::strerror(errno);  // a delayed write error, where close reports one
      return false;
    }
  }
  if (!write_all(buffered_fd_, std::string_view(block_.get(), staged_), error,
                 static_cast<std::int64_t>(written_)))
    return false;
  written_ += staged_;
  staged_ = 0;
  block_.reset();
  return true;
}

bool DirectWriteStage::finish(std::string& error) {
  if (!active()) return true;
  // The last block is short: it goes through the page cache, which takes any size.
  return fall_back(error) && place_owner(error);
}

}  // namespace twinscan::util
