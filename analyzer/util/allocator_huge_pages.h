#pragma once

namespace twinscan::util {

/// From now on, memory the allocator maps afresh is asked for in transparent huge pages
/// (util/huge_pages.h), where it is jemalloc: each of its arenas gets extent hooks that
/// advise huge pages over what its own hooks map. For a process about to fill hundreds of
/// megabytes: in a small one, blocks of 2 MiB barely used would be a large part of its
/// memory. Call it before other threads allocate. Returns false when huge pages do not pay
/// (util::huge_pages_pay(): nothing is asked), or when the allocator is not jemalloc 5 or
/// refuses (jemalloc may then have made its arenas and kept the address space of one block
/// untouched, which costs no memory).
bool ask_allocator_for_huge_pages();

}  // namespace twinscan::util
