// Large outputs written to the disk without a copy in the page cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace twinscan::util {

/// The front of a new regular file written with direct I/O (O_DIRECT): what is given is
/// gathered in one aligned block, reused, and each full block goes from it to the disk.
/// An output is synced before it is renamed into place, so its bytes must reach the
/// disk anyway; through the page cache they are copied once more first, into memory the
/// kernel has to find and clear, which for a report of hundreds of megabytes costs more
/// than the disk does. Used for the front of a file only: once finished (or when the
/// file system refuses direct I/O, as tmpfs does), everything from that point on is
/// written the ordinary way, by the owner.
class DirectWriteStage {
 public:
  /// Bytes gathered before each direct write: a multiple of every block size a device
  /// asks direct I/O to be aligned to, and large enough that a write keeps the disk busy.
  static constexpr std::size_t kBlock = std::size_t{4} << 20;

  DirectWriteStage() = default;
  DirectWriteStage(const DirectWriteStage&) = delete;
  DirectWriteStage& operator=(const DirectWriteStage&) = delete;
  ~DirectWriteStage();

  /// Starts on the empty file at `path`, which `buffered_fd` (the owner's descriptor) has
  /// open too and is written through when direct I/O falls short. Stays inactive when the
  /// file cannot be opened for direct I/O.
  void start(const std::string& path, int buffered_fd);
  /// Whether bytes given to write() go through this stage (else the owner writes them).
  [[nodiscard]] bool active() const { return direct_fd_ >= 0; }
  /// Appends `content` after what was given before. A direct write the file system
  /// refuses ends the stage: what it held is written through the buffered descriptor at
  /// its place and the stage is no longer active. False with `error` set on a failed write.
  bool write(std::string_view content, std::string& error);
  /// Writes what is gathered and ends the stage; the owner's descriptor is then at the
  /// end of what was given (size()), ready to go on.
  bool finish(std::string& error);
  /// Bytes given so far.
  [[nodiscard]] std::uint64_t size() const { return written_ + staged_; }

 private:
  // Writes the gathered block at written_, directly when the file system takes it.
  bool write_block(std::string& error);
  // Writes what is gathered through the buffered descriptor, places that descriptor at
  // the end of it and closes the direct one.
  bool fall_back(std::string& error);

  struct FreeBlock {
    void operator()(char* block) const { std::free(block); }
  };
  int direct_fd_ = -1;
  int buffered_fd_ = -1;
  std::unique_ptr<char, FreeBlock> block_;
  std::size_t staged_ = 0;     ///< Bytes gathered in block_, not yet written.
  std::uint64_t written_ = 0;  ///< Bytes written to the file (always whole blocks).
};

}  // namespace twinscan::util
