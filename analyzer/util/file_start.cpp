#include "analyzer/util/file_start.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
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

std::string_view look_at_file(const std::string& path, std::span<char> room,
                              std::size_t whole_up_to, std::size_t padding, FileLook& look) {
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
  char* into = room.data();
  std::size_t want = room.size();
  if (size <= whole_up_to) {
    look.text.reserve(static_cast<std::size_t>(size) + padding);
    look.text.resize(static_cast<std::size_t>(size));
    into = look.text.data();
    want = look.text.size();
  }
  std::size_t got = 0;
  while (got < want) {
    const ssize_t n = ::read(fd, into + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
    if (into == room.data()) break;  // one call is enough for a start
  }
  if (into == room.data()) return {room.data(), got};
  // A file that changed size since its status was taken is read again when its turn comes.
  look.whole = got == want;
  if (!look.whole) {
    look.text = std::string();
    return {};
  }
  return std::string_view(look.text).substr(0, room.size());
}

}  // namespace twinscan::util
