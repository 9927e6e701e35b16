#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/cli/command.h"
#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/outcome.h"
#include "analyzer/engine/registry.h"

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
  std::string judgements;

  /// Declares --registry (required when `required`), --schema and --judgements on `app`.
  void add_to(CLI::App& app, bool required = true);
  /// What the options name, for engine::Registry::open.
  [[nodiscard]] engine::RegistrySpec spec() const;
};

/// Declares --judgements, the judgements file applied as a registry is loaded.
void add_judgements_option(CLI::App& app, std::string& file);

/// A many-valued option (--registry, --rules) swallows the positional argument that
/// follows it: `--registry a 'QUERY' --format csv` gives --registry two values. When
/// `positional` is empty, take it back: the last value of the latest use of any of
/// `greedy` that took more than one value. With `not_a_path` (the positional is an id or
/// a query, not a file), a value that names a file or folder is left where it is, so
/// that a forgotten positional is said to be missing.
void reclaim_positional(
    std::string& positional,
    const std::vector<std::pair<std::vector<std::string>*, const std::vector<OptionRun>*>>& greedy,
    bool not_a_path = false);

/// Whether `value` names a file or folder that exists.
bool names_a_path(const std::string& value);

/// The positionals --registry swallowed when they follow it (`--registry a.json FROM TO`):
/// up to `most` values from the end of its latest use that name no file, taken out of
/// it and returned in order, leaving it one registry at least.
std::vector<std::string> take_back_positionals(RegistryOptions& options, std::size_t most);

/// After a command took its positionals back from --registry's values: 64, with a usage
/// error naming it, when a value left after the first registry names nothing and is not
/// written like a path (an argument too many); else 0. `takes` says what the command
/// takes ("one entity", "FROM and TO").
int refuse_stray_registry_values(const RegistryOptions& options, std::string_view takes);

/// The exit status of an engine step that failed.
int exit_code(engine::Outcome outcome);

/// Opens the registry of `spec`, writing every problem to stderr as it is found; on
/// failure sets `status` to the exit status and returns nothing. For commands, whose
/// process ends with them: the graph is kept until the process ends (keep_until_exit).
std::optional<engine::Registry> open_registry(const engine::RegistrySpec& spec,
                                              const GlobalOptions& global, int& status);

/// A diagnostics sink that writes each problem to stderr as it is found (warnings only
/// when not quiet); print_diagnostics() then adds the lines about what was left out.
diag::Diagnostics streaming_diagnostics(const GlobalOptions& global);

/// Prints diagnostics to stderr (warnings only when not quiet).
void print_diagnostics(const diag::Diagnostics& diagnostics, const GlobalOptions& global);

}  // namespace twinscan::cli
