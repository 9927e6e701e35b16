#include "analyzer/server/http_module.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

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
      error = system_error("cannot write the module into it");
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
    error = system_error("cannot make one");
    return -1;
  }
  if (!write_module(fd, error)) {
    ::close(fd);
    return -1;
  }
  (void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  return fd;
}

// A file in `folder` holding the module, already unlinked: for systems that refuse
// anonymous files. -1 with `error` set when it cannot be made.
int module_in_folder(const std::string& folder, std::string& error) {
  std::string path = folder + "/twinscan-http-XXXXXX";
  const int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) {
    error = system_error(("cannot make " + path).c_str());
    return -1;
  }
  ::unlink(path.c_str());
  if (!write_module(fd, error)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// The folders to try after an anonymous file: a hardened system that refuses those may
// also mount its temporary folders without execution, so the binary's own folder is
// tried last.
std::vector<std::string> fallback_folders() {
  std::vector<std::string> folders;
  for (const char* variable : {"XDG_RUNTIME_DIR", "TMPDIR"}) {
    const char* value = std::getenv(variable);
    if (value != nullptr && *value != '\0') folders.emplace_back(value);
  }
  folders.emplace_back("/tmp");
  std::error_code ec;
  const auto binary = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec && binary.has_parent_path()) folders.push_back(binary.parent_path().string());
  return folders;
}

// Loads the module from `fd`, which stays open for the life of the process: the loader
// names the module by this path, which a debugger or a sanitizer's symbolizer (another
// process, hence /proc/PID rather than /proc/self) opens to read its symbols.
void* open_module(int fd, std::string& error) {
  const std::string path = "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(fd);
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    error = why != nullptr ? why : "unknown error";
    ::close(fd);
  }
  return handle;
}

LoadedModule load() {
  LoadedModule module;
  std::string why;
  void* handle = nullptr;
  if (const int fd = module_in_anonymous_file(why); fd >= 0) handle = open_module(fd, why);
  if (handle == nullptr) module.error = "from an anonymous file: " + why;
  if (handle == nullptr) {
    for (const std::string& folder : fallback_folders()) {
      why.clear();
      if (const int fd = module_in_folder(folder, why); fd >= 0) handle = open_module(fd, why);
      if (handle != nullptr) break;
      module.error += "; from " + folder + ": " + why;
    }
  }
  if (handle == nullptr) {
    module.error +=
        " (is the server library, libcpp-httplib, installed, and /proc mounted? A "
        "folder mounted without execution (noexec) cannot hold it)";
    return module;
  }
  // Never closed: servers made by it may live until the process ends.
  void* symbol = dlsym(handle, "twinscan_make_http_backend");
  if (symbol == nullptr) {
    module.error = "the module has no twinscan_make_http_backend";
    return module;
  }
  module.error.clear();
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
  error = "cannot load the desk's web server module " + loaded().error;
  return false;
}

MakeHttpBackend http_backend_maker() {
  std::string error;
  if (!load_http_module(error)) throw std::runtime_error(error);
  return loaded().make;
}

}  // namespace twinscan::server
