#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/cli/command.h"
#include "analyzer/io/diagnostics.h"
#include "analyzer/model/graph.h"

namespace twinscan::cli {

/// The options that name a registry (`--registry`, `--schema`) and the loading of it.
struct RegistryOptions {
  std::vector<std::string> registry;
  std::vector<std::string> schema;

  /// Declares --registry (required when `required`) and --schema on `app`.
  void add_to(CLI::App& app, bool required = true);
  CLI::Option* registry_option = nullptr;
};

/// `--registry a b 'QUERY'` hands the trailing positional to --registry, which takes many
/// values (so does --rules). When `positional` is empty, take it back from whichever of
/// `greedy` options came last on the command line.
void reclaim_positional(
    const CLI::App& app, std::string& positional,
    const std::vector<std::pair<const CLI::Option*, std::vector<std::string>*>>& greedy);

/// A loaded registry, or the exit status that explains why there is none.
struct LoadedRegistry {
  std::shared_ptr<const model::Graph> graph;
  int exit_code = 0;
  std::uint64_t bytes = 0;
  std::size_t documents = 0;
};

/// Loads the schema and every registry path; prints every diagnostic to stderr.
/// `schema_sources`, when given, receives the schema documents read (for a snapshot).
LoadedRegistry load_registry(
    const RegistryOptions& options, const GlobalOptions& global,
    const std::vector<std::string>& extra_paths = {},
    std::vector<std::pair<std::string, std::string>>* schema_sources = nullptr);

/// Prints diagnostics to stderr (warnings only when not quiet).
void print_diagnostics(const io::Diagnostics& diagnostics, const GlobalOptions& global);

}  // namespace twinscan::cli
