// Measures how long validating a large document full of problems takes: a one-line
// (minified) registry document of about 200 MB holding 100,000 problems, half of them
// relations whose target does not exist and half properties of the wrong type, spread
// over the whole line. Every problem's line and column must be found without counting
// from the start of the line each time, so the time should stay close to that of a clean
// load (target: under 5 s).
//
// Usage: bad_input_bench [--mb 200] [--problems 100000] [--work DIR]
// Prints the seconds taken, the errors found and the lines that were printed.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <streambuf>
#include <string>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"

namespace {

using namespace twinscan;
using Clock = std::chrono::steady_clock;

// Counts the lines written to it and throws the text away.
class LineCounter : public std::streambuf {
 public:
  std::size_t lines = 0;

 protected:
  int_type overflow(int_type c) override {
    if (c == '\n') ++lines;
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) {
      if (s[i] == '\n') ++lines;
    }
    return n;
  }
};

// Writes the document: firms (every `every`-th with a wrong property type), then
// OWNED_BY relations between them (every `every`-th naming a firm that does not exist),
// all on one line.
void write_document(const std::string& path, std::size_t target_bytes, std::size_t problems) {
  // One entity and one relation take about 170 bytes.
  const std::size_t pairs = target_bytes / 170;
  const std::size_t every = std::max<std::size_t>(1, pairs / (problems / 2));
  std::ofstream out(path, std::ios::binary);
  out << R"({"format":"twinscan/1","entities":[)";
  std::size_t bad_entities = 0, bad_relations = 0;
  for (std::size_t i = 0; i < pairs; ++i) {
    if (i > 0) out << ',';
    out << R"({"id":"firm:)" << i << R"(","kind":"Firm","name":"Firma )" << i
        << R"( Ltd.","country":"IL","state_owned":)";
    if (i % every == 0 && bad_entities < problems / 2) {
      out << R"("no")";  // a string where a bool belongs
      ++bad_entities;
    } else {
      out << "false";
    }
    out << '}';
  }
  out << R"(],"relations":[)";
  for (std::size_t i = 0; i + 1 < pairs; ++i) {
    if (i > 0) out << ',';
    out << R"({"kind":"OWNED_BY","from":"firm:)" << i << R"(","to":"firm:)";
    if (i % every == 0 && bad_relations < problems - problems / 2) {
      out << "missing-" << i;  // a dangling endpoint
      ++bad_relations;
    } else {
      out << i + 1;
    }
    out << R"(","share":0.5})";
  }
  out << "]}";
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t megabytes = 200;
  std::size_t problems = 100000;
  std::string work = std::filesystem::temp_directory_path() / "twinscan-bad-input-bench";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--mb") {
      megabytes = std::stoul(argv[i + 1]);
    } else if (arg == "--problems") {
      problems = std::stoul(argv[i + 1]);
    } else if (arg == "--work") {
      work = argv[i + 1];
    } else {
      std::cerr << "usage: bad_input_bench [--mb 200] [--problems 100000] [--work DIR]\n";
      return 64;
    }
  }
  std::filesystem::create_directories(work);
  const std::string path =
      work + "/bad-" + std::to_string(megabytes) + "mb-" + std::to_string(problems) + ".json";
  if (!std::filesystem::exists(path)) write_document(path, megabytes << 20, problems);

  LineCounter sink;
  std::ostream err(&sink);
  const auto start = Clock::now();
  diag::Diagnostics diagnostics;
  diagnostics.stream_to(err, true);
  bool missing = false;
  auto schema = io::load_schema({}, diagnostics, missing);
  io::RegistryLoader loader(schema, diagnostics);
  loader.add_path(path);
  const bool ok = loader.finish() != nullptr;
  diagnostics.print(err);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::printf("document: %s (%.1f MB, one line)\n", path.c_str(),
              static_cast<double>(std::filesystem::file_size(path)) / (1 << 20));
  std::printf("validated in %.2f s: %zu errors found, %zu left out, %zu lines printed%s\n", seconds,
              diagnostics.error_count(), diagnostics.left_out(), sink.lines,
              ok ? " (unexpectedly valid)" : "");
  return 0;
}
