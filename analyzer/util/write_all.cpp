#include "analyzer/util/write_all.h"

#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace twinscan::util {

bool write_all(int fd, std::string_view content, std::string& error, std::int64_t offset) {
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n =
        offset < 0 ? ::write(fd, content.data() + written, content.size() - written)
                   : ::pwrite(fd, content.data() + written, content.size() - written,
                              static_cast<off_t>(offset + static_cast<std::int64_t>(written)));
    if (n < 0) {
      if (errno == EINTR) continue;
      error = std::strerror(errno);
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace twinscan::util
