#include "analyzer/util/allocator_huge_pages.h"

#include <dlfcn.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include <spdlog/spdlog.h>

#include "analyzer/util/huge_page_choice.h"
#include "analyzer/util/huge_pages.h"

namespace twinscan::util {
namespace {

using Mallctl = int (*)(const char*, void*, std::size_t*, void*, std::size_t);

// jemalloc 5's extent hooks (jemalloc/jemalloc.h, extent_hooks_t), declared here so that
// the library builds and runs without jemalloc: the binary links it, tests and sanitizer
// builds do not. The layout is fixed for jemalloc 5; the version is checked before use.
struct ExtentHooks;
using Alloc = void*(ExtentHooks*, void*, std::size_t, std::size_t, bool*, bool*, unsigned);
using Dalloc = bool(ExtentHooks*, void*, std::size_t, bool, unsigned);
using Destroy = void(ExtentHooks*, void*, std::size_t, bool, unsigned);
using Commit = bool(ExtentHooks*, void*, std::size_t, std::size_t, std::size_t, unsigned);
using Purge = bool(ExtentHooks*, void*, std::size_t, std::size_t, std::size_t, unsigned);
using Split = bool(ExtentHooks*, void*, std::size_t, std::size_t, std::size_t, bool, unsigned);
using Merge = bool(ExtentHooks*, void*, std::size_t, void*, std::size_t, bool, unsigned);
struct ExtentHooks {
  Alloc* alloc;
  Dalloc* dalloc;
  Destroy* destroy;
  Commit* commit;
  Commit* decommit;
  Purge* purge_lazy;
  Purge* purge_forced;
  Split* split;
  Merge* merge;
};

// mallctl reads and writes hooks as a pointer.
constexpr std::size_t kHooksPointer = sizeof(void*);

// The arenas' own hooks (all arenas share jemalloc's defaults), and the hooks that wrap
// them. Each wrapper hands the call to the same hook of `original`, as jemalloc would
// have: a hook that was absent stays absent.
ExtentHooks* original = nullptr;
ExtentHooks wrapped{};

// Blocks for the arenas' own records (jemalloc's "base"), which it asks for aligned to a
// huge page, keep 4 KiB pages: each arena made would otherwise fault in a huge page for a
// few kilobytes of records (jemalloc's metadata_thp, off by default, decides that). Blocks
// for allocations come aligned to a page.
void* alloc_in_huge_pages(ExtentHooks*, void* at, std::size_t size, std::size_t alignment,
                          bool* zero, bool* commit, unsigned arena) {
  void* p = original->alloc(original, at, size, alignment, zero, commit, arena);
  if (p != nullptr && alignment < kHugePage) advise_huge_pages(p, size);
  return p;
}
bool dalloc(ExtentHooks*, void* p, std::size_t size, bool committed, unsigned arena) {
  return original->dalloc(original, p, size, committed, arena);
}
void destroy(ExtentHooks*, void* p, std::size_t size, bool committed, unsigned arena) {
  original->destroy(original, p, size, committed, arena);
}
bool commit(ExtentHooks*, void* p, std::size_t size, std::size_t offset, std::size_t length,
            unsigned arena) {
  return original->commit(original, p, size, offset, length, arena);
}
bool decommit(ExtentHooks*, void* p, std::size_t size, std::size_t offset, std::size_t length,
              unsigned arena) {
  return original->decommit(original, p, size, offset, length, arena);
}
// Either purge (lazy or forced): `purge` names which.
template <Purge* ExtentHooks::*purge>
bool purge_pages(ExtentHooks*, void* p, std::size_t size, std::size_t offset, std::size_t length,
                 unsigned arena) {
  return (original->*purge)(original, p, size, offset, length, arena);
}
bool split(ExtentHooks*, void* p, std::size_t size, std::size_t a, std::size_t b, bool committed,
           unsigned arena) {
  return original->split(original, p, size, a, b, committed, arena);
}
bool merge(ExtentHooks*, void* a, std::size_t size_a, void* b, std::size_t size_b, bool committed,
           unsigned arena) {
  return original->merge(original, a, size_a, b, size_b, committed, arena);
}

ExtentHooks make_wrapped(const ExtentHooks& own) {
  ExtentHooks w{};
  w.alloc = own.alloc != nullptr ? &alloc_in_huge_pages : nullptr;
  w.dalloc = own.dalloc != nullptr ? &dalloc : nullptr;
  w.destroy = own.destroy != nullptr ? &destroy : nullptr;
  w.commit = own.commit != nullptr ? &commit : nullptr;
  w.decommit = own.decommit != nullptr ? &decommit : nullptr;
  w.purge_lazy = own.purge_lazy != nullptr ? &purge_pages<&ExtentHooks::purge_lazy> : nullptr;
  w.purge_forced = own.purge_forced != nullptr ? &purge_pages<&ExtentHooks::purge_forced> : nullptr;
  w.split = own.split != nullptr ? &split : nullptr;
  w.merge = own.merge != nullptr ? &merge : nullptr;
  return w;
}

bool install() {
  const auto control = reinterpret_cast<Mallctl>(dlsym(RTLD_DEFAULT, "mallctl"));
  if (control == nullptr) return false;
  const char* version = nullptr;
  std::size_t length = sizeof version;
  if (control("version", &version, &length, nullptr, 0) != 0 || version == nullptr ||
      std::strncmp(version, "5.", 2) != 0)
    return false;
  // jemalloc serves blocks from 8 MiB up (opt.oversize_threshold) from an arena of their
  // own, made with the first of them: one is asked for (and not touched), so that it
  // exists to be given the hooks.
  // (Through a volatile pointer: a compiler may drop a malloc freed unused.)
  void* volatile oversize = std::malloc(std::size_t{16} << 20);  // NOLINT: the allocator is meant
  std::free(oversize);                                           // NOLINT
  unsigned arenas = 0;
  length = sizeof arenas;
  if (control("arenas.narenas", &arenas, &length, nullptr, 0) != 0) return false;
  // Every arena must have the hooks of arena 0 (jemalloc's defaults): one set is wrapped.
  ExtentHooks* own = nullptr;
  length = kHooksPointer;
  if (control("arena.0.extent_hooks", &own, &length, nullptr, 0) != 0 || own == nullptr ||
      own->alloc == nullptr)
    return false;
  original = own;
  wrapped = make_wrapped(*own);
  unsigned installed = 0;
  for (unsigned arena = 0; arena < arenas; ++arena) {
    const std::string name = "arena." + std::to_string(arena) + ".extent_hooks";
    ExtentHooks* current = nullptr;
    length = kHooksPointer;
    // An arena not made yet reads as having jemalloc's defaults; given hooks, it is made
    // with them. One given other hooks (by a library) is left as it is.
    if (control(name.c_str(), &current, &length, nullptr, 0) != 0 || current != own) continue;
    ExtentHooks* replacement = &wrapped;
    if (control(name.c_str(), nullptr, nullptr, &replacement, kHooksPointer) == 0) ++installed;
  }
  spdlog::debug("the allocator maps fresh memory in huge pages ({} of {} arenas)", installed,
                arenas);
  return installed > 0;
}

}  // namespace

bool ask_allocator_for_huge_pages() {
  static std::once_flag once;
  static bool done = false;
  std::call_once(once, [] {
    // Where huge pages do not pay, the hooks would only pass every call on.
    if (!huge_pages_pay()) return;
    done = install();
    if (!done)
      spdlog::debug("the allocator is not jemalloc 5, or refused: no huge pages asked of it");
  });
  return done;
}

}  // namespace twinscan::util
