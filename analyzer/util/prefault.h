// Faulting in the far part of a large fresh buffer on a second thread while the caller
// fills it from the front: on a virtual machine a page first touched costs about a
// microsecond of some core's time (the host hands the memory over then), and a
// one-threaded step that fills a buffer of a hundred megabytes otherwise pays it all alone.
#pragma once

#include <cstddef>
#include <thread>

namespace twinscan::util {

/// While it lives, a thread of its own asks the kernel to fault in the back half of
/// [`begin`, `begin` + `bytes`) (MADV_POPULATE_WRITE, which writes nothing into it: the
/// memory reads as it did). Buffers under kLeastBytes, or a kernel without that advice,
/// get nothing, and so do all when no thread can be started. The destructor waits for the
/// thread.
class BackHalfPrefault {
 public:
  static constexpr std::size_t kLeastBytes = std::size_t{16} << 20;

  BackHalfPrefault(void* begin, std::size_t bytes);
  BackHalfPrefault(const BackHalfPrefault&) = delete;
  BackHalfPrefault& operator=(const BackHalfPrefault&) = delete;
  ~BackHalfPrefault();

 private:
  std::thread thread_;
};

}  // namespace twinscan::util
