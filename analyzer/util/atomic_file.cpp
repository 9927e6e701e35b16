#include "analyzer/util/atomic_file.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "analyzer/util/output_target.h"
#include "analyzer/util/temporary_files.h"
#include "analyzer/util/write_all.h"

namespace twinscan::util {
namespace {

// Copies `size` bytes of `fd` from `from` to `to`, in the kernel where it can. The two
// ranges may overlap only when `to` is before `from` (the copy runs forward).
bool copy_within(int fd, std::uint64_t from, std::uint64_t to, std::uint64_t size,
                 std::string& error) {
  if (to + size <= from || from + size <= to) {
    while (size > 0) {
      auto in = static_cast<off_t>(from);
      auto out = static_cast<off_t>(to);
      const ssize_t n = ::copy_file_range(fd, &in, fd, &out, size, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      from += static_cast<std::uint64_t>(n);
      to += static_cast<std::uint64_t>(n);
      size -= static_cast<std::uint64_t>(n);
    }
  }
  std::string block(std::min<std::uint64_t>(size, std::uint64_t{1} << 20), '\0');
  while (size > 0) {
    const ssize_t n = ::pread(fd, block.data(), std::min<std::uint64_t>(size, block.size()),
                              static_cast<off_t>(from));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? std::strerror(errno) : "the file ended early";
      return false;
    }
    if (!write_all(fd, std::string_view(block.data(), static_cast<std::size_t>(n)), error,
                   static_cast<std::int64_t>(to))) {
      return false;
    }
    from += static_cast<std::uint64_t>(n);
    to += static_cast<std::uint64_t>(n);
    size -= static_cast<std::uint64_t>(n);
  }
  return true;
}

std::uint64_t round_up(std::uint64_t n, std::uint64_t unit) {
  return (n + unit - 1) / unit * unit;
}

// A character device or a FIFO: written in place (there is nothing to replace).
bool write_through(const std::string& path, std::string_view content, std::string& error) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  const bool ok = write_all(fd, content, error);
  if (::close(fd) != 0 && ok) {
    error = std::strerror(errno);
    return false;
  }
  return ok;
}

// The process's file mode creation mask, read without changing it (umask() would, for a
// moment, for every thread).
mode_t current_umask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Umask:", 0) == 0)
      return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
  }
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

// The mode a replaced output keeps (its own), or a new one gets (what the umask allows
// of read and write for everyone, as a shell's redirection gives).
mode_t output_mode(const struct stat* existing) {
  if (existing != nullptr) return existing->st_mode & 07777;
  return 0666 & ~current_umask();
}

// An existing output that is read-only to us is not replaced behind its owner's back
// (the folder's permission would allow the rename).
bool refuse_read_only(const std::filesystem::path& target, std::string& error) {
  if (::access(target.c_str(), W_OK) == 0 || errno != EACCES) return false;
  error = "the file is read-only; make it writable or write elsewhere";
  return true;
}

// A regular file or a new one: a temporary file in the same folder, renamed into place.
bool write_replacing(const std::filesystem::path& target, const struct stat* existing,
                     std::string_view content, std::string& error) {
  if (existing != nullptr && refuse_read_only(target, error)) return false;
  const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
  std::string temp = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    const int cause = errno;
    std::error_code ec;
    error = !std::filesystem::exists(folder, ec)
                ? "no such folder: " + folder.string()
                : "cannot create a file in " + folder.string() + ": " + std::strerror(cause);
    return false;
  }
  const TemporaryFileGuard guard(temp.c_str());
  if (!write_all(fd, content, error)) {
    ::close(fd);
    std::remove(temp.c_str());
    return false;
  }
  if (::fchmod(fd, output_mode(existing)) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
    error = std::strerror(errno);
    std::remove(temp.c_str());
    return false;
  }
  if (std::rename(temp.c_str(), target.c_str()) != 0) {
    error = std::strerror(errno);
    std::remove(temp.c_str());
    return false;
  }
  return true;
}

// Follows `path` through symbolic links to the file they finally name (which need not
// exist yet). Returns false on a loop.
bool resolve_links(std::filesystem::path& path, std::string& error) {
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return true;
    std::error_code ec;
    const std::filesystem::path target = std::filesystem::read_symlink(path, ec);
    if (ec) {
      error = ec.message();
      return false;
    }
    path = target.is_absolute() ? target : path.parent_path() / target;
  }
  error = "too many levels of symbolic links";
  return false;
}

}  // namespace

bool write_file_atomically(const std::string& path, std::string_view content, std::string& error) {
  if (path == "-") {
    std::fflush(stdout);
    return write_all(STDOUT_FILENO, content, error);
  }
  if (path.empty()) {
    error = "no file name";
    return false;
  }
  if (const auto fd = descriptor_behind(path)) {
    if (!check_output_descriptor(*fd, error)) return false;
    std::fflush(stdout);
    return write_all(*fd, content, error);
  }
  std::filesystem::path target(path);
  if (!resolve_links(target, error)) return false;
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      error = std::strerror(errno);
      return false;
    }
    return write_replacing(target, nullptr, content, error);  // a new file
  }
  if (S_ISREG(st.st_mode)) {
    if (std::string input; is_protected_input(st, input)) {
      error = "is an input of this command (" + input + "); write to another file";
      return false;
    }
    return write_replacing(target, &st, content, error);
  }
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return write_through(target, content, error);
  if (S_ISDIR(st.st_mode)) {
    error = "is a folder; give a file name";
  } else {
    error = "is not a regular file, a character device or a FIFO";
  }
  return false;
}

AtomicFileWriter::~AtomicFileWriter() {
  // The stage's threads may still write blocks through fd_: they stop first.
  direct_.abandon();
  if (fd_ >= 0 && owns_fd_) ::close(fd_);
  if (!temp_.empty()) std::remove(temp_.c_str());
  guard_.reset();
}

bool AtomicFileWriter::open(const std::string& path, std::string& error) {
  if (path == "-") {
    std::fflush(stdout);
    fd_ = STDOUT_FILENO;
    return true;
  }
  if (path.empty()) {
    error = "no file name";
    return false;
  }
  if (const auto fd = descriptor_behind(path)) {
    if (!check_output_descriptor(*fd, error)) return false;
    std::fflush(stdout);
    fd_ = *fd;
    return true;
  }
  std::filesystem::path target(path);
  if (!resolve_links(target, error)) return false;
  struct stat st {};
  const bool exists = ::stat(target.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) {
    error = std::strerror(errno);
    return false;
  }
  if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
    do {
      fd_ = ::open(target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    } while (fd_ < 0 && errno == EINTR);
    if (fd_ < 0) {
      error = std::strerror(errno);
      return false;
    }
    owns_fd_ = true;
    return true;
  }
  if (exists && !S_ISREG(st.st_mode)) {
    error = S_ISDIR(st.st_mode) ? "is a folder; give a file name"
                                : "is not a regular file, a character device or a FIFO";
    return false;
  }
  if (std::string input; exists && is_protected_input(st, input)) {
    error = "is an input of this command (" + input + "); write to another file";
    return false;
  }
  if (exists && refuse_read_only(target, error)) return false;
  const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
  std::string temp = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  fd_ = ::mkstemp(temp.data());
  if (fd_ < 0) {
    const int cause = errno;
    std::error_code ec;
    error = !std::filesystem::exists(folder, ec)
                ? "no such folder: " + folder.string()
                : "cannot create a file in " + folder.string() + ": " + std::strerror(cause);
    return false;
  }
  owns_fd_ = true;
  temp_ = temp;
  guard_ = std::make_unique<TemporaryFileGuard>(temp_.c_str());
  target_ = target.string();
  mode_ = output_mode(exists ? &st : nullptr);
  direct_.start(temp_, fd_);
  return true;
}

bool AtomicFileWriter::finish_direct(std::string& error) {
  if (!still_writable(error)) return false;
  return direct_.finish(error) || broke(error);
}

bool AtomicFileWriter::write(std::string_view content, std::string& error) {
  if (fd_ < 0) {
    error = "not open";
    return false;
  }
  if (!still_writable(error)) return false;
  if (direct_.active()) {
    if (!direct_.write(content, error)) return broke(error);
    // Past its first block, written to the disk already; the rest is left to the sync.
    written_ += content.size();
    started_ = written_;
    return true;
  }
  if (tail_open_ && written_ + content.size() > tail_at_ &&
      !move_tail_past(written_ + content.size(), error)) {
    return broke(error);
  }
  if (!write_all(fd_, content, error)) return broke(error);
  if (!temp_.empty()) {
    // The disk is asked to start on what was written while more is made, so that the
    // sync of commit() has little left to wait for.
    written_ += content.size();
    if (written_ - started_ >= kStartWriteBack) {
      ::sync_file_range(fd_, static_cast<off_t>(started_), static_cast<off_t>(written_ - started_),
                        SYNC_FILE_RANGE_WRITE);
      started_ = written_;
    }
  }
  return true;
}

bool AtomicFileWriter::append_file(int fd, std::uint64_t size, std::string& error) {
  if (fd_ < 0) {
    error = "not open";
    return false;
  }
  if (!finish_direct(error)) return false;
  if (tail_open_ && written_ + size > tail_at_ && !move_tail_past(written_ + size, error)) {
    return broke(error);
  }
  // In the kernel, page to page, where the two files allow it (no copy at all on a
  // file system that shares blocks); otherwise through a buffer.
  off_t from = 0;
  std::uint64_t left = size;
  while (left > 0) {
    const ssize_t n = ::copy_file_range(fd, &from, fd_, nullptr, left, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    left -= static_cast<std::uint64_t>(n);
  }
  std::string block(std::min<std::uint64_t>(left, std::uint64_t{1} << 20), '\0');
  while (left > 0) {
    const ssize_t n = ::pread(fd, block.data(), std::min<std::uint64_t>(left, block.size()), from);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? std::strerror(errno) : "the scratch file ended early";
      return broke(error);
    }
    if (!write_all(fd_, std::string_view(block.data(), static_cast<std::size_t>(n)), error)) {
      return broke(error);
    }
    from += n;
    left -= static_cast<std::uint64_t>(n);
  }
  written_ += size;
  return true;
}

bool AtomicFileWriter::commit(std::string& error) {
  if (fd_ < 0) {
    error = "not open";
    return false;
  }
  if (!owns_fd_) {
    fd_ = -1;
    return true;
  }
  if (tail_open_) {
    error = "the tail stream was neither joined nor dropped";
    return false;
  }
  if (!finish_direct(error)) return false;
  if (temp_.empty()) {
    const bool ok = ::close(fd_) == 0;
    fd_ = -1;
    if (!ok) error = std::strerror(errno);
    return ok;
  }
  // The output was opened before the inputs were read (so that a wrong output costs
  // nothing): one of them may be the file it would replace.
  if (struct stat st{}; ::stat(target_.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    if (std::string input; is_protected_input(st, input)) {
      error = "is an input of this command (" + input + "); write to another file";
      return false;
    }
  }
  const bool synced = ::fchmod(fd_, mode_) == 0 && ::fsync(fd_) == 0;
  const int cause = errno;
  const bool closed = ::close(fd_) == 0;
  fd_ = -1;
  if (!synced || !closed) {
    error = std::strerror(synced ? errno : cause);
    return false;
  }
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) {
    error = std::strerror(errno);
    return false;
  }
  guard_.reset();
  temp_.clear();
  return true;
}

namespace {

// Whether the file system of `fd` keeps a file's unwritten range as a hole, with no disk
// space and nothing zeroed: known ones only (exFAT, say, would write zeros up to the tail).
bool keeps_holes(int fd) {
  struct statfs fs {};
  if (::fstatfs(fd, &fs) != 0) return false;
  switch (static_cast<std::uint64_t>(fs.f_type)) {
    case 0xEF53:      // ext2, ext3, ext4
    case 0x58465342:  // XFS
    case 0x9123683E:  // btrfs
    case 0x01021994:  // tmpfs
    case 0x2FC12FC1:  // ZFS
    case 0x6A656A63:  // F2FS
      return true;
    default:
      return false;
  }
}

// Whether a file may grow to `size` bytes under the process's limit (past it, the kernel
// would end the process with SIGXFSZ).
bool within_size_limit(std::uint64_t size) {
  struct rlimit limit {};
  return ::getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
         size <= limit.rlim_cur;
}

}  // namespace

bool AtomicFileWriter::open_tail() {
  if (fd_ < 0 || temp_.empty() || tail_open_) return false;
  // A failed write is kept in broken_, and reported by the next write() or commit().
  if (std::string error; !finish_direct(error)) return false;
  if (written_ > tail_at_ / 2) tail_at_ = round_up(2 * written_, std::uint64_t{1} << 20);
  // The tail is made room for with a hole: only where a hole costs nothing and the file
  // may grow that far (twice, to leave the tail room to grow).
  if (!keeps_holes(fd_) || !within_size_limit(2 * tail_at_)) return false;
  // The file is made as long as the tail's start (a hole, no disk space): a file system
  // that cannot hold a file that long says so here, before anything is written there.
  if (::ftruncate(fd_, static_cast<off_t>(tail_at_)) != 0) return false;
  tail_open_ = true;
  tail_size_ = 0;
  tail_started_ = 0;
  return true;
}

bool AtomicFileWriter::write_tail(std::string_view content, std::string& error) {
  if (!tail_open_) {
    error = "the tail stream is not open";
    return false;
  }
  if (!still_writable(error)) return false;
  if (!write_all(fd_, content, error, static_cast<std::int64_t>(tail_at_ + tail_size_)))
    return broke(error);
  tail_size_ += content.size();
  if (tail_size_ - tail_started_ >= kStartWriteBack) {
    ::sync_file_range(fd_, static_cast<off_t>(tail_at_ + tail_started_),
                      static_cast<off_t>(tail_size_ - tail_started_), SYNC_FILE_RANGE_WRITE);
    tail_started_ = tail_size_;
  }
  return true;
}

bool AtomicFileWriter::read_tail(std::uint64_t at, char* data, std::size_t size, std::size_t& got,
                                 std::string& error) const {
  got = 0;
  if (at >= tail_size_) return true;
  const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(size, tail_size_ - at));
  while (got < want) {
    const ssize_t n = ::pread(fd_, data + got, want - got, static_cast<off_t>(tail_at_ + at + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? std::strerror(errno) : "the file ended early";
      return false;
    }
    got += static_cast<std::size_t>(n);
  }
  return true;
}

bool AtomicFileWriter::move_tail_past(std::uint64_t head_end, std::string& error) {
  constexpr std::uint64_t kUnit = std::uint64_t{1} << 20;
  const std::uint64_t to = round_up(std::max(2 * head_end, tail_at_ + tail_size_), kUnit);
  if (!within_size_limit(to + tail_size_)) {
    error = "the output would pass the limit set on file sizes (ulimit -f)";
    return false;
  }
  if (!copy_within(fd_, tail_at_, to, tail_size_, error)) return false;
  // The old place is given back to the file system (the head overwrites what it needs).
  if (head_end < tail_at_ + tail_size_) {
    const std::uint64_t from = std::max(head_end, tail_at_);
    ::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(from),
                static_cast<off_t>(tail_at_ + tail_size_ - from));
  }
  tail_at_ = to;
  tail_started_ = 0;
  return true;
}

bool AtomicFileWriter::join_tail(char pad, std::string& error) {
  if (!tail_open_) return true;
  if (!still_writable(error)) return false;
  tail_open_ = false;
  const std::uint64_t head = written_;
  const std::uint64_t size = tail_size_;
  tail_size_ = 0;
  bool joined = false;
  struct statvfs vfs {};
  const std::uint64_t block =
      ::fstatvfs(fd_, &vfs) == 0 ? (vfs.f_frsize != 0 ? vfs.f_frsize : vfs.f_bsize) : 0;
  if (size > 0 && block > 0 && block <= (std::uint64_t{1} << 20) && tail_at_ % block == 0) {
    const std::uint64_t gap_from = round_up(head, block);
    // The gap [gap_from, tail_at_) is taken out of the file: the tail's blocks follow the
    // head's last block, whose rest is then padded.
    joined = gap_from == tail_at_ ||
             ::fallocate(fd_, FALLOC_FL_COLLAPSE_RANGE, static_cast<off_t>(gap_from),
                         static_cast<off_t>(tail_at_ - gap_from)) == 0;
    // Only a file system that cannot take a gap out left the file as it was; any other
    // failure (a disk error half way) may have moved part of it.
    if (!joined && errno != EOPNOTSUPP && errno != EINVAL && errno != ENOSYS) {
      error = std::strerror(errno);
      return broke(error);
    }
    if (joined && gap_from > head &&
        !write_all(fd_, std::string(gap_from - head, pad), error,
                   static_cast<std::int64_t>(head))) {
      return broke(error);
    }
    if (joined) written_ = gap_from + size;
  }
  if (!joined) {
    if (!copy_within(fd_, tail_at_, head, size, error)) return broke(error);
    written_ = head + size;
  }
  if (::ftruncate(fd_, static_cast<off_t>(written_)) != 0 ||
      ::lseek(fd_, static_cast<off_t>(written_), SEEK_SET) < 0) {
    error = std::strerror(errno);
    return broke(error);
  }
  started_ = written_;
  return true;
}

bool AtomicFileWriter::drop_tail(std::string& error) {
  if (!tail_open_) return true;
  tail_open_ = false;
  tail_size_ = 0;
  if (::ftruncate(fd_, static_cast<off_t>(written_)) != 0) {
    error = std::strerror(errno);
    return broke(error);
  }
  return true;
}

bool AtomicFileWriter::broke(const std::string& error) {
  broken_ = error;
  return false;
}

bool AtomicFileWriter::still_writable(std::string& error) const {
  if (broken_.empty()) return true;
  error = broken_;
  return false;
}

}  // namespace twinscan::util
