// Large outputs of util::AtomicFileWriter, written by direct I/O past their first block
// (util::DirectWriteStage): the same bytes as through the page cache, whatever the
// pieces' sizes; the page cache left without the file's later blocks; a second
// descriptor only for a large output; the tail stream and appended files still placed
// right after what came before.
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/util/atomic_file.h"
#include "analyzer/util/block_writer.h"
#include "analyzer/util/direct_write_stage.h"
#include "scratch_folder.h"
#include "tests/unit/output_file_text.h"

namespace {

using twinscan::testing::lines;
using twinscan::testing::read_all;

std::string path_in(const std::filesystem::path& folder, const char* name) {
  return twinscan::testing::path_in(folder, "twinscan-direct-test", name);
}

using twinscan::util::AtomicFileWriter;
using twinscan::util::BlockWriter;
using twinscan::util::DirectWriteStage;

// Pieces of `text` of awkward sizes: single bytes, a whole block, pieces that cross
// blocks, and the rest.
std::vector<std::string> pieces_of(const std::string& text) {
  const std::vector<std::size_t> sizes = {1,
                                          7,
                                          4095,
                                          DirectWriteStage::kBlock,
                                          3,
                                          DirectWriteStage::kBlock + 4097,
                                          DirectWriteStage::kBlock - 2,
                                          1,
                                          1};
  std::vector<std::string> out;
  std::size_t at = 0;
  for (const std::size_t size : sizes) {
    if (at >= text.size()) break;
    out.push_back(text.substr(at, size));
    at += out.back().size();
  }
  for (; at < text.size(); at += 100'003) out.push_back(text.substr(at, 100'003));
  return out;
}

// How many pages of the file at `path` from byte `from` to byte `to` (a multiple of the
// page size) are in the page cache.
std::size_t cached_pages(const std::string& path, std::size_t from, std::size_t to) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  REQUIRE(file != nullptr);
  const std::size_t bytes = to - from;
  void* mapped =
      ::mmap(nullptr, bytes, PROT_READ, MAP_SHARED, ::fileno(file), static_cast<off_t>(from));
  std::fclose(file);
  REQUIRE(mapped != MAP_FAILED);
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> resident((bytes + page - 1) / page);
  REQUIRE(::mincore(mapped, bytes, resident.data()) == 0);
  ::munmap(mapped, bytes);
  std::size_t cached = 0;
  for (const unsigned char r : resident) cached += r & 1U;
  return cached;
}

// The descriptors this process has open.
std::size_t open_descriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    ++n;
  return n;
}

bool is_ext4(const std::string& folder) {
  struct statfs fs {};
  return ::statfs(folder.c_str(), &fs) == 0 && fs.f_type == 0xEF53;
}

}  // namespace

TEST_CASE("A large output written in pieces of any size is the same bytes, on any file system",
          "[util]") {
  const std::string text = lines("line ", 3 * DirectWriteStage::kBlock + 12345);
  for (const std::string& folder : twinscan::testing::folders_on_each_file_system()) {
    INFO(folder);
    const std::string path = path_in(folder, "pieces.json");
    AtomicFileWriter out;
    std::string error;
    REQUIRE(out.open(path, error));
    for (const std::string& piece : pieces_of(text)) REQUIRE(out.write(piece, error));
    REQUIRE(out.commit(error));
    CHECK(std::filesystem::file_size(path) == text.size());
    CHECK(read_all(path) == text);
    std::filesystem::remove(path);
  }
}

TEST_CASE("An output past the writer's first blocks, synced on the way, is the same bytes",
          "[util]") {
  // Through every stage of the writer: one block at a time, then all of them in turn,
  // with the syncs asked for every few megabytes.
  const std::size_t blocks = BlockWriter::kOneBlockFor + 3 * BlockWriter::kBlocks;
  static_assert(BlockWriter::kFlushEvery < (blocks - 1) * DirectWriteStage::kBlock);
  const std::string text = lines("synced ", blocks * DirectWriteStage::kBlock + 777);
  for (const std::string& folder : twinscan::testing::folders_on_each_file_system()) {
    INFO(folder);
    const std::string path = path_in(folder, "synced.json");
    AtomicFileWriter out;
    std::string error;
    REQUIRE(out.open(path, error));
    for (std::size_t at = 0; at < text.size(); at += 300'007)
      REQUIRE(out.write(std::string_view(text).substr(at, 300'007), error));
    REQUIRE(out.commit(error));
    CHECK(read_all(path) == text);
    std::filesystem::remove(path);
  }
}

TEST_CASE("A large output's whole blocks go to the disk without filling the page cache", "[util]") {
  const std::string folder = std::filesystem::temp_directory_path().string();
  if (!is_ext4(folder)) {
    WARN("the temporary folder is not on ext4, which takes direct I/O");
    return;
  }
  const std::string text = lines("row ", 4 * DirectWriteStage::kBlock + 100);
  const std::string path = path_in(folder, "uncached.json");
  AtomicFileWriter out;
  std::string error;
  REQUIRE(out.open(path, error));
  for (const std::string& piece : pieces_of(text)) REQUIRE(out.write(piece, error));
  REQUIRE(out.commit(error));
  // The first block goes through the page cache; written that way too, the next three
  // would be in it: 3,072 pages.
  CHECK(cached_pages(path, DirectWriteStage::kBlock, 4 * DirectWriteStage::kBlock) == 0);
  CHECK(read_all(path) == text);
  std::filesystem::remove(path);
}

TEST_CASE("A tail opened after direct writes still follows everything written before it",
          "[util]") {
  for (const std::string& folder : twinscan::testing::folders_on_each_file_system()) {
    INFO(folder);
    const std::string path = path_in(folder, "tail.json");
    const std::string head = lines("head ", DirectWriteStage::kBlock + 5000);
    const std::string tail = lines("tail ", 300000);
    AtomicFileWriter out;
    std::string error;
    REQUIRE(out.open(path, error));
    REQUIRE(out.write(head, error));
    REQUIRE(out.open_tail());
    REQUIRE(out.write_tail(tail, error));
    REQUIRE(out.write("more head\n", error));
    REQUIRE(out.join_tail(' ', error));
    REQUIRE(out.write("END", error));
    REQUIRE(out.commit(error));
    const std::string text = read_all(path);
    const std::string front = head + "more head\n";
    REQUIRE(text.size() >= front.size() + tail.size() + 3);
    CHECK(text.substr(0, front.size()) == front);
    const std::size_t pad = text.size() - front.size() - tail.size() - 3;
    CHECK(text.substr(front.size(), pad) == std::string(pad, ' '));
    CHECK(text.substr(front.size() + pad) == tail + "END");
    std::filesystem::remove(path);
  }
}

TEST_CASE("A file appended after direct writes follows them, and writing goes on after it",
          "[util]") {
  const std::string folder = std::filesystem::temp_directory_path().string();
  const std::string scratch_path = path_in(folder, "scratch");
  const std::string scratch_text = lines("scratch ", 70000);
  { std::ofstream(scratch_path, std::ios::binary) << scratch_text; }
  std::FILE* scratch = std::fopen(scratch_path.c_str(), "rb");
  REQUIRE(scratch != nullptr);
  const std::string path = path_in(folder, "appended.json");
  const std::string head = lines("head ", 2 * DirectWriteStage::kBlock + 3);
  AtomicFileWriter out;
  std::string error;
  REQUIRE(out.open(path, error));
  REQUIRE(out.write(head, error));
  REQUIRE(out.append_file(::fileno(scratch), scratch_text.size(), error));
  REQUIRE(out.write("after", error));
  REQUIRE(out.commit(error));
  std::fclose(scratch);
  CHECK(read_all(path) == head + scratch_text + "after");
  std::filesystem::remove(path);
  std::filesystem::remove(scratch_path);
}

TEST_CASE("An output abandoned after direct writes leaves the target as it was", "[util]") {
  const std::string folder = std::filesystem::temp_directory_path().string();
  const std::string path = path_in(folder, "abandoned.json");
  { std::ofstream(path) << "before\n"; }
  {
    AtomicFileWriter out;
    std::string error;
    REQUIRE(out.open(path, error));
    // Past the point where the writer takes all its blocks: some are still to be written
    // when the output is dropped, and its threads stop before the file is closed.
    const std::size_t blocks = BlockWriter::kOneBlockFor + 2 * BlockWriter::kBlocks;
    REQUIRE(out.write(lines("x ", blocks * DirectWriteStage::kBlock + 10), error));
  }
  CHECK(read_all(path) == "before\n");
  std::size_t others = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(".twinscan-direct-test-" + std::to_string(::getpid()) + "-abandoned", 0) == 0)
      ++others;
  }
  CHECK(others == 0);
  std::filesystem::remove(path);
}

TEST_CASE("Only an output past its first block opens the file a second time", "[util]") {
  const std::string folder = std::filesystem::temp_directory_path().string();
  if (!is_ext4(folder)) {
    WARN("the temporary folder is not on ext4, which takes direct I/O");
    return;
  }
  const std::size_t before = open_descriptors();
  const std::string path = path_in(folder, "descriptors.json");
  AtomicFileWriter out;
  std::string error;
  REQUIRE(out.open(path, error));
  const std::string text = lines("d ", DirectWriteStage::kBlock + 10);
  REQUIRE(out.write(text.substr(0, DirectWriteStage::kBlock - 1), error));
  CHECK(open_descriptors() == before + 1);  // the temporary file, once
  REQUIRE(out.write(text.substr(DirectWriteStage::kBlock - 1), error));
  CHECK(open_descriptors() == before + 2);  // and for direct I/O
  REQUIRE(out.commit(error));
  CHECK(open_descriptors() == before);
  CHECK(read_all(path) == text);
  std::filesystem::remove(path);
}
