// Large outputs written to the disk without a copy in the page cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace twinscan::util {

/// The front of a new regular file, written with direct I/O (O_DIRECT) once it is large:
/// its first block goes through the page cache as usual; from there on, what is given is
/// gathered in one aligned block, reused, and each full block goes from it to the disk.
/// An output is synced before it is renamed into place, so its bytes must reach the disk
/// anyway; through the page cache they are copied once more first, into memory the
/// kernel has to find and clear, which for a report of hundreds of megabytes costs more
/// than the disk does. A small output never opens a second descriptor or takes the
/// block's memory. Used for the front of a file only: once finished (or when the file
/// system refuses direct I/O, as tmpfs may), everything from that point on is written
/// the ordinary way, by the owner.
class DirectWriteStage {
 public:
  /// Bytes gathered before each direct write, and written through the page cache before
  /// the first: a multiple of every block size a device asks direct I/O to be aligned
  /// to, and large enough that a write keeps the disk busy.
  static constexpr std::size_t kBlock = std::size_t{1} << 20;

  DirectWriteStage() = default;
  DirectWriteStage(const DirectWriteStage&) = delete;
  DirectWriteStage& operator=(const DirectWriteStage&) = delete;
  ~DirectWriteStage();

  /// Starts on the empty file at `path`, which `buffered_fd` (the owner's descriptor) has
  /// open and is written through until the file is large, and wherever direct I/O falls
  /// short.
  void start(const std::string& path, int buffered_fd);
  /// Whether bytes given to write() go through this stage (else the owner writes them).
  [[nodiscard]] bool active() const { return started_ && !finished_; }
  /// Appends `content` after what was given before. A direct write the file system
  /// refuses ends direct writing: what the block held is written through the buffered
  /// descriptor at its place, and the rest follows the same way. False with `error` set
  /// on a failed write.
  bool write(std::string_view content, std::string& error);
  /// Writes what is gathered and ends the stage; the owner's descriptor is then at the
  /// end of what was given, ready to go on.
  bool finish(std::string& error);

 private:
  // Opens the file for direct I/O and takes the block, once the first block is written;
  // false when the file system or memory does not allow it.
  bool open_direct();
  // Writes the gathered block at written_, directly when the file system takes it.
  bool write_block(std::string& error);
  // Writes what is gathered through the buffered descriptor and closes the direct one:
  // everything after goes that way.
  bool fall_back(std::string& error);
  // Puts the owner's descriptor at the end of what was written, once the stage is over.
  bool place_owner(std::string& error) const;

  struct FreeBlock {
    void operator()(char* block) const { std::free(block); }
  };
  std::string path_;
  int buffered_fd_ = -1;
  int direct_fd_ = -1;  ///< Open while blocks go to the disk directly.
  bool started_ = false;
  bool finished_ = false;
  std::unique_ptr<char, FreeBlock> block_;
  std::size_t staged_ = 0;     ///< Bytes gathered in block_, not yet written.
  std::uint64_t written_ = 0;  ///< Bytes written to the file.
};

}  // namespace twinscan::util
