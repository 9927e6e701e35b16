#pragma once

#include <string>
#include <string_view>

namespace twinscan::util {

/// Writes `content` as the output `path`, never leaving a partial file and never replacing
/// what is not a regular file:
/// - "-" is standard output;
/// - a regular file (or a new one) is written through a temporary file in the same folder,
///   synced and renamed into place, so that readers never see a partial file;
/// - a symbolic link is followed: its final target is replaced that way in the target's
///   folder, and the link stays a link;
/// - a character device (/dev/null, a terminal) or a FIFO is written to directly;
/// - a folder, a socket, a block device or a location that cannot be written is refused.
/// Returns false with `error` set to what is wrong (for "PATH: cannot write …: ERROR").
bool write_file_atomically(const std::string& path, std::string_view content, std::string& error);

}  // namespace twinscan::util

namespace twinscan::util {

/// The streamed form of write_file_atomically, for outputs too large to hold in memory:
/// open(), any number of write(), then commit(). The same rules apply ("-" is standard
/// output; a regular or new file is written to a temporary file in its folder and renamed
/// into place by commit(); a symbolic link's target is replaced and the link kept; a
/// character device or a FIFO is written to directly). Destroyed without commit(), the
/// temporary file is removed and the target is left as it was.
class AtomicFileWriter {
 public:
  AtomicFileWriter() = default;
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  ~AtomicFileWriter();

  /// Returns false with `error` set (as write_file_atomically does).
  bool open(const std::string& path, std::string& error);
  bool write(std::string_view content, std::string& error);
  /// Appends the first `size` bytes of the file open as `fd` (read from its start).
  bool append_file(int fd, std::uint64_t size, std::string& error);
  /// Syncs and renames the temporary file into place.
  bool commit(std::string& error);

 private:
  int fd_ = -1;
  bool owns_fd_ = false;  ///< false for standard output
  std::string temp_;      ///< the temporary file; empty when writing through
  std::string target_;
  /// Bytes written to the temporary file, and those the disk was asked to write (every
  /// kStartWriteBack bytes).
  static constexpr std::uint64_t kStartWriteBack = std::uint64_t{32} << 20;
  std::uint64_t written_ = 0;
  std::uint64_t started_ = 0;
};

}  // namespace twinscan::util
