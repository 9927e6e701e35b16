#pragma once

namespace twinscan::util {

/// Asks the processor to bring the cache line at `address` into its caches, so that a
/// look-up a few steps later finds it there rather than waiting for memory. Tables that
/// are probed at random (string interning, merging, importing) call it for keys a few
/// steps ahead, so that the misses overlap.
///
/// Use this, never __builtin_prefetch directly: GCC deems a function whose only effect is
/// a prefetch to have no effect at all (it marks it `const`) and deletes every call to it
/// that it has not inlined first. A hash table's prefetch(key), which calls the hash,
/// is such a function: the merge of relations across documents waited on every table
/// slot, its prefetches silently gone. The empty volatile statement below is an effect
/// the compiler must keep; it emits no instruction.
/// tests/source/prefetches_are_kept.sh checks that no source calls __builtin_prefetch
/// and that the loading's hot loops keep their prefetch instructions.
inline void prefetch(const void* address) {
  __builtin_prefetch(address);
  asm volatile("" : : "r"(address));
}

}  // namespace twinscan::util
