#include "analyzer/cli/registry_options.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/io/snapshot_codec.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {

CLI::Option* add_list_option(CLI::App& app, const std::string& name,
                             std::vector<std::string>& values, std::vector<OptionRun>& runs,
                             const std::string& help) {
  static std::uint64_t uses = 0;  // orders the uses of all such options
  return app
      .add_option_function<std::vector<std::string>>(
          name,
          [&values, &runs](const std::vector<std::string>& given) {
            values.insert(values.end(), given.begin(), given.end());
            runs.push_back({values.size(), given.size(), ++uses});
          },
          help)
      // The callback runs at each use, so that each use's values are known.
      ->trigger_on_parse();
}

void RegistryOptions::add_to(CLI::App& app, bool required) {
  CLI::Option* option = add_list_option(app, "--registry,-r", registry, registry_runs,
                                        "Registry documents or folders of *.json, merged in order");
  if (required) option->required();
  app.add_option("--schema", schema,
                 "A schema extension file, applied over the built-in schema "
                 "(repeat for several)")
      ->allow_extra_args(false);
}

void reclaim_positional(
    std::string& positional,
    const std::vector<std::pair<std::vector<std::string>*, const std::vector<OptionRun>*>>&
        greedy) {
  if (!positional.empty()) return;
  std::vector<std::string>* from = nullptr;
  const OptionRun* latest = nullptr;
  for (const auto& [values, runs] : greedy) {
    for (const auto& run : *runs) {
      if (run.count > 1 && (!latest || run.order > latest->order)) {
        latest = &run;
        from = values;
      }
    }
  }
  if (!latest) return;
  positional = (*from)[latest->end - 1];
  from->erase(from->begin() + static_cast<std::ptrdiff_t>(latest->end - 1));
}

void print_diagnostics(const diag::Diagnostics& diagnostics, const GlobalOptions& global) {
  diagnostics.print(std::cerr, global.verbosity >= 0);
}

LoadedRegistry load_registry(const RegistryOptions& options, const GlobalOptions& global,
                             const std::vector<std::string>& extra_paths,
                             std::vector<std::pair<std::string, std::string>>* schema_sources) {
  diag::Diagnostics diagnostics;
  // Problems are written as they are found: a registry with thousands of them shows the
  // first at once and never holds them all.
  diagnostics.stream_to(std::cerr, global.verbosity >= 0);
  LoadedRegistry result;
  std::vector<std::string> paths = options.registry;
  paths.insert(paths.end(), extra_paths.begin(), extra_paths.end());
  // A snapshot (twinscan compile) comes first and brings its own schema; JSON documents
  // after it are merged into it.
  std::unique_ptr<model::Graph> base;
  if (!paths.empty() && io::SnapshotCodec::is_snapshot(paths.front())) {
    if (!options.schema.empty()) {
      std::cerr << "twinscan: error: a snapshot carries its schema; --schema applies when it is "
                   "compiled\n";
      result.exit_code = util::kExitUsage;
      return result;
    }
    base = io::SnapshotCodec::open(paths.front(), diagnostics);
    if (!base) {
      print_diagnostics(diagnostics, global);
      result.exit_code = util::kExitDataError;
      return result;
    }
    paths.erase(paths.begin());
    result.documents = base->documents().size();
    if (paths.empty()) {
      result.graph = std::move(base);
      return result;
    }
  }
  bool missing = false;
  std::shared_ptr<const model::Schema> schema;
  if (!base) {
    schema = io::load_schema(options.schema, diagnostics, missing, schema_sources);
    if (!schema) {
      print_diagnostics(diagnostics, global);
      result.exit_code = missing ? util::kExitNoInput : util::kExitDataError;
      return result;
    }
  }
  auto loader = base ? std::make_unique<io::RegistryLoader>(std::move(base), diagnostics)
                     : std::make_unique<io::RegistryLoader>(schema, diagnostics);
  for (const auto& path : paths) {
    if (io::SnapshotCodec::is_snapshot(path)) {
      diagnostics.error({path, 0, 0}, "only the first registry path may be a snapshot");
      continue;
    }
    loader->add_path(path);
  }
  result.graph = loader->finish();
  result.bytes = loader->bytes_read();
  result.documents = loader->document_count();
  print_diagnostics(diagnostics, global);
  if (loader->missing_input()) {
    result.graph = nullptr;
    result.exit_code = util::kExitNoInput;
  } else if (!result.graph) {
    result.exit_code = util::kExitDataError;
  }
  return result;
}

}  // namespace twinscan::cli
