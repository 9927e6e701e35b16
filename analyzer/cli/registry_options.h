#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/cli/command.h"
#include "analyzer/diag/diagnostics.h"
#include "analyzer/model/graph.h"

namespace twinscan::cli {

/// One use of a many-valued option on the command line (`--registry a b`): where its
/// values end in the option's list, how many it took, and when it came.
struct OptionRun {
  std::size_t end = 0;
  std::size_t count = 0;
  std::uint64_t order = 0;
};

/// Declares a repeatable option taking several values per use, appending them to
/// `values` and recording each use in `runs` (see reclaim_positional).
CLI::Option* add_list_option(CLI::App& app, const std::string& name,
                             std::vector<std::string>& values, std::vector<OptionRun>& runs,
                             const std::string& help);

/// The options that name a registry (`--registry`, `--schema`) and the loading of it.
struct RegistryOptions {
  std::vector<std::string> registry;
  std::vector<OptionRun> registry_runs;
  std::vector<std::string> schema;

  /// Declares --registry (required when `required`) and --schema on `app`.
  void add_to(CLI::App& app, bool required = true);
};

/// A many-valued option (--registry, --rules) swallows the positional argument that
/// follows it: `--registry a 'QUERY' --format csv` gives --registry two values. When
/// `positional` is empty, take it back: the last value of the latest use of any of
/// `greedy` that took more than one value.
void reclaim_positional(
    std::string& positional,
    const std::vector<std::pair<std::vector<std::string>*, const std::vector<OptionRun>*>>& greedy);

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
void print_diagnostics(const diag::Diagnostics& diagnostics, const GlobalOptions& global);

}  // namespace twinscan::cli
