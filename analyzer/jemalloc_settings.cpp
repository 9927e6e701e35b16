// jemalloc's settings, compiled into the binaries that link it. jemalloc reads this
// symbol when the process starts; MALLOC_CONF in the environment still overrides it.
//
// thp:default leaves transparent huge pages to the system: jemalloc asks for none where
// the system leaves them to programs ("madvise", Debian's default). A small process keeps
// its 4 KiB pages: blocks of 2 MiB barely used would be a large part of its memory (8 MB
// more on a scan of a 45 MB snapshot). A command given a large registry asks for huge
// pages once it knows the registry's size (util::ask_allocator_for_huge_pages; see
// docs/performance.md, "Huge pages for the growing columns and large registries").
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "thp:default";
}
