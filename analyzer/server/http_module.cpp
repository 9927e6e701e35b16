#include "analyzer/server/http_module.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
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

// Writes the module's bytes to `fd`; false with `error` set when they cannot be.
bool write_module(int fd, std::string& error) {
  const unsigned char* next = twinscan_http_module_start;
  while (next < twinscan_http_module_end) {
    const ssize_t written =
        ::write(fd, next, static_cast<std::size_t>(twinscan_http_module_end - next));
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      error = system_error("cannot write the module out");
      return false;
    }
    next += written;
  }
  return true;
}

// An anonymous file holding the module, sealed against change: the loader maps the file
// as it is now, and nothing can change it under the map. -1 where anonymous files are
// not allowed.
int module_in_anonymous_file(std::string& error) {
  // Asked not to be executable (kernels that refuse anonymous files that are ask for
  // this); older kernels do not know the flag, and are asked again without it. The
  // loader maps the file, which does not need its mode to allow execution.
  constexpr unsigned kNoExecSeal = 0x0008U;  // MFD_NOEXEC_SEAL, Linux 6.3
  int fd = memfd_create("twinscan-http", MFD_CLOEXEC | MFD_ALLOW_SEALING | kNoExecSeal);
  if (fd < 0 && errno == EINVAL)
    fd = memfd_create("twinscan-http", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    error = system_error("cannot make an anonymous file");
    return -1;
  }
  if (!write_module(fd, error)) {
    ::close(fd);
    return -1;
  }
  (void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  return fd;
}

// A file in the temporary folder holding the module, already unlinked: for systems that
// forbid anonymous files.
int module_in_temporary_file(std::string& error) {
  const char* folder = std::getenv("TMPDIR");
  std::string path =
      std::string(folder != nullptr && *folder != '\0' ? folder : "/tmp") + "/twinscan-http-XXXXXX";
  const int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) {
    error += "; " + system_error(("cannot make " + path).c_str());
    return -1;
  }
  ::unlink(path.c_str());
  if (!write_module(fd, error)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

LoadedModule load() {
  LoadedModule module;
  int fd = module_in_anonymous_file(module.error);
  if (fd < 0) fd = module_in_temporary_file(module.error);
  if (fd < 0) return module;
  module.error.clear();
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
