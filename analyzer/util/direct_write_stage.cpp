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

void DirectWriteStage::start(const std::string& path, int buffered_fd) {
  path_ = path;
  buffered_fd_ = buffered_fd;
  started_ = buffered_fd >= 0;
}

bool DirectWriteStage::open_direct() {
  int direct_fd = -1;
  do {
    direct_fd = ::open(path_.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
  } while (direct_fd < 0 && errno == EINTR);
  if (direct_fd < 0) return false;  // the file system has no direct I/O
  // The name is opened again: whatever may have taken its place since is not written to.
  if (same_file(direct_fd, buffered_fd_)) {
    writer_ = BlockWriter::start(direct_fd, buffered_fd_, written_, kBlock, kAlignment);
    if (writer_) return true;
  }
  ::close(direct_fd);
  return false;
}

bool DirectWriteStage::write(std::string_view content, std::string& error) {
  const bool was_active = active();
  while (!content.empty()) {
    if (!writer_) {
      // The first block, or everything once the stage is over: through the page cache.
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
    std::memcpy(writer_->block() + staged_, content.data(), n);
    staged_ += n;
    content.remove_prefix(n);
    if (staged_ == kBlock) {
      staged_ = 0;
      if (!writer_->hand_over(error)) return false;
    }
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

void DirectWriteStage::abandon() {
  writer_.reset();
  finished_ = true;
}

bool DirectWriteStage::finish(std::string& error) {
  if (!active()) return true;
  finished_ = true;
  if (writer_) {
    // The last block is short: it goes through the page cache, which takes any size.
    const std::uint64_t end = writer_->end();
    const bool ok = writer_->finish(error) &&
                    write_all(buffered_fd_, std::string_view(writer_->block(), staged_), error,
                              static_cast<std::int64_t>(end));
    written_ = end + staged_;
    staged_ = 0;
    writer_.reset();
    if (!ok) return false;
  }
  return place_owner(error);
}

}  // namespace twinscan::util
