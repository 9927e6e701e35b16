#include "analyzer/util/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace twinscan::util {
namespace {

// Writes all of `content` to `fd`, retrying short writes and interrupted calls.
bool write_all(int fd, std::string_view content, std::string& error) {
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
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

// A regular file or a new one: a temporary file in the same folder, renamed into place.
bool write_replacing(const std::filesystem::path& target, std::string_view content,
                     std::string& error) {
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
  if (!write_all(fd, content, error)) {
    ::close(fd);
    std::remove(temp.c_str());
    return false;
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    error = std::strerror(errno);
    std::remove(temp.c_str());
    return false;
  }
  ::chmod(temp.c_str(), 0644);
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
  std::filesystem::path target(path);
  if (!resolve_links(target, error)) return false;
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      error = std::strerror(errno);
      return false;
    }
    return write_replacing(target, content, error);  // a new file
  }
  if (S_ISREG(st.st_mode)) return write_replacing(target, content, error);
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return write_through(target, content, error);
  if (S_ISDIR(st.st_mode)) {
    error = "is a folder; give a file name";
  } else {
    error = "is not a regular file, a character device or a FIFO";
  }
  return false;
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0 && owns_fd_) ::close(fd_);
  if (!temp_.empty()) std::remove(temp_.c_str());
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
  target_ = target.string();
  return true;
}

bool AtomicFileWriter::write(std::string_view content, std::string& error) {
  if (fd_ < 0) {
    error = "not open";
    return false;
  }
  if (!write_all(fd_, content, error)) return false;
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
      return false;
    }
    if (!write_all(fd_, std::string_view(block.data(), static_cast<std::size_t>(n)), error)) {
      return false;
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
  if (temp_.empty()) {
    const bool ok = ::close(fd_) == 0;
    fd_ = -1;
    if (!ok) error = std::strerror(errno);
    return ok;
  }
  const bool synced = ::fsync(fd_) == 0;
  const int cause = errno;
  const bool closed = ::close(fd_) == 0;
  fd_ = -1;
  if (!synced || !closed) {
    error = std::strerror(synced ? errno : cause);
    return false;
  }
  ::chmod(temp_.c_str(), 0644);
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) {
    error = std::strerror(errno);
    return false;
  }
  temp_.clear();
  return true;
}

}  // namespace twinscan::util
