#include "analyzer/cli/validate_command.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/io/document_kind.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {

void ValidateCommand::configure(CLI::App& app) {
  app.add_option("paths", paths_,
                 "Registry documents, screening requests, schema files, or folders of them")
      ->required();
  app.add_option("--schema", schema_, "Schema extension files, applied over the built-in schema");
}

int ValidateCommand::run(const GlobalOptions& global) {
  // Schema files named among the paths extend the schema the documents are checked
  // against; everything else is a registry document, checked together as one registry.
  RegistryOptions options;
  options.schema = schema_;
  for (const auto& path : paths_) {
    std::vector<std::string> files;
    if (!io::expand_registry_path(path, files)) {
      options.registry.push_back(path);  // reported as missing by the loader
      continue;
    }
    for (const auto& file : files) {
      if (io::sniff_document_kind(file) == io::DocumentKind::kSchema) {
        options.schema.push_back(file);
      } else {
        options.registry.push_back(file);
      }
    }
  }
  const LoadedRegistry loaded = load_registry(options, global);
  if (!loaded.graph) return loaded.exit_code;
  if (global.verbosity >= 0) {
    std::cout << "ok: " << loaded.documents << " document" << (loaded.documents == 1 ? "" : "s")
              << ", " << loaded.graph->entity_count() << " entities, "
              << loaded.graph->relation_count() << " relations\n";
  }
  return util::kExitOk;
}

}  // namespace twinscan::cli
