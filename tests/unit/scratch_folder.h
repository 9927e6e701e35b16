// Test helper: a folder of its own for one test's files, removed with everything in it
// when the test ends.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace twinscan::testing {

struct ScratchFolder {
  std::filesystem::path path;
  /// A folder named after `name` and the process (not created: the test makes it, or
  /// has a command make it).
  explicit ScratchFolder(const std::string& name)
      : path(std::filesystem::temp_directory_path() /
             ("twinscan-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
  }
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
};

/// Folders on each kind of file system an output may be written to that this machine
/// has: the temporary folder (a disk's file system, which takes direct I/O) and /dev/shm
/// (tmpfs, which refuses it), where it exists.
inline std::vector<std::string> folders_on_each_file_system() {
  std::vector<std::string> out{std::filesystem::temp_directory_path().string()};
  if (std::filesystem::is_directory("/dev/shm")) out.emplace_back("/dev/shm");
  return out;
}

}  // namespace twinscan::testing
