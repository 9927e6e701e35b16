// What tests of output files write and read back: a file's bytes, a file name of this
// process's own, and text that tells each byte's place.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace twinscan::testing {

inline std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// `folder`/PREFIX-PID-NAME: tests running at once never share a file.
inline std::string path_in(const std::filesystem::path& folder, const std::string& prefix,
                           const char* name) {
  return (folder / (prefix + "-" + std::to_string(::getpid()) + "-" + name)).string();
}

/// Text of `n` bytes that tells its place: line numbers with a tag.
inline std::string lines(const char* tag, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; out.size() < n; ++i) out += std::string(tag) + std::to_string(i) + "\n";
  out.resize(n);
  return out;
}

}  // namespace twinscan::testing
