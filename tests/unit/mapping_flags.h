// What tests of the memory the program maps read back: the kernel's flags for the mapping
// that holds an address (/proc/self/smaps), where "hg" says huge pages were asked for.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

namespace twinscan::testing {

/// The "VmFlags:" line of the mapping that holds `p` with a space after it, or "" when no
/// mapping does.
inline std::string vm_flags_of(const void* p) {
  const auto address = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long long low = 0;
    unsigned long long high = 0;
    // A mapping's first line: "low-high perms offset device inode path".
    if (std::sscanf(line.c_str(), "%llx-%llx ", &low, &high) == 2 &&
        line.find(':') > line.find(' ')) {
      inside = address >= low && address < high;
      continue;
    }
    if (inside && line.rfind("VmFlags:", 0) == 0) return line + " ";
  }
  return "";
}

/// Whether huge pages were asked for over the mapping that holds `p`.
inline bool huge_pages_advised(const void* p) {
  return vm_flags_of(p).find(" hg ") != std::string::npos;
}

}  // namespace twinscan::testing
