#pragma once

namespace twinscan::util {

/// Gives the memory the process has freed back to the system now, rather than when the
/// allocator would (jemalloc keeps freed pages for ten seconds, glibc at the top of its
/// heap only): for the end of a stage that freed much, before a stage that allocates
/// more. A scan frees the rules' caches and working memory, then writes its report; the
/// freed pages, still resident, would count against the report's peak. Works with
/// jemalloc when it is the process's allocator, and with glibc's otherwise.
void return_freed_memory();

}  // namespace twinscan::util
