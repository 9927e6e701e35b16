// The forecast of the strings a registry path will add (io::strings_to_expect), and the
// string pool's table a load sizes with it: large enough at once for most registries,
// never larger than growing it as strings come would have made it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/gen/registry_generator.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/io/string_forecast.h"
#include "analyzer/model/graph.h"
#include "scratch_folder.h"

namespace {

using namespace twinscan;
using io::forecast_groups;
using io::kBytesPerStringAtMost;
using io::strings_to_expect;

using TempDir = testing::ScratchFolder;

// The table a pool that grew as strings came holds for `strings`: the first power of two
// (from 1024) that keeps it at most half full.
std::size_t grown_table_for(std::size_t strings) {
  return std::max<std::size_t>(1024, std::bit_ceil(2 * strings + 1));
}

}  // namespace

TEST_CASE("string forecast: a guess before anything is read, then the rate when lower",
          "[loader][string-forecast]") {
  // Nothing read of the path yet: one string per kBytesPerStringAtMost bytes.
  CHECK(strings_to_expect(0, 0, 256'000'000) == 256'000'000 / kBytesPerStringAtMost);
  CHECK(strings_to_expect(0, 0, 100) == 0);
  // A path whose documents held a string per 1,000 bytes so far: as many in the rest.
  CHECK(strings_to_expect(10'000'000, 10'000, 90'000'000) == 90'000);
  // One per 100 bytes seen: no more than the guess (a first document holds strings the
  // others repeat).
  CHECK(strings_to_expect(10'000'000, 100'000, 90'000'000) == 90'000'000 / kBytesPerStringAtMost);
  // A source restating what an earlier path held adds no new string: none forecast.
  CHECK(strings_to_expect(50'000'000, 0, 50'000'000) == 0);
  // Counts whose product overflows 64 bits.
  CHECK(strings_to_expect(std::uint64_t{1} << 40, std::size_t{1} << 34, std::uint64_t{1} << 40) ==
        (std::uint64_t{1} << 40) / kBytesPerStringAtMost);
  // Nothing left to read: nothing to expect.
  CHECK(strings_to_expect(1'000, 10, 0) == 0);
}

TEST_CASE("string forecast: a load's table is no larger than growing it would have made it",
          "[loader][string-forecast]") {
  for (const auto profile : {gen::Profile::kNational, gen::Profile::kDense}) {
    TempDir dir(profile == gen::Profile::kNational ? "forecast-national" : "forecast-dense");
    gen::GeneratorOptions options;
    options.seed = 11;
    options.entities = 30'000;
    options.documents = 3;
    options.profile = profile;
    gen::generate_registry(options, dir.path.string());
    diag::Diagnostics d;
    bool missing = false;
    auto schema = io::load_schema({}, d, missing);
    io::RegistryLoader loader(schema, d);
    loader.add_paths({dir.path.string()});
    const auto graph = loader.finish();
    REQUIRE(graph != nullptr);
    CHECK(loader.fallback_documents() == 0);  // every document read by the fast path
    const util::StringPool& strings = graph->arrays().strings;
    INFO("strings " << strings.size() << ", table " << strings.table().size());
    CHECK(strings.table().size() >= 2 * strings.size());
    CHECK(strings.table().size() <= grown_table_for(strings.size()));
  }
}

TEST_CASE("string forecast: files named one after another from one folder are one group",
          "[loader][string-forecast]") {
  using Folder = std::optional<std::string>;
  const Folder none;
  // A shell's registry/*.json, then a file of another folder, then the first folder's
  // again (after another, a group of its own), a folder, and two files of the working
  // folder (named without a folder).
  const std::vector<Folder> paths = {Folder("registry"), Folder("registry"), Folder("registry"),
                                     Folder("foreign"),  Folder("registry"), none,
                                     Folder(""),         Folder("")};
  CHECK(forecast_groups(paths) == std::vector<std::size_t>{1, 1, 1, 2, 3, 4, 5, 5});
  // Folders are a group each, even one after another.
  CHECK(forecast_groups({none, none}) == std::vector<std::size_t>{1, 2});
  CHECK(forecast_groups({}).empty());
}

TEST_CASE("string forecast: a registry named file by file is forecast as its folder is",
          "[loader][string-forecast]") {
  TempDir dir("forecast-files");
  gen::GeneratorOptions options;
  options.seed = 5;
  options.entities = 30'000;
  options.documents = 4;
  gen::generate_registry(options, dir.path.string());
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 4);
  auto table_of = [](const std::vector<std::string>& paths) {
    diag::Diagnostics d;
    bool missing = false;
    auto schema = io::load_schema({}, d, missing);
    io::RegistryLoader loader(schema, d);
    loader.add_paths(paths);
    const auto graph = loader.finish();
    REQUIRE(graph != nullptr);
    return std::pair(graph->arrays().strings.size(), graph->arrays().strings.table().size());
  };
  const auto by_folder = table_of({dir.path.string()});
  const auto by_files = table_of(files);
  CHECK(by_files == by_folder);
}
