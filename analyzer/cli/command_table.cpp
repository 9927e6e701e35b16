#include "analyzer/cli/command.h"
#include "analyzer/cli/query_command.h"
#include "analyzer/cli/stats_command.h"
#include "analyzer/cli/validate_command.h"

namespace twinscan::cli {

template <typename T>
std::unique_ptr<Command> make() {
  return std::make_unique<T>();
}

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> kTable = {
      {"validate", "Check registry documents, requests, schema and rule files", make<ValidateCommand>},
      {"query", "Run an openCypher-style query over a registry", make<QueryCommand>},
      {"stats", "Count a registry's entities and relations by kind", make<StatsCommand>},
  };
  return kTable;
}

}  // namespace twinscan::cli
