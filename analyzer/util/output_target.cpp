#include "analyzer/util/output_target.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
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
  if (auto fd = number_after(path, "/proc/thread-self/fd/")) return fd;
  const std::string own = "/proc/" + std::to_string(::getpid()) + "/fd/";
  if (auto fd = number_after(path, own)) return fd;
  return std::nullopt;
}

std::optional<int> descriptor_behind(const std::string& path) {
  std::string at = path;
  for (int hops = 0; hops < 40; ++hops) {
    // `//dev/stdout` and `/dev//stdout` name /dev/stdout.
    std::string plain;
    for (const char c : at) {
      if (!(c == '/' && !plain.empty() && plain.back() == '/')) plain += c;
    }
    if (auto fd = descriptor_named(plain)) return fd;
    struct stat st {};
    if (::lstat(plain.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return std::nullopt;
    std::string target(4096, '\0');
    const ssize_t n = ::readlink(plain.c_str(), target.data(), target.size());
    if (n <= 0) return std::nullopt;
    target.resize(static_cast<std::size_t>(n));
    if (target.front() == '/') {
      at = target;
    } else {
      const auto slash = plain.rfind('/');
      at = (slash == std::string::npos ? std::string() : plain.substr(0, slash + 1)) + target;
    }
  }
  return std::nullopt;
}

namespace {

std::vector<int>& inherited() {
  static std::vector<int> fds;
  return fds;
}
bool inherited_noted = false;

}  // namespace

void note_inherited_descriptors() {
  inherited().clear();
  // Those open now, below 1024 (a shell passes a handful; 1,024 checks cost well under a
  // millisecond).
  for (int fd = 0; fd < 1024; ++fd) {
    if (::fcntl(fd, F_GETFD) >= 0) inherited().push_back(fd);
  }
  inherited_noted = true;
}

bool check_output_descriptor(int fd, std::string& error) {
  if (fd == STDIN_FILENO) {
    error = "is standard input; give a file name, or '-' for standard output";
    return false;
  }
  const bool given =
      inherited_noted ? std::find(inherited().begin(), inherited().end(), fd) != inherited().end()
                      : fd == STDOUT_FILENO || fd == STDERR_FILENO;
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || !given) {
    error = "descriptor " + std::to_string(fd) + " is not open";
    return false;
  }
  if ((flags & O_ACCMODE) == O_RDONLY) {
    error = "descriptor " + std::to_string(fd) + " is open for reading only";
    return false;
  }
  struct stat st {};
  if (std::string input;
      ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && is_protected_input(st, input)) {
    error = "is an input of this command (" + input + "); write to another file";
    return false;
  }
  return true;
}

void protect_input(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) protect_input(path, st);
}

void protect_input(const std::string& path, const struct stat& st) {
  if (!S_ISREG(st.st_mode)) return;
  // A file given twice is listed twice (is_protected_input names the first): looking for
  // it first would make a folder of 20,000 documents cost 20,000²/2 comparisons.
  const std::lock_guard lock(protected_mutex());
  protected_inputs().push_back({st.st_dev, st.st_ino, path});
}

void release_input(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  const std::lock_guard lock(protected_mutex());
  auto& inputs = protected_inputs();
  inputs.erase(std::remove_if(inputs.begin(), inputs.end(),
                              [&](const ProtectedInput& p) {
                                return p.device == st.st_dev && p.inode == st.st_ino;
                              }),
               inputs.end());
}

bool is_protected_input(const struct stat& st, std::string& which) {
  const std::lock_guard lock(protected_mutex());
  for (const auto& p : protected_inputs()) {
    if (p.device != st.st_dev || p.inode != st.st_ino) continue;
    // An input deleted (or replaced) since it was read gives its inode number back to
    // the file system, which may hand it to a new file: in a long-running process (the
    // desk) that file is no input. The input still named by its path is.
    struct stat now {};
    if (::stat(p.path.c_str(), &now) != 0 || now.st_dev != p.device || now.st_ino != p.inode)
      continue;
    which = p.path;
    return true;
  }
  return false;
}

}  // namespace twinscan::util
