#include "analyzer/util/output_target.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <charconv>
#include <mutex>
#include <vector>

namespace twinscan::util {
namespace {

struct ProtectedInput {
  dev_t device;
  ino_t inode;
  std::string path;
};

std::mutex& protected_mutex() {
  static std::mutex m;
  return m;
}

std::vector<ProtectedInput>& protected_inputs() {
  static std::vector<ProtectedInput> inputs;
  return inputs;
}

std::optional<int> number_after(std::string_view path, std::string_view prefix) {
  if (path.substr(0, prefix.size()) != prefix) return std::nullopt;
  const std::string_view digits = path.substr(prefix.size());
  int fd = -1;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), fd);
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
    return std::nullopt;
  }
  return fd;
}

}  // namespace

std::optional<int> descriptor_named(std::string_view path) {
  if (path == "/dev/stdin") return 0;
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  if (auto fd = number_after(path, "/dev/fd/")) return fd;
  if (auto fd = number_after(path, "/proc/self/fd/")) return fd;
  return std::nullopt;
}

bool check_output_descriptor(int fd, std::string& error) {
  if (fd == STDIN_FILENO) {
    error = "is standard input; give a file name, or '-' for standard output";
    return false;
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) {
    error = "descriptor " + std::to_string(fd) + " is not open";
    return false;
  }
  if ((flags & O_ACCMODE) == O_RDONLY) {
    error = "descriptor " + std::to_string(fd) + " is open for reading only";
    return false;
  }
  return true;
}

void protect_input(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  const std::lock_guard lock(protected_mutex());
  for (const auto& p : protected_inputs()) {
    if (p.device == st.st_dev && p.inode == st.st_ino) return;
  }
  protected_inputs().push_back({st.st_dev, st.st_ino, path});
}

bool is_protected_input(const struct stat& st, std::string& which) {
  const std::lock_guard lock(protected_mutex());
  for (const auto& p : protected_inputs()) {
    if (p.device == st.st_dev && p.inode == st.st_ino) {
      which = p.path;
      return true;
    }
  }
  return false;
}

}  // namespace twinscan::util
