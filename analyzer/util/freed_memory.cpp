#include "analyzer/util/freed_memory.h"

#include <dlfcn.h>
#include <malloc.h>

#include <cstddef>

#include <spdlog/spdlog.h>

namespace twinscan::util {
namespace {

using Mallctl = int (*)(const char*, void*, std::size_t*, void*, std::size_t);

// jemalloc's control entry, when jemalloc is linked in (the binary links it; tests and
// sanitizer builds do not).
Mallctl jemalloc_control() {
  static const auto control = reinterpret_cast<Mallctl>(dlsym(RTLD_DEFAULT, "mallctl"));
  return control;
}

}  // namespace

void return_freed_memory() {
  if (const Mallctl control = jemalloc_control()) {
    // Every arena (MALLCTL_ARENAS_ALL is 4096): their freed pages, at once.
    if (const int status = control("arena.4096.purge", nullptr, nullptr, nullptr, 0))
      spdlog::debug("the allocator kept its freed memory (jemalloc's purge: error {})", status);
    return;
  }
  ::malloc_trim(0);
}

}  // namespace twinscan::util
