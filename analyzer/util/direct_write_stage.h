// Large outputs written to the disk without a copy in the page cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "analyzer/util/block_writer.h"

namespace twinscan::util {

/// The front of a new regular file, written with direct I/O (O_DIRECT) once it is large:
/// its first block goes through the page cache as usual; from there on, what is given is
/// gathered in aligned blocks, and each full block goes to the disk on a thread of its
/// own (BlockWriter) while the next is filled. An output is synced before it is renamed into place,
/// so its bytes must reach the disk anyway; through the page cache they are copied once more first,
/// into memory the kernel has to find and clear, which for a report of hundreds of megabytes costs
/// more than the disk does. A small output never opens a second descriptor or takes the blocks'
/// memory. Used for the front of a file only: once finished (or when the file system refuses direct
/// I/O, as tmpfs may), everything from that point on is written the ordinary way, by the owner.
class DirectWriteStage {
 public:
  /// Bytes gathered before each direct write, and written through the page cache before
  /// the first: a multiple of every block size a device asks direct I/O to be aligned
  /// to, and large enough that a write keeps the disk busy.
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  DirectWriteStage() = default;
  DirectWriteStage(const DirectWriteStage&) = delete;
  DirectWriteStage& operator=(const DirectWriteStage&) = delete;
  ~DirectWriteStage() = default;

  /// Starts on the empty file at `path`, which `buffered_fd` (the owner's descriptor) has
  /// open and is written through until the file is large, and wherever direct I/O falls
  /// short.
  void start(const std::string& path, int buffered_fd);
  /// Whether bytes given to write() go through this stage (else the owner writes them).
  [[nodiscard]] bool active() const { return started_ && !finished_; }
  /// Appends `content` after what was given before. A direct write the file system
  /// refuses is made through the buffered descriptor at its place, and the rest follows
  /// the same way. False with `error` set once a write failed.
  bool write(std::string_view content, std::string& error);
  /// Writes what is gathered and ends the stage; the owner's descriptor is then at the
  /// end of what was given, ready to go on.
  bool finish(std::string& error);
  /// Ends the stage without writing what is left: its threads stop at once, and no longer
  /// use the owner's descriptor, which may then be closed (the output is dropped).
  void abandon();

 private:
  // Opens the file for direct I/O and starts its writer, once the first block is
  // written; false when the file system or memory does not allow it.
  bool open_direct();
  // Puts the owner's descriptor at the end of what was written, once the stage is over.
  bool place_owner(std::string& error) const;

  std::string path_;
  int buffered_fd_ = -1;
  bool started_ = false;
  bool finished_ = false;
  std::unique_ptr<BlockWriter> writer_;  ///< While blocks go to the disk directly.
  std::size_t staged_ = 0;     ///< Bytes gathered in the writer's block, not yet handed over.
  std::uint64_t written_ = 0;  ///< Bytes written through the page cache, before or after.
};

}  // namespace twinscan::util
