#include "analyzer/cli/command.h"

#include <filesystem>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/engine/catalogue.h"
#include "analyzer/io/document_kind.h"
#include "analyzer/io/registry_loader.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan validate PATH…`: checks documents against the schema and each other.
class ValidateCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::vector<std::string> paths_;
  std::vector<std::string> schema_;
  std::string judgements_;
};

}  // namespace

void ValidateCommand::configure(CLI::App& app) {
  app.add_option("paths", paths_,
                 "Registry documents, screening requests, schema files, rule files, judgements "
                 "files, or folders of them")
      ->required();
  app.add_option("--schema", schema_, "Schema extension files, applied over the built-in schema");
  add_judgements_option(app, judgements_);
}

int ValidateCommand::run(const GlobalOptions& global) {
  // Schema files named among the paths extend the schema the documents are checked
  // against; rule files are read and their queries checked against the registry; the
  // rest are registry documents, checked together as one registry.
  RegistryOptions options;
  options.schema = schema_;
  options.judgements = judgements_;
  std::vector<std::string> rule_files;
  for (const auto& path : paths_) {
    // A judgements file is checked by applying it to the registry.
    if (io::is_judgements_file(path)) {
      options.judgements = path;
      continue;
    }
    std::vector<std::string> files;
    std::string listing_error;
    const io::PathStatus status = io::list_registry_path(path, files, listing_error);
    if (status == io::PathStatus::kMissing || status == io::PathStatus::kUnreadableFolder) {
      options.registry.push_back(path);  // reported by the loader
      continue;
    }
    const std::size_t rules_before = rule_files.size();
    // Rule folders hold one folder per rule: look below a folder for rule files too.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
        std::error_code entry_ec;
        if (entry.is_regular_file(entry_ec) && entry.path().extension() == ".json" &&
            entry.path().parent_path() != std::filesystem::path(path) &&
            io::sniff_document_kind(entry.path().string()) == io::DocumentKind::kRule) {
          rule_files.push_back(entry.path().string());
        }
      }
    }
    // A folder holding no document at all (not even rule folders) is reported by the loader.
    if (status == io::PathStatus::kNoDocuments && rule_files.size() == rules_before) {
      options.registry.push_back(path);
    }
    std::vector<std::string> documents;
    bool snapshot_among_them = false;
    for (auto& file : files) {
      const io::DocumentKind kind = io::sniff_document_kind(file);
      snapshot_among_them = snapshot_among_them || kind == io::DocumentKind::kSnapshot;
      switch (kind) {
        case io::DocumentKind::kSchema:
          options.schema.push_back(file);
          break;
        case io::DocumentKind::kRule:
          rule_files.push_back(file);
          break;
        default:
          documents.push_back(std::move(file));
          break;
      }
    }
    // A folder of registry documents alone is given to the loader as the folder, which it
    // lists as this listing did (the same documents in the same order), rather than as
    // thousands of paths, each examined again as a path of its own. A snapshot among them
    // is given by its path, as the registry's base (or refused as one past the first).
    if (status == io::PathStatus::kOk && documents.size() == files.size() && !snapshot_among_them &&
        std::filesystem::is_directory(path, ec)) {
      options.registry.push_back(path);
    } else {
      options.registry.insert(options.registry.end(), std::make_move_iterator(documents.begin()),
                              std::make_move_iterator(documents.end()));
    }
  }
  int status = 0;
  const auto registry = open_registry(options.spec(), global, status);
  if (!registry) return status;
  diag::Diagnostics diagnostics;
  bool missing = false;
  const auto catalogue = engine::Catalogue::read(rule_files, diagnostics, missing);
  (void)catalogue.check(*registry, diagnostics);
  print_diagnostics(diagnostics, global);
  if (missing) return util::kExitNoInput;
  if (diagnostics.has_errors()) return util::kExitDataError;
  if (global.verbosity >= 0) {
    const model::Graph& graph = registry->graph();
    const std::size_t documents = registry->documents();
    const std::size_t rules = catalogue.rules().size();
    std::cout << "ok: " << documents << " document" << (documents == 1 ? "" : "s") << ", "
              << graph.entity_count() << (graph.entity_count() == 1 ? " entity, " : " entities, ")
              << graph.relation_count()
              << (graph.relation_count() == 1 ? " relation" : " relations");
    if (rules != 0) std::cout << ", " << rules << " rule" << (rules == 1 ? "" : "s");
    std::cout << '\n';
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_validate_command() {
  return std::make_unique<ValidateCommand>();
}

}  // namespace twinscan::cli
