// Blocks of a large output written on a thread of their own (util::BlockWriter): every
// block at its place, whether the device takes direct I/O or refuses it; a write that
// fails on that thread reported to the owner, with nothing committed; a writer dropped
// part way leaving whole blocks and no descriptor open.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/util/atomic_file.h"
#include "analyzer/util/block_writer.h"
#include "analyzer/util/direct_write_stage.h"
#include "scratch_folder.h"
#include "tests/unit/output_file_text.h"

namespace {

using twinscan::testing::lines;
using twinscan::testing::read_all;
using twinscan::util::AtomicFileWriter;
using twinscan::util::BlockWriter;
using twinscan::util::DirectWriteStage;

std::string path_in(const std::filesystem::path& folder, const char* name) {
  return twinscan::testing::path_in(folder, "twinscan-block-writer-test", name);
}

// Writes `text` (whole blocks of `block` bytes) through a BlockWriter over a new file at
// `path`, opened for direct I/O when the file system allows it. Returns the error, empty
// when everything was written.
std::string write_in_blocks(const std::string& path, const std::string& text, std::size_t block,
                            std::size_t alignment) {
  const int buffered = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  REQUIRE(buffered >= 0);
  int direct = ::open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
  if (direct < 0) direct = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  REQUIRE(direct >= 0);
  auto writer = BlockWriter::start(direct, buffered, 0, block, alignment);
  REQUIRE(writer != nullptr);
  std::string error;
  bool ok = true;
  for (std::size_t at = 0; ok && at < text.size(); at += block) {
    std::memcpy(writer->block(), text.data() + at, block);
    ok = writer->hand_over(error);
  }
  ok = writer->finish(error) && ok;
  ::close(buffered);
  CHECK(ok == error.empty());
  return error;
}

// A new file at `path`, open twice: `buffered` for the writer's fallback, `direct` given
// to the writer (through the page cache here: what the tests look at is the order).
struct OpenFile {
  int buffered = -1;
  int direct = -1;
};
OpenFile open_twice(const std::string& path) {
  OpenFile file;
  file.buffered = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  REQUIRE(file.buffered >= 0);
  file.direct = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  REQUIRE(file.direct >= 0);
  return file;
}

}  // namespace

TEST_CASE("Blocks handed over are written in order, each at its place", "[util]") {
  constexpr std::size_t kBlock = 64 * 1024;
  // One block at a time first, then more blocks than the writer holds, so that filling
  // waits for writing.
  const std::string text =
      lines("block ", (BlockWriter::kOneBlockFor + 5 * BlockWriter::kBlocks) * kBlock);
  for (const std::string& folder : twinscan::testing::folders_on_each_file_system()) {
    INFO(folder);
    const std::string path = path_in(folder, "ordered");
    CHECK(write_in_blocks(path, text, kBlock, 4096).empty());
    CHECK(read_all(path) == text);
    std::filesystem::remove(path);
  }
}

TEST_CASE("A small output takes one block; a large one takes them all", "[util]") {
  constexpr std::size_t kBlock = 64 * 1024;
  const std::string path = path_in(std::filesystem::temp_directory_path(), "blocks-taken");
  const OpenFile file = open_twice(path);
  auto writer = BlockWriter::start(file.direct, file.buffered, 0, kBlock, 4096);
  REQUIRE(writer != nullptr);
  std::string error;
  for (std::uint64_t i = 0; i + 1 < BlockWriter::kOneBlockFor; ++i) {
    std::memset(writer->block(), 'x', kBlock);
    REQUIRE(writer->hand_over(error));
  }
  CHECK(writer->blocks_taken() == 1);
  for (std::size_t i = 0; i < 2 * BlockWriter::kBlocks; ++i) {
    std::memset(writer->block(), 'y', kBlock);
    REQUIRE(writer->hand_over(error));
  }
  CHECK(writer->blocks_taken() == BlockWriter::kBlocks);
  CHECK(writer->finish(error));
  ::close(file.buffered);
  CHECK(std::filesystem::file_size(path) ==
        (BlockWriter::kOneBlockFor - 1 + 2 * BlockWriter::kBlocks) * kBlock);
  std::filesystem::remove(path);
}

TEST_CASE("Blocks the device refuses to take directly are written through the page cache",
          "[util]") {
  // A block of 64 KiB + 16 bytes: neither its size nor the later offsets are aligned as
  // direct I/O asks, so every write through the direct descriptor is refused (EINVAL).
  constexpr std::size_t kBlock = 64 * 1024 + 16;
  const std::string text =
      lines("refused ", (BlockWriter::kOneBlockFor + 3 * BlockWriter::kBlocks) * kBlock);
  const std::string path = path_in(std::filesystem::temp_directory_path(), "refused");
  CHECK(write_in_blocks(path, text, kBlock, 16).empty());
  CHECK(read_all(path) == text);
  std::filesystem::remove(path);
}

TEST_CASE(
    "A direct write that fails on the writer's thread fails the output, which is not "
    "committed",
    "[util]") {
  // Past `ulimit -f` a write fails with EFBIG once SIGXFSZ is ignored (as the command
  // line does at start). The limit applies to the writer's thread as to the owner's.
  const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit before {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &before) == 0);
  const std::string path = path_in(std::filesystem::temp_directory_path(), "too-large.json");
  { std::ofstream(path) << "before\n"; }
  bool wrote = true, committed = true;
  std::string error_write, error_commit;
  {
    AtomicFileWriter out;
    std::string error;
    REQUIRE(out.open(path, error));
    struct rlimit low = before;
    low.rlim_cur = 3 * DirectWriteStage::kBlock;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &low) == 0);
    // Written a block at a time: the write of block 3 fails on the thread, and one of the
    // calls after it says so.
    const std::string text = lines("row ", 12 * DirectWriteStage::kBlock);
    for (std::size_t at = 0; wrote && at < text.size(); at += DirectWriteStage::kBlock)
      wrote = out.write(std::string_view(text).substr(at, DirectWriteStage::kBlock), error_write);
    committed = out.commit(error_commit);
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &before) == 0);
  }
  std::signal(SIGXFSZ, previous_handler);
  CHECK_FALSE(committed);
  CHECK_THAT(error_commit, Catch::Contains(std::strerror(EFBIG)));
  if (!wrote) CHECK(error_write == error_commit);
  CHECK(read_all(path) == "before\n");
  std::filesystem::remove(path);
}

TEST_CASE("A writer dropped part way leaves whole blocks in order, and its descriptor closed",
          "[util]") {
  constexpr std::size_t kBlock = 64 * 1024;
  const std::string path = path_in(std::filesystem::temp_directory_path(), "dropped");
  const OpenFile file = open_twice(path);
  {
    auto writer = BlockWriter::start(file.direct, file.buffered, 0, kBlock, 4096);
    REQUIRE(writer != nullptr);
    std::string error;
    for (std::size_t i = 0; i < BlockWriter::kOneBlockFor + 3 * BlockWriter::kBlocks; ++i) {
      std::memset(writer->block(), 'a' + static_cast<int>(i % 26), kBlock);
      REQUIRE(writer->hand_over(error));
    }
  }
  // The descriptor it was given is closed (a second close fails); what was written is
  // whole blocks from the start, each with its own letter.
  CHECK(::close(file.direct) != 0);
  const std::string text = read_all(path);
  CHECK(text.size() % kBlock == 0);
  CHECK(text.size() <= (BlockWriter::kOneBlockFor + 3 * BlockWriter::kBlocks) * kBlock);
  for (std::size_t at = 0; at < text.size(); at += kBlock)
    CHECK(text.substr(at, kBlock) ==
          std::string(kBlock, 'a' + static_cast<char>(at / kBlock % 26)));
  ::close(file.buffered);
  std::filesystem::remove(path);
}
