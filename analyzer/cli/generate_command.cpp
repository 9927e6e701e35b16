#include "analyzer/cli/command.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "analyzer/gen/registry_generator.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan generate`: writes a synthetic registry of a given size and seed, for
/// benchmarks and tests at scale (see docs/generator.md).
class GenerateCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::uint64_t seed_ = 1;
  std::uint64_t entities_ = 10'000;
  std::uint32_t documents_ = 0;
  std::string output_;
  bool force_ = false;
  std::string profile_ = "national";
};

std::string megabytes(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

}  // namespace

void GenerateCommand::configure(CLI::App& app) {
  app.add_option("--seed", seed_, "Seed: the same seed and size give the same bytes")
      ->default_val(1);
  app.add_option("--entities,-n", entities_, "Number of entities (1000 to 100,000,000)")
      ->default_val(10'000);
  app.add_option("--output,-o", output_, "Folder to write the documents to (created if missing)")
      ->required();
  app.add_option("--documents", documents_,
                 "Number of documents to split the registry into (default: one per 100,000 "
                 "entities)")
      ->default_val(0);
  app.add_option("--profile", profile_,
                 "Shape of the registry: national (the default: the registry the rules were "
                 "written against) or dense (hub organs holding thousands of firms, ownership "
                 "chains of depth 6 with duplicated and circular links, one line per "
                 "document); see docs/generator.md")
      ->default_val("national");
  app.add_flag("--force", force_, "Replace the *.json documents already in the output folder");
}

int GenerateCommand::run(const GlobalOptions& global) {
  gen::GeneratorOptions options;
  options.seed = seed_;
  options.entities = entities_;
  options.documents = documents_;
  options.replace = force_;
  if (!gen::profile_from_name(profile_, options.profile)) {
    std::cerr << "twinscan: error: --profile must be national or dense, not '" << profile_
              << "'\n(run 'twinscan generate --help' for usage)\n";
    return util::kExitUsage;
  }
  const auto start = std::chrono::steady_clock::now();
  gen::GeneratorProgress last;
  try {
    gen::generate_registry(options, output_, [&](const gen::GeneratorProgress& p) {
      last = p;
      spdlog::info("{} ({}/{}): {} entities, {} relations, {}", p.file, p.documents_done,
                   p.documents, p.entities, p.relations, megabytes(p.bytes));
    });
  } catch (const std::invalid_argument& e) {
    std::cerr << "twinscan: error: " << e.what()
              << "\n(run 'twinscan generate --help' for usage)\n";
    return util::kExitUsage;
  } catch (const std::runtime_error& e) {
    std::cerr << "twinscan: error: " << e.what() << '\n';
    return util::kExitCantCreate;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (global.verbosity >= 0) {
    std::printf("wrote %u document%s to %s: %llu entities, %llu relations, %s in %.2f s\n",
                last.documents, last.documents == 1 ? "" : "s", output_.c_str(),
                static_cast<unsigned long long>(last.entities),
                static_cast<unsigned long long>(last.relations), megabytes(last.bytes).c_str(),
                seconds);
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_generate_command() {
  return std::make_unique<GenerateCommand>();
}

}  // namespace twinscan::cli
