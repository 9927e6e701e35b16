// The tail stream of util::AtomicFileWriter: text written far ahead in the temporary
// file and joined up after the head, with the gap taken out by the file system where it
// can (ext4) and copied where it cannot (tmpfs); moved on when the head grows past it;
// thrown away when dropped; refused where the output is not a file of its own.
#include <sys/resource.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <csignal>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/util/atomic_file.h"
#include "scratch_folder.h"
#include "tests/unit/output_file_text.h"

namespace {

using twinscan::testing::lines;
using twinscan::testing::read_all;

std::string path_in(const std::filesystem::path& folder, const char* name) {
  return twinscan::testing::path_in(folder, "twinscan-tail-test", name);
}

using twinscan::util::AtomicFileWriter;

bool is_ext4(const std::string& folder) {
  struct statfs fs {};
  return ::statfs(folder.c_str(), &fs) == 0 && fs.f_type == 0xEF53;
}

bool is_tmpfs(const std::string& folder) {
  struct statfs fs {};
  return ::statfs(folder.c_str(), &fs) == 0 && fs.f_type == 0x01021994;
}

// Writes head and tail in turn (the head's first 1,000 bytes first), joins them and commits;
// returns the file.
std::string write_joined(const std::string& path, const std::string& head, const std::string& tail,
                         std::uint64_t tail_at) {
  AtomicFileWriter out(tail_at);
  std::string error;
  REQUIRE(out.open(path, error));
  REQUIRE(out.write(head.substr(0, 1000), error));
  REQUIRE(out.open_tail());
  REQUIRE(out.write_tail(tail.substr(0, tail.size() / 3), error));
  REQUIRE(out.write(head.substr(1000), error));
  REQUIRE(out.write_tail(tail.substr(tail.size() / 3), error));
  CHECK(out.tail_size() == tail.size());
  REQUIRE(out.join_tail(' ', error));
  CHECK_FALSE(out.has_tail());
  REQUIRE(out.write("END", error));
  REQUIRE(out.commit(error));
  std::string text = read_all(path);
  std::filesystem::remove(path);
  return text;
}

}  // namespace

TEST_CASE("A tail joined on ext4 follows the head's last block, the rest of which is padded",
          "[util]") {
  const std::string folder = std::filesystem::temp_directory_path().string();
  if (!is_ext4(folder)) {
    WARN("the temporary folder is not on ext4; the copying join is tested on tmpfs below");
    return;
  }
  const std::string head = lines("head ", 10000);
  const std::string tail = lines("tail ", 300000);
  const std::string text =
      write_joined(path_in(folder, "ext4.json"), head, tail, AtomicFileWriter::kTailAt);
  const std::size_t padded = (head.size() + 4095) / 4096 * 4096;
  REQUIRE(text.size() == padded + tail.size() + 3);
  CHECK(text.substr(0, head.size()) == head);
  CHECK(text.substr(head.size(), padded - head.size()) == std::string(padded - head.size(), ' '));
  CHECK(text.substr(padded) == tail + "END");
}

TEST_CASE("A tail joined where the file system cannot take the gap out is copied after the head",
          "[util]") {
  if (!is_tmpfs("/dev/shm")) {
    WARN("no tmpfs at /dev/shm");
    return;
  }
  const std::string head = lines("head ", 10000);
  const std::string tail = lines("tail ", 300000);
  CHECK(write_joined(path_in("/dev/shm", "tmpfs.json"), head, tail, AtomicFileWriter::kTailAt) ==
        head + tail + "END");
  // An empty tail leaves the head as it was.
  CHECK(write_joined(path_in("/dev/shm", "empty.json"), head, "", AtomicFileWriter::kTailAt) ==
        head + "END");
}

TEST_CASE("A head that grows past the tail's start moves the tail on, whole", "[util]") {
  for (const std::string& folder : twinscan::testing::folders_on_each_file_system()) {
    INFO(folder);
    // The tail starts at 1 MiB; the head passes it three times over.
    const std::string head = lines("head ", 3500000);
    const std::string tail = lines("tail ", 700000);
    const std::string text = write_joined(path_in(folder, "moved.json"), head, tail, 1U << 20);
    REQUIRE(text.size() >= head.size() + tail.size() + 3);
    CHECK(text.substr(0, head.size()) == head);
    const std::size_t pad = text.size() - head.size() - tail.size() - 3;
    CHECK(text.substr(head.size(), pad) == std::string(pad, ' '));
    CHECK(pad < 65536);
    CHECK(text.substr(head.size() + pad) == tail + "END");
  }
}

TEST_CASE("A tail read back and dropped leaves only the head", "[util]") {
  const std::string path = path_in(std::filesystem::temp_directory_path(), "dropped.json");
  AtomicFileWriter out;
  std::string error;
  REQUIRE(out.open(path, error));
  REQUIRE(out.write("head\n", error));
  REQUIRE(out.open_tail());
  const std::string tail = lines("tail ", 5000);
  REQUIRE(out.write_tail(tail, error));
  std::string back(8192, '\0');
  std::size_t got = 0;
  REQUIRE(out.read_tail(1000, back.data(), back.size(), got, error));
  CHECK(got == tail.size() - 1000);
  CHECK(back.substr(0, got) == tail.substr(1000));
  REQUIRE(out.read_tail(tail.size(), back.data(), back.size(), got, error));
  CHECK(got == 0);
  // Not committed with the tail open.
  CHECK_FALSE(out.commit(error));
  CHECK(error.find("tail") != std::string::npos);
  REQUIRE(out.drop_tail(error));
  REQUIRE(out.write("more\n", error));
  REQUIRE(out.commit(error));
  CHECK(read_all(path) == "head\nmore\n");
  std::filesystem::remove(path);
}

TEST_CASE("An output that is not a file of its own has no tail", "[util]") {
  AtomicFileWriter device;
  std::string error;
  REQUIRE(device.open("/dev/null", error));
  CHECK_FALSE(device.open_tail());
  CHECK_FALSE(device.write_tail("x", error));
  REQUIRE(device.commit(error));
  // A tail not joined is thrown away with the temporary file: the target is untouched.
  const std::string path = path_in(std::filesystem::temp_directory_path(), "kept.json");
  { std::ofstream(path) << "before\n"; }
  {
    AtomicFileWriter out;
    REQUIRE(out.open(path, error));
    REQUIRE(out.open_tail());
    REQUIRE(out.write_tail("tail", error));
  }
  CHECK(read_all(path) == "before\n");
  std::size_t others = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(path).parent_path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(".twinscan-tail-test-" + std::to_string(::getpid()) + "-kept", 0) == 0) ++others;
  }
  CHECK(others == 0);
  std::filesystem::remove(path);
}

TEST_CASE("No tail where the file size limit would not let the file grow to it", "[util]") {
  struct rlimit before {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &before) == 0);
  struct rlimit low = before;
  low.rlim_cur = std::uint64_t{1} << 30;  // 1 GiB, under the tail's start
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &low) == 0);
  const std::string path = path_in(std::filesystem::temp_directory_path(), "limited.json");
  AtomicFileWriter out;
  std::string error;
  bool opened = false;
  bool tail = true;
  if (out.open(path, error)) {
    opened = true;
    tail = out.open_tail();  // past the limit, the kernel would end the process
    opened = out.write("head", error) && out.commit(error);
  }
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &before) == 0);
  CHECK(opened);
  CHECK_FALSE(tail);
  CHECK(read_all(path) == "head");
  std::filesystem::remove(path);
}

TEST_CASE("After a write that failed part way, nothing more is written and nothing committed",
          "[util]") {
  // Past `ulimit -f` a write fails with EFBIG once SIGXFSZ is ignored (as the command
  // line does at start), after writing what fits: the file then holds part of the text.
  const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit before {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &before) == 0);
  const std::string folder = std::filesystem::temp_directory_path().string();
  const std::string scratch_path = path_in(folder, "failed-scratch");
  { std::ofstream(scratch_path, std::ios::binary) << "scratch\n"; }
  std::FILE* scratch = std::fopen(scratch_path.c_str(), "rb");
  REQUIRE(scratch != nullptr);
  const std::string path = path_in(folder, "failed.json");
  { std::ofstream(path) << "before\n"; }
  bool wrote_past = true, wrote_after = true, committed = true;
  std::string error_past, error_after, error_commit;
  {
    AtomicFileWriter out;
    std::string error;
    REQUIRE(out.open(path, error));
    // Appending a file ends direct writing: what follows is written at the file's position.
    REQUIRE(out.append_file(::fileno(scratch), 8, error));
    struct rlimit low = before;
    low.rlim_cur = std::uint64_t{1} << 20;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &low) == 0);
    wrote_past = out.write(lines("row ", 2U << 20), error_past);
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &before) == 0);
    wrote_after = out.write("more\n", error_after);
    committed = out.commit(error_commit);
  }
  std::signal(SIGXFSZ, previous_handler);
  std::fclose(scratch);
  CHECK_FALSE(wrote_past);
  CHECK_FALSE(error_past.empty());
  CHECK_FALSE(wrote_after);
  CHECK(error_after == error_past);
  CHECK_FALSE(committed);
  CHECK(error_commit == error_past);
  CHECK(read_all(path) == "before\n");
  std::filesystem::remove(path);
  std::filesystem::remove(scratch_path);
}
