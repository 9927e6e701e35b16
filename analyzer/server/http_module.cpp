#include "analyzer/server/http_module.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>

// The module's bytes (http_module_bytes.cpp).
extern "C" const unsigned char twinscan_http_module_start[];
extern "C" const unsigned char twinscan_http_module_end[];

namespace twinscan::server {
namespace {

struct LoadedModule {
  MakeHttpBackend make = nullptr;
  std::string error;
};

std::string system_error(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// Writes the module into an anonymous file, sealed against change, and opens that.
LoadedModule load() {
  LoadedModule module;
  const int fd = memfd_create("twinscan-http", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    module.error = system_error("cannot make an anonymous file");
    return module;
  }
  const unsigned char* next = twinscan_http_module_start;
  while (next < twinscan_http_module_end) {
    const ssize_t written =
        ::write(fd, next, static_cast<std::size_t>(twinscan_http_module_end - next));
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      module.error = system_error("cannot write the module into an anonymous file");
      ::close(fd);
      return module;
    }
    next += written;
  }
  // The loader maps the file as it is now: sealed, nothing can change it under the map.
  (void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ::close(fd);  // the mapping keeps the file
  if (handle == nullptr) {
    const char* why = dlerror();
    module.error = std::string("cannot load it: ") + (why != nullptr ? why : "unknown error") +
                   " (is /proc mounted, and the server library (libcpp-httplib) installed?)";
    return module;
  }
  // Never closed: servers made by it may live until the process ends.
  void* symbol = dlsym(handle, "twinscan_make_http_backend");
  if (symbol == nullptr) {
    module.error = "the module has no twinscan_make_http_backend";
    return module;
  }
  module.make = reinterpret_cast<MakeHttpBackend>(symbol);
  return module;
}

const LoadedModule& loaded() {
  static const LoadedModule module = load();
  return module;
}

}  // namespace

bool load_http_module(std::string& error) {
  if (loaded().make != nullptr) return true;
  error = "the desk's web server module: " + loaded().error;
  return false;
}

MakeHttpBackend http_backend_maker() {
  std::string error;
  if (!load_http_module(error)) throw std::runtime_error(error);
  return loaded().make;
}

}  // namespace twinscan::server
