// util::ask_allocator_for_huge_pages under jemalloc, the binary's allocator (the unit tests
// run on glibc's): blocks mapped afresh after the call carry the kernel's huge-page advice
// ("hg" among their flags in /proc/self/smaps), blocks of a process without it do not, and the
// allocator still allocates, frees and purges through the hooks. Exits 0 when all of this holds.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "analyzer/util/allocator_huge_pages.h"
#include "analyzer/util/freed_memory.h"
#include "analyzer/util/huge_page_choice.h"
#include "tests/unit/mapping_flags.h"

namespace {

using twinscan::testing::huge_pages_advised;

int failures = 0;
void check(bool holds, const char* what) {
  std::printf("%s: %s\n", holds ? "ok" : "FAILED", what);
  if (!holds) ++failures;
}

// In a child process: runs `before` (false fails), then allocates and fills `bytes`;
// true when all held and the block carries no huge-page advice.
template <typename Before>
bool in_child_no_block_advised(std::size_t bytes, Before before) {
  const pid_t child = ::fork();
  if (child == 0) {
    if (!before()) std::_Exit(1);
    auto* block = static_cast<char*>(std::malloc(bytes));
    std::memset(block, 1, bytes);
    std::_Exit(huge_pages_advised(block + bytes / 2) ? 1 : 0);
  }
  int status = -1;
  ::waitpid(child, &status, 0);
  return child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int main() {
  constexpr std::size_t kLarge = std::size_t{64} << 20;
  // Without the call (in a child, as jemalloc keeps the address space it took for a block
  // to serve the next), a large block is not advised.
  check(in_child_no_block_advised(kLarge, [] { return true; }),
        "without the call, a large block is not advised");

  // Where huge pages do not pay, nothing is asked of the allocator (in a child, as the
  // answer is kept for the process).
  check(in_child_no_block_advised(kLarge,
                                  [] {
                                    twinscan::util::set_huge_page_policy(
                                        twinscan::util::HugePagePolicy::kNever);
                                    return !twinscan::util::ask_allocator_for_huge_pages();
                                  }),
        "where huge pages do not pay, the call asks nothing and a large block is not advised");

  twinscan::util::set_huge_page_policy(twinscan::util::HugePagePolicy::kAlways);
  check(twinscan::util::ask_allocator_for_huge_pages(), "jemalloc takes the hooks");
  check(twinscan::util::ask_allocator_for_huge_pages(), "a second call answers alike");

  auto* after = static_cast<char*>(std::malloc(kLarge));
  std::memset(after, 7, kLarge);
  check(huge_pages_advised(after + kLarge / 2),
        "a large block allocated after the call is advised");
  check(after[kLarge - 1] == 7, "the block holds what was written");

  // Many small blocks, freed, then the arenas purged: all through the wrapped hooks.
  std::vector<void*> small;
  for (int i = 0; i < 200000; ++i) small.push_back(std::malloc(64 + i % 512));
  bool all = true;
  for (void* p : small) all = all && p != nullptr;
  check(all, "small blocks are allocated");
  for (void* p : small) std::free(p);
  std::free(after);
  twinscan::util::return_freed_memory();
  auto* again = static_cast<char*>(std::malloc(kLarge));
  std::memset(again, 1, kLarge);
  check(again[0] == 1 && again[kLarge - 1] == 1, "memory allocated after a purge is usable");
  std::free(again);
  return failures == 0 ? 0 : 1;
}
