#include "analyzer/cli/registry_options.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {

void RegistryOptions::add_to(CLI::App& app, bool required) {
  auto* option = app.add_option("--registry,-r", registry,
                                "Registry documents or folders of *.json, merged in order");
  if (required) option->required();
  app.add_option("--schema", schema, "Schema extension files, applied over the built-in schema");
}

void RegistryOptions::reclaim_positional(std::string& positional) {
  if (positional.empty() && registry.size() > 1) {
    positional = registry.back();
    registry.pop_back();
  }
}

void print_diagnostics(const io::Diagnostics& diagnostics, const GlobalOptions& global) {
  diagnostics.print(std::cerr, global.verbosity >= 0);
}

LoadedRegistry load_registry(const RegistryOptions& options, const GlobalOptions& global,
                             const std::vector<std::string>& extra_paths) {
  io::Diagnostics diagnostics;
  LoadedRegistry result;
  bool missing = false;
  auto schema = io::load_schema(options.schema, diagnostics, missing);
  if (!schema) {
    print_diagnostics(diagnostics, global);
    result.exit_code = missing ? util::kExitNoInput : util::kExitDataError;
    return result;
  }
  io::RegistryLoader loader(schema, diagnostics);
  for (const auto& path : options.registry) loader.add_path(path);
  for (const auto& path : extra_paths) loader.add_path(path);
  result.graph = loader.finish();
  result.bytes = loader.bytes_read();
  result.documents = loader.document_count();
  print_diagnostics(diagnostics, global);
  if (loader.missing_input()) {
    result.graph = nullptr;
    result.exit_code = util::kExitNoInput;
  } else if (!result.graph) {
    result.exit_code = util::kExitDataError;
  }
  return result;
}

}  // namespace twinscan::cli
