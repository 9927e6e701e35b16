#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "analyzer/util/direct_write_stage.h"
#include "analyzer/util/temporary_files.h"

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
/// temporary file is removed and the target is left as it was. What write() gives a
/// temporary file past its first 4 MiB goes to the disk by direct I/O where the file
/// system allows it (DirectWriteStage), until the tail stream or append_file() is first
/// used.
class AtomicFileWriter {
 public:
  /// Where the tail stream starts in the temporary file (see open_tail()): far past any
  /// head a document has; a head that grows past it moves the tail on.
  static constexpr std::uint64_t kTailAt = std::uint64_t{1} << 36;

  AtomicFileWriter() = default;
  /// With the tail stream starting at `tail_at` (a multiple of 1 MiB).
  explicit AtomicFileWriter(std::uint64_t tail_at) : tail_at_(tail_at) {}
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

  /// A second stream into the temporary file, for text that is to follow everything
  /// write() gives but is made alongside it (a document's relations, made while its
  /// entities are): written far ahead in the file, then moved to follow the head by
  /// join_tail(). Where the file system allows it (ext4, XFS), the gap between the two is
  /// taken out of the file and nothing is copied; elsewhere the tail is copied once, as
  /// a scratch file would be. False when the output has no such stream (standard output,
  /// a device, a FIFO, or a file system that refuses the offset): the caller keeps the
  /// text elsewhere.
  bool open_tail();
  [[nodiscard]] bool has_tail() const { return tail_open_; }
  [[nodiscard]] std::uint64_t tail_size() const { return tail_size_; }
  bool write_tail(std::string_view content, std::string& error);
  /// Reads up to `size` bytes of the tail from its byte `at` into `data`; the count read.
  bool read_tail(std::uint64_t at, char* data, std::size_t size, std::size_t& got,
                 std::string& error) const;
  /// Puts the tail right after the head, after padding the head with `pad` (a byte the
  /// format ignores there, such as a space in JSON) up to the file system's next block
  /// when that lets the gap be taken out without a copy. The stream is closed; write()
  /// goes on after the tail.
  bool join_tail(char pad, std::string& error);
  /// Throws the tail away (its text was read back and written again to the head).
  bool drop_tail(std::string& error);

 private:
  int fd_ = -1;
  bool owns_fd_ = false;                       ///< false for standard output
  std::string temp_;                           ///< the temporary file; empty when writing through
  std::unique_ptr<TemporaryFileGuard> guard_;  ///< removes temp_ if a signal ends the process
  std::string target_;
  unsigned mode_ = 0644;  ///< the output's permissions: the replaced file's, or the umask's
  /// Bytes written to the temporary file, and those the disk was asked to write (every
  /// kStartWriteBack bytes).
  static constexpr std::uint64_t kStartWriteBack = std::uint64_t{32} << 20;
  std::uint64_t written_ = 0;
  std::uint64_t started_ = 0;
  /// The tail stream: where it starts, its size, and how much of it the disk was asked
  /// to write.
  std::uint64_t tail_at_ = kTailAt;
  std::uint64_t tail_size_ = 0;
  std::uint64_t tail_started_ = 0;
  bool tail_open_ = false;
  /// The front of a temporary file, written by direct I/O while only write() is used.
  DirectWriteStage direct_;
  /// Why the output can no longer be written, once a write failed: the file may hold
  /// part of what was given, so every later write() and commit() fails with it too.
  std::string broken_;
  /// Keeps `error` in broken_ and returns false.
  bool broke(const std::string& error);
  /// False, with `error` set to broken_, once a write failed.
  bool still_writable(std::string& error) const;
  /// Ends the direct stage: the descriptor is then at the end of what was written.
  bool finish_direct(std::string& error);
  /// Moves the tail past `head_end` (the head is about to grow there).
  bool move_tail_past(std::uint64_t head_end, std::string& error);
};

}  // namespace twinscan::util
