#pragma once

namespace twinscan::util {

/// Temporary files (outputs not yet renamed into place) are removed when the process is
/// stopped by SIGINT, SIGTERM, SIGHUP or SIGQUIT, so that an interrupted command leaves
/// nothing half-written beside its output. Signals someone else already handles (the
/// desk's shutdown) are left to that handler.
class TemporaryFileGuard {
 public:
  /// Remembers `path` until destroyed; the text must outlive the guard and not change.
  explicit TemporaryFileGuard(const char* path);
  TemporaryFileGuard(const TemporaryFileGuard&) = delete;
  TemporaryFileGuard& operator=(const TemporaryFileGuard&) = delete;
  ~TemporaryFileGuard();

 private:
  int slot_ = -1;  ///< -1 when every slot was taken (the file is then not guarded)
};

/// Makes the process safe to start with odd file descriptors and limits, before anything
/// is opened: a closed standard input, output or error is opened on /dev/null (standard
/// output read-only, so that writing to it fails as a write to a closed stream should,
/// instead of landing in whatever file took descriptor 1), and SIGXFSZ is ignored so
/// that a write past `ulimit -f` fails with an error the command reports.
void prepare_process();

}  // namespace twinscan::util
