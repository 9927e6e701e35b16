#include "analyzer/util/file_start.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

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

}  // namespace twinscan::util
