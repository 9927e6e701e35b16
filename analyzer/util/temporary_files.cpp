#include "analyzer/util/temporary_files.h"

#include <fcntl.h>
#include <unistd.h>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <mutex>

namespace twinscan::util {
namespace {

// Read by a signal handler, so plain atomics of plain pointers: nothing is allocated or
// locked there.
constexpr std::size_t kSlots = 64;
std::array<std::atomic<const char*>, kSlots> g_files{};
constexpr std::array<int, 4> kSignals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

void remove_and_reraise(int signal) {
  for (auto& slot : g_files) {
    const char* path = slot.exchange(nullptr);
    if (path != nullptr) ::unlink(path);
  }
  // Ends the process as the signal would have, so the caller sees the same status.
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void install_handlers() {
  for (int signal : kSignals) {
    struct sigaction current {};
    if (::sigaction(signal, nullptr, &current) != 0) continue;
    if (current.sa_handler != SIG_DFL) continue;  // ignored, or handled by someone else
    struct sigaction action {};
    action.sa_handler = remove_and_reraise;
    sigemptyset(&action.sa_mask);
    ::sigaction(signal, &action, nullptr);
  }
}

}  // namespace

TemporaryFileGuard::TemporaryFileGuard(const char* path) {
  static std::once_flag installed;
  std::call_once(installed, install_handlers);
  for (std::size_t i = 0; i < kSlots; ++i) {
    const char* empty = nullptr;
    if (g_files[i].compare_exchange_strong(empty, path)) {
      slot_ = static_cast<int>(i);
      return;
    }
  }
}

TemporaryFileGuard::~TemporaryFileGuard() {
  if (slot_ >= 0) g_files[static_cast<std::size_t>(slot_)].store(nullptr);
}

void prepare_process() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    // The lowest free descriptor is `fd` itself, as those below it are open by now.
    const int opened = ::open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);
    if (opened >= 0 && opened != fd) {
      ::dup2(opened, fd);
      ::close(opened);
    }
  }
  std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace twinscan::util
