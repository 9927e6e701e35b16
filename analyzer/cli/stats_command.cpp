#include "analyzer/cli/command.h"

#include <iomanip>
#include <iostream>
#include <string>

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>
#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/util/english.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan stats`: counts of entities by kind and relations by kind, and memory.
class StatsCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  std::string format_ = "text";
};

}  // namespace

void StatsCommand::configure(CLI::App& app) {
  registry_.add_to(app);
  app.add_option("--format", format_, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_val("text");
}

int StatsCommand::run(const GlobalOptions& global) {
  int status = 0;
  const auto registry = open_registry(registry_.spec(), global, status);
  if (!registry) return status;
  const model::Graph& g = registry->graph();
  const model::Schema& schema = g.schema();
  const model::GraphMemory memory = g.memory();
  if (format_ == "json") {
    rapidjson::OStreamWrapper out(std::cout);
    rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w(out);
    w.StartObject();
    w.Key("documents");
    w.Uint64(registry->documents());
    w.Key("entities");
    w.Uint64(g.entity_count());
    w.Key("relations");
    w.Uint64(g.relation_count());
    w.Key("entities_by_kind");
    w.StartObject();
    for (model::KindId k = 0; k < schema.kinds().size(); ++k) {
      w.Key(schema.kind(k).name.c_str());
      w.Uint64(g.vertices_of_kind(k).size());
    }
    w.EndObject();
    w.Key("relations_by_kind");
    w.StartObject();
    for (model::RelKindId k = 0; k < schema.relations().size(); ++k) {
      w.Key(schema.relation(k).name.c_str());
      w.Uint64(g.relation_count_of_kind(k));
    }
    w.EndObject();
    w.Key("memory_bytes");
    w.Uint64(memory.total());
    w.EndObject();
    std::cout << '\n';
    return util::kExitOk;
  }
  std::cout << util::count_of(registry->documents(), "document", "documents") << ", "
            << util::count_of(g.entity_count(), "entity", "entities") << ", "
            << util::count_of(g.relation_count(), "relation", "relations")
            << "\n\nEntities by kind\n";
  for (model::KindId k = 0; k < schema.kinds().size(); ++k) {
    std::cout << "  " << std::left << std::setw(20) << schema.kind(k).name << std::right
              << std::setw(10) << g.vertices_of_kind(k).size() << '\n';
  }
  std::cout << "\nRelations by kind\n";
  for (model::RelKindId k = 0; k < schema.relations().size(); ++k) {
    std::cout << "  " << std::left << std::setw(20) << schema.relation(k).name << std::right
              << std::setw(10) << g.relation_count_of_kind(k) << '\n';
  }
  std::cout << "\nMemory: " << memory.total() / 1024 << " KiB ("
            << (g.entity_count() ? memory.total() / g.entity_count() : 0)
            << " bytes per entity, all included)\n";
  return util::kExitOk;
}

std::unique_ptr<Command> make_stats_command() {
  return std::make_unique<StatsCommand>();
}

}  // namespace twinscan::cli
