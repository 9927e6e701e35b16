// What tests of the memory the program maps read back: the kernel's flags for the mapping
// that holds an address (/proc/self/smaps), where "hg" says huge pages were asked for.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>

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

/// The first and one-past-last addresses of the mapping that holds `p`, or {0, 0}.
inline std::pair<std::uintptr_t, std::uintptr_t> mapping_bounds(const void* p) {
  const auto address = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long long low = 0;
    unsigned long long high = 0;
    if (std::sscanf(line.c_str(), "%llx-%llx ", &low, &high) == 2 && address >= low &&
        address < high)
      return {low, high};
  }
  return {0, 0};
}

/// Whether this kernel has transparent huge pages at all (without them, the advice is
/// refused and no mapping carries it).
inline bool kernel_has_huge_pages() {
  std::ifstream enabled("/sys/kernel/mm/transparent_hugepage/enabled");
  return enabled.good();
}

/// Whether huge pages were asked for over the mapping that holds `p`.
inline bool huge_pages_advised(const void* p) {
  return vm_flags_of(p).find(" hg ") != std::string::npos;
}

}  // namespace twinscan::testing
