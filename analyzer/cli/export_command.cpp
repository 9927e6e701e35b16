#include "analyzer/cli/command.h"

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/cli/arguments.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/engine/query.h"
#include "analyzer/explore/entity_lookup.h"
#include "analyzer/explore/subgraph.h"
#include "analyzer/export/export_format.h"
#include "analyzer/export/output_files.h"
#include "analyzer/util/english.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan export`: the registry, a query's result or a neighbourhood, in a format that
/// researchers' tools read (docs/export.md).
class ExportCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  /// The subgraph to export; nothing (with the exit status in `status`) on a problem.
  std::optional<explore::Subgraph> select(const engine::Registry& registry,
                                          const GlobalOptions& global, int& status) const;

  RegistryOptions registry_;
  std::string format_;
  std::string query_;
  std::string around_;
  unsigned depth_ = 1;
  std::vector<std::string> relations_;
  std::string output_;
  bool force_ = false;
  std::uint64_t max_expansions_ = 2'000'000'000;
  std::uint64_t timeout_ms_ = kDefaultExploreTimeoutMs;
  std::uint32_t max_hops_ = 8;
  CLI::Option* depth_option_ = nullptr;
};

/// Every entity, relation and path in the values of `value` (lists included), with both
/// ends of each relation.
void collect(const model::Graph& graph, const query::Value& value,
             std::vector<model::VertexId>& vertices, std::vector<model::RelationId>& relations) {
  switch (value.type) {
    case query::Type::kNode:
      vertices.push_back(value.node);
      break;
    case query::Type::kRelation:
      relations.push_back(value.relation);
      vertices.push_back(graph.relation_source(value.relation));
      vertices.push_back(graph.relation_target(value.relation));
      break;
    case query::Type::kPath:
      for (const auto v : value.path().nodes) vertices.push_back(v);
      for (const auto r : value.path().relations) relations.push_back(r);
      break;
    case query::Type::kList:
      for (const auto& item : value.list()) collect(graph, item, vertices, relations);
      break;
    default:
      break;
  }
}

std::string format_names() {
  std::string out;
  for (const auto& f : exports::export_formats()) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

}  // namespace

void ExportCommand::configure(CLI::App& app) {
  registry_.add_to(app);
  std::string formats = "Format:";
  std::vector<std::string> names;
  for (const auto& f : exports::export_formats()) {
    names.emplace_back(f.name);
    formats += std::string("\n  ") + f.name + ": " + f.summary;
  }
  app.add_option("--format", format_, formats)->required()->check(CLI::IsMember(names));
  app.add_option("--query", query_,
                 "Export what this query returns (MATCH … RETURN …): its entities, relations "
                 "and paths, and the relations among those entities");
  app.add_option("--around", around_,
                 "Export the neighbourhood of this entity (its id, or its name or an alias): the "
                 "entities within --depth "
                 "relations and the relations among them");
  depth_option_ = app.add_option("--depth", depth_, "Relations from --around (default: 1)")
                      ->check(CLI::Range(0, 64));
  app.add_option("--relations", relations_,
                 "Only relations of these kinds, comma-separated (followed by --around too)")
      ->delimiter(',');
  app.add_option("--output,-o", output_,
                 "Where to write: a file (- for standard output), or for csv and neo4j a new "
                 "or empty folder")
      ->required();
  app.add_flag("--force", force_,
               "csv, neo4j: write into a folder that holds files, replacing the export's "
               "files and leaving the others");
  add_budget_options(app, timeout_ms_, max_expansions_, "the query");
  app.add_option("--max-hops", max_hops_, "Hop cap for * without an upper bound in --query")
      ->default_val(max_hops_)
      ->check(CLI::Range(1, 64));
  app.footer(
      "Exit status: 0 written, 64 usage (an unknown format or relation kind; --query with "
      "--around), 65 bad registry or query, or an --around entity unknown or ambiguous, 66 missing "
      "registry, 73 the output cannot be "
      "written (a folder that is not empty without --force). See docs/export.md.");
}

std::optional<explore::Subgraph> ExportCommand::select(const engine::Registry& registry,
                                                       const GlobalOptions& global,
                                                       int& status) const {
  const model::Graph& graph = registry.graph();
  diag::Diagnostics diagnostics = streaming_diagnostics(global);
  const explore::RelationFilter filter(graph.schema(), relations_, diagnostics);
  if (!filter.ok()) {
    print_diagnostics(diagnostics, global);
    status = util::kExitUsage;
    return std::nullopt;
  }
  if (!around_.empty()) {
    // By id, else by name or alias, as `twinscan path` and `neighbours` name entities.
    const auto seed = explore::lookup_entity(graph, around_, "--around", diagnostics);
    if (!seed) {
      print_diagnostics(diagnostics, global);
      status = util::kExitDataError;
      return std::nullopt;
    }
    const model::VertexId seeds[] = {*seed};
    return explore::neighbourhood(graph, seeds, depth_, filter);
  }
  if (!query_.empty()) {
    engine::QuerySpec spec;
    spec.text = query_;
    spec.source_name = "--query";
    spec.max_hops = max_hops_;
    spec.limits.max_expansions = max_expansions_;
    spec.limits.deadline = std::chrono::milliseconds(timeout_ms_);
    if (!parse_as_of("", spec.as_of)) {
      status = util::kExitUsage;
      return std::nullopt;
    }
    const auto table = engine::query(registry, spec, diagnostics);
    print_diagnostics(diagnostics, global);
    if (!table) {
      status = util::kExitDataError;
      return std::nullopt;
    }
    std::vector<model::VertexId> vertices;
    std::vector<model::RelationId> returned;
    for (const auto& row : table->rows) {
      for (const auto& value : row) collect(graph, value, vertices, returned);
    }
    // The relations returned, and every relation among the entities returned.
    std::vector<bool> chosen(graph.entity_count(), false);
    for (const auto v : vertices) chosen[v] = true;
    std::vector<model::RelationId> relations;
    for (const auto r : returned) {
      if (filter.allows(graph.relation_kind(r))) relations.push_back(r);
    }
    for (model::VertexId v = 0; v < graph.entity_count(); ++v) {
      if (!chosen[v]) continue;
      for (const auto& e : graph.out_edges(v)) {
        if (chosen[e.other] && filter.allows(e.kind)) relations.push_back(e.relation);
      }
    }
    return explore::Subgraph::of(graph, std::move(vertices), std::move(relations));
  }
  if (filter.every_kind()) return explore::Subgraph::everything(graph);
  std::vector<model::VertexId> vertices(graph.entity_count());
  for (model::VertexId v = 0; v < graph.entity_count(); ++v) vertices[v] = v;
  std::vector<model::RelationId> relations;
  for (model::RelationId r = 0; r < graph.relation_count(); ++r) {
    if (filter.allows(graph.relation_kind(r))) relations.push_back(r);
  }
  return explore::Subgraph::of(graph, std::move(vertices), std::move(relations));
}

int ExportCommand::run(const GlobalOptions& global) {
  if (!query_.empty() && !around_.empty()) {
    std::cerr << "twinscan: error: give --query or --around, not both\n"
                 "(run 'twinscan export --help' for usage)\n";
    return util::kExitUsage;
  }
  if (depth_option_->count() > 0 && around_.empty()) {
    std::cerr << "twinscan: error: --depth goes with --around ID\n"
                 "(run 'twinscan export --help' for usage)\n";
    return util::kExitUsage;
  }
  const exports::ExportFormat* format = exports::find_export_format(format_);
  if (!format) {  // CLI11 checks the name; this keeps the table the only list
    std::cerr << "twinscan: error: unknown format '" << format_ << "' (" << format_names() << ")\n";
    return util::kExitUsage;
  }
  // The output is checked before the registry is read, so that a long load is not wasted.
  exports::FileOutput file;
  exports::FolderOutput folder;
  std::string error;
  if (format->folder ? !folder.open_path(output_, force_, error)
                     : !file.open_path(output_, error)) {
    std::cerr << "twinscan: error: " << output_ << ": " << error << '\n';
    return output_ == "-" && format->folder ? util::kExitUsage : util::kExitCantCreate;
  }

  int status = 0;
  const auto registry = open_registry(registry_.spec(), global, status);
  if (!registry) return status;
  const auto subgraph = select(*registry, global, status);
  if (!subgraph) return status;

  exports::Progress progress(terminal_progress(global, "exporting"),
                             subgraph->vertex_count() + subgraph->relation_count());
  try {
    if (format->folder) {
      format->write(*subgraph, folder, progress);
      folder.commit();
    } else {
      format->write(*subgraph, file, progress);
      file.commit();
    }
  } catch (const exports::ExportError& e) {
    std::cerr << "twinscan: error: " << e.what() << '\n';
    return util::kExitCantCreate;
  }
  progress.finish();
  if (global.verbosity >= 0 && output_ != "-") {
    std::cerr << "twinscan: " << util::count_of(subgraph->vertex_count(), "entity", "entities")
              << " and " << util::count_of(subgraph->relation_count(), "relation", "relations")
              << " written to " << output_ << " (" << format->name << ")\n";
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_export_command() {
  return std::make_unique<ExportCommand>();
}

}  // namespace twinscan::cli
