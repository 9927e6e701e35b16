// A file's large blocks written to the disk on a thread of their own.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace twinscan::util {

/// Writes blocks of one size, one after the other, to a file open for direct I/O, on a
/// thread of its own: whoever fills them (a report being rendered) goes on with the next
/// block while the disk takes the last, instead of waiting for each write. Every
/// kFlushEvery bytes a second thread syncs the file, while the first goes on writing, so
/// that the device writes out its cache while the text is still being made: a report of
/// 200 MB otherwise waited 0.2 s for one sync of all of it before it could be renamed
/// into place.
///
/// A write the file system refuses (an alignment this device does not take) is made
/// through `buffered_fd` at the same place, and so is every block after it. A write that
/// fails stops the writing: hand_over() and finish() then return false with its error.
class BlockWriter {
 public:
  /// Blocks in turn: one being filled, the others written or waiting to be.
  static constexpr std::size_t kBlocks = 8;
  /// Blocks handed over before the writer takes more than one: an output of up to 32 MiB
  /// (in DirectWriteStage's blocks) holds no more memory than when it was written on its
  /// owner's thread, and waits for each block to be written as it did then. Its disk
  /// time is short; the memory counts in the peak of a scan of a small registry.
  static constexpr std::uint64_t kOneBlockFor = 32;
  /// Bytes written between two syncs of the file.
  static constexpr std::uint64_t kFlushEvery = std::uint64_t{8} << 20;

  /// Writes blocks of `block_size` bytes (a multiple of `alignment`) through `direct_fd`
  /// (which it closes), the first at offset `at`. It takes the memory of its first block
  /// now, and of each other block when that block is first filled. Null when the first
  /// block's memory, or its threads, cannot be had; `direct_fd` is then left open.
  static std::unique_ptr<BlockWriter> start(int direct_fd, int buffered_fd, std::uint64_t at,
                                            std::size_t block_size, std::size_t alignment);
  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;
  /// Stops at once: blocks not yet written are left out (the output is abandoned).
  ~BlockWriter();

  /// The block to fill: block_size bytes, aligned.
  [[nodiscard]] char* block() const { return blocks_[index_of(handed_)].get(); }
  /// Gives the block just filled (all of it) to be written, and waits, when every block
  /// is taken, for one to be free. False with `error` set once a write failed (or the
  /// memory for another block could not be had).
  bool hand_over(std::string& error);
  /// Waits for every block handed over to be written, and closes the direct descriptor.
  /// False with `error` set when a write, a sync or the close failed.
  bool finish(std::string& error);
  /// The blocks taken so far (their memory).
  [[nodiscard]] std::size_t blocks_taken() const {
    std::size_t n = 0;
    for (const auto& block : blocks_) n += block != nullptr;
    return n;
  }
  /// Where the next block goes in the file.
  [[nodiscard]] std::uint64_t end() const { return at_ + handed_ * block_size_; }

 private:
  BlockWriter(int direct_fd, int buffered_fd, std::uint64_t at, std::size_t block_size,
              std::size_t alignment);
  // Where block `n` (counted from the first handed over) is filled: in one block until
  // kOneBlockFor were handed over, then in turn in kBlocks, starting with the second so
  // that the first, which may still be being written, is used last.
  [[nodiscard]] static std::size_t index_of(std::uint64_t n) {
    return n < kOneBlockFor ? 0 : static_cast<std::size_t>((n - kOneBlockFor + 1) % kBlocks);
  }
  // How many blocks may be handed over and not yet written when block `n` is to be filled.
  [[nodiscard]] static std::uint64_t room_for(std::uint64_t n) {
    return n < kOneBlockFor ? 1 : kBlocks;
  }
  // The writing thread: writes block after block as they are handed over, until stopped.
  void run();
  // The syncing thread: syncs the file each time it is asked to, until stopped.
  void sync_when_asked();
  // Writes block `n` at its place; false with `error` set on failure.
  bool write_block(std::uint64_t n, std::string& error);
  // Stops the threads and waits for them: the writing one once every block handed over
  // is written (unless abandoned), the syncing one once the sync under way is done.
  void stop();

  struct FreeBlock {
    void operator()(char* block) const { std::free(block); }
  };
  int direct_fd_;
  int buffered_fd_;
  std::uint64_t at_;
  std::size_t block_size_;
  std::size_t alignment_;
  bool buffered_only_ = false;    ///< Direct I/O was refused: the thread writes the other way.
  std::uint64_t since_sync_ = 0;  ///< Bytes the writing thread wrote since it asked for a sync.
  std::unique_ptr<char, FreeBlock> blocks_[kBlocks];  ///< Each taken when first filled.
  std::thread writing_;
  std::thread syncing_;

  std::mutex mutex_;
  std::condition_variable handed_over_;  // a block was handed over, or the work stopped
  std::condition_variable written_;      // a block was written
  std::condition_variable sync_asked_;   // a sync is due, or the work stopped
  std::uint64_t syncs_asked_ = 0;        // syncs the writing thread asked for
  std::uint64_t syncs_done_ = 0;         // syncs asked for that the syncing thread made
  std::uint64_t handed_ = 0;             // blocks handed over (the owner's count)
  std::uint64_t done_ = 0;               // blocks written, or passed over after a failure
  bool stopping_ = false;                // finish(): write what is left, then end
  bool abandon_ = false;                 // the destructor: end now
  std::string error_;                    // the first failure, once there is one
};

}  // namespace twinscan::util
