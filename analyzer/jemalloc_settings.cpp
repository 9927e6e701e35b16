// jemalloc's settings, compiled into the binaries that link it. jemalloc reads this
// symbol when the process starts; MALLOC_CONF in the environment still overrides it.
//
// thp:always asks the kernel for transparent huge pages for all of jemalloc's memory
// where the system leaves that to programs ("madvise", Debian's default). A scan at 10^6
// entities allocates over a gigabyte (findings, their texts, remembered answers), and each
// first touch of a 4 KiB page is a fault, which is costly on a virtual machine: with huge
// pages the dense catalogue scan takes three quarters of the time (docs/performance.md,
// "The allocator"), with the same peak memory.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "thp:always";
}
