// Test helper: registry documents given as text loaded in one go, with the schema's
// sources (for a snapshot of the result) and the errors reported.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/io/schema_reader.h"

namespace twinscan::testing {

struct LoadedDocuments {
  std::shared_ptr<const model::Graph> graph;  ///< Null when an error stopped the load.
  io::SchemaSources schema;
  std::vector<std::string> errors;  ///< As the command line shows them.
};

/// Loads `documents` (name, text) in order, with the ids of each of `same` judged one.
inline LoadedDocuments load_documents(
    const std::vector<std::pair<std::string, std::string>>& documents,
    const std::vector<std::vector<std::string>>& same = {}) {
  diag::Diagnostics d;
  bool missing = false;
  LoadedDocuments out;
  auto schema = io::load_schema({}, d, missing, &out.schema);
  io::RegistryLoader loader(schema, d);
  for (const auto& [name, text] : documents) loader.add_source(diag::SourceText(name, text));
  for (const auto& ids : same) loader.join_ids(ids);
  out.graph = loader.finish();
  for (const auto& m : d.all()) {
    if (m.severity == diag::Severity::kError) out.errors.push_back(m.to_string());
  }
  return out;
}

}  // namespace twinscan::testing
