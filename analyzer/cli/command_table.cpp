#include "analyzer/cli/command.h"
#include "analyzer/cli/compile_command.h"
#include "analyzer/cli/generate_command.h"
#include "analyzer/cli/judge_command.h"
#include "analyzer/cli/query_command.h"
#include "analyzer/cli/resolve_command.h"
#include "analyzer/cli/rules_command.h"
#include "analyzer/cli/scan_command.h"
#include "analyzer/cli/screen_command.h"
#include "analyzer/cli/stats_command.h"
#include "analyzer/cli/validate_command.h"

namespace twinscan::cli {

template <typename T>
std::unique_ptr<Command> make() {
  return std::make_unique<T>();
}

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> kTable = {
      {"validate", "Check registry documents, requests, schema and rule files",
       make<ValidateCommand>},
      {"scan", "Run every rule over a whole registry and report the findings", make<ScanCommand>},
      {"screen", "Screen one new agreement against the registry: findings and a verdict",
       make<ScreenCommand>},
      {"rules", "List, show, test and document the rule catalogue", make<RulesCommand>},
      {"query", "Run an openCypher-style query over a registry", make<QueryCommand>},
      {"compile", "Write a registry as one binary snapshot that opens fast", make<CompileCommand>},
      {"stats", "Count a registry's entities and relations by kind", make<StatsCommand>},
      {"resolve", "Offer pairs of entities that may be one, with the evidence, for judgement",
       make<ResolveCommand>},
      {"judge", "Record a judgement that two ids name the same entity, or different ones",
       make<JudgeCommand>},
      {"generate", "Write a synthetic registry of a given size and seed", make<GenerateCommand>},
  };
  return kTable;
}

}  // namespace twinscan::cli
