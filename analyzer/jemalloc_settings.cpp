// jemalloc's settings, compiled into the binaries that link it. jemalloc reads this
// symbol when the process starts; MALLOC_CONF in the environment still overrides it.
//
// thp:default leaves transparent huge pages to the system: jemalloc asks for none where
// the system leaves them to programs ("madvise", Debian's default). On a virtual machine
// whose kernel hands freed memory back to the host (free page reporting), a huge page
// first touched usually comes from memory the host took back, and faulting it in costs
// far more than the 4 KiB pages the kernel still holds: asking for huge pages
// (thp:always) made the dense catalogue scan at 10^6 entities 1.13 times as long and a
// JSON load of a million entities 1.10 times (docs/performance.md, "No huge pages asked
// for").
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "thp:default";
}
