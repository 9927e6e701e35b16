// The server module's file (analyzer/http, built first), put into the binary by the
// assembler: TWINSCAN_HTTP_MODULE is its path, given by the build. The bytes are read
// only by `twinscan serve`, so other commands never page them in.
#ifndef TWINSCAN_HTTP_MODULE
#error "TWINSCAN_HTTP_MODULE: the path of the server module, given by analyzer/CMakeLists.txt"
#endif

__asm__(
    ".pushsection .rodata.twinscan_http_module, \"a\"\n"
    ".balign 64\n"
    ".globl twinscan_http_module_start\n"
    ".hidden twinscan_http_module_start\n"
    "twinscan_http_module_start:\n"
    ".incbin \"" TWINSCAN_HTTP_MODULE
    "\"\n"
    ".globl twinscan_http_module_end\n"
    ".hidden twinscan_http_module_end\n"
    "twinscan_http_module_end:\n"
    ".popsection\n");
