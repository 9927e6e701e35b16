#include "analyzer/util/file_start.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>

namespace twinscan::util {

std::string_view read_file_start(const std::string& path, std::span<char> room) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return {};
  ssize_t n = 0;
  do {
    n = ::read(fd, room.data(), room.size());
  } while (n < 0 && errno == EINTR);
  ::close(fd);
  return {room.data(), n > 0 ? static_cast<std::size_t>(n) : 0};
}

namespace {

// Reads up to `size` bytes into `into` from the descriptor's position on; the count read
// (fewer at the file's end or on an error).
std::size_t read_up_to(int fd, char* into, std::size_t size) {
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::read(fd, into + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

}  // namespace

std::string_view look_at_file(const std::string& path, std::span<char> room,
                              std::uint64_t keep_below, std::size_t padding, FileLook& look) {
  look = FileLook{};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return {};
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } const closer{fd};
  if (::fstat(fd, &look.status) != 0 || !S_ISREG(look.status.st_mode)) return {};
  look.opened = true;
  const auto size = static_cast<std::uint64_t>(look.status.st_size);
  // An empty size may hide text (a file system that does not count it): its start is read.
  if (size != 0 && size < keep_below) {
    try {
      look.text.reserve(static_cast<std::size_t>(size) + padding);
      look.text.resize(static_cast<std::size_t>(size));
    } catch (const std::bad_alloc&) {
      look.text = std::string();
    }
    if (!look.text.empty()) {
      // As SourceText::read_file does, the size its status gave is read.
      const std::size_t got = read_up_to(fd, look.text.data(), look.text.size());
      look.whole = got == look.text.size();
      if (look.whole) return std::string_view(look.text).substr(0, room.size());
      // Shorter than its status said: its start is what was read of it, and it is read
      // again in its turn (which reports what is wrong).
      const std::size_t start = std::min(got, room.size());
      std::copy_n(look.text.data(), start, room.data());
      look.text = std::string();
      return {room.data(), start};
    }
  }
  ssize_t n = 0;
  do {
    n = ::read(fd, room.data(), room.size());  // one call is enough for a start
  } while (n < 0 && errno == EINTR);
  return {room.data(), n > 0 ? static_cast<std::size_t>(n) : 0};
}

}  // namespace twinscan::util
