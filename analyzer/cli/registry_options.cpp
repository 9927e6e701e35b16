#include "analyzer/cli/registry_options.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {

void RegistryOptions::add_to(CLI::App& app, bool required) {
  registry_option = app.add_option("--registry,-r", registry,
                                   "Registry documents or folders of *.json, merged in order");
  if (required) registry_option->required();
  app.add_option("--schema", schema, "A schema extension file, applied over the built-in schema "
                                     "(repeat for several)")
      ->allow_extra_args(false);
}

void reclaim_positional(const CLI::App& app, std::string& positional,
                        const std::vector<std::pair<const CLI::Option*, std::vector<std::string>*>>& greedy) {
  if (!positional.empty()) return;
  const auto& order = app.parse_order();
  if (order.empty()) return;
  for (const auto& [option, values] : greedy) {
    if (option == order.back() && values->size() > 1) {
      positional = values->back();
      values->pop_back();
      return;
    }
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
