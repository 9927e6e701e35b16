// The command table: every subcommand of `twinscan`, in the order `--help` lists them.
// A command is one file, `<name>_command.cpp`, that defines its class privately and
// exposes only its maker, declared here; adding one is that file and one row below.
#include "analyzer/cli/command.h"

namespace twinscan::cli {

std::unique_ptr<Command> make_validate_command();
std::unique_ptr<Command> make_scan_command();
std::unique_ptr<Command> make_screen_command();
std::unique_ptr<Command> make_rules_command();
std::unique_ptr<Command> make_query_command();
std::unique_ptr<Command> make_compile_command();
std::unique_ptr<Command> make_stats_command();
std::unique_ptr<Command> make_generate_command();
std::unique_ptr<Command> make_resolve_command();
std::unique_ptr<Command> make_judge_command();
std::unique_ptr<Command> make_reconcile_command();
std::unique_ptr<Command> make_users_command();
std::unique_ptr<Command> make_decide_command();
std::unique_ptr<Command> make_audit_command();
std::unique_ptr<Command> make_serve_command();
std::unique_ptr<Command> make_export_command();
std::unique_ptr<Command> make_path_command();
std::unique_ptr<Command> make_neighbours_command();
std::unique_ptr<Command> make_metrics_command();
std::unique_ptr<Command> make_import_command();
std::unique_ptr<Command> make_indicators_command();
std::unique_ptr<Command> make_timeline_command();
std::unique_ptr<Command> make_diff_command();

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> kTable = {
      {"validate", "Check registry documents, requests, schema and rule files",
       make_validate_command},
      {"scan", "Run every rule over a whole registry and report the findings", make_scan_command},
      {"screen", "Screen one new agreement against the registry: findings and a verdict",
       make_screen_command},
      {"rules", "List, show, test, document, scaffold and export the rule catalogue",
       make_rules_command},
      {"query", "Run an openCypher-style query over a registry", make_query_command},
      {"path", "The shortest path, or every shortest path, between two entities",
       make_path_command},
      {"neighbours", "The entities within N relations of one, and the relations among them",
       make_neighbours_command},
      {"metrics",
       "Degree, betweenness, PageRank and connected components of every entity, as networkx",
       make_metrics_command},
      {"compile", "Write a registry as one binary snapshot that opens fast", make_compile_command},
      {"stats", "Count a registry's entities and relations by kind", make_stats_command},
      {"export",
       "Write the registry, a query's result or a neighbourhood for Gephi, networkx, Neo4j",
       make_export_command},
      {"import",
       "Turn spreadsheets, FollowTheMoney, Open Ownership and Wikidata records into a document",
       make_import_command},
      {"resolve", "Offer pairs of entities that may be one, with the evidence, for judgement",
       make_resolve_command},
      {"judge", "Record a judgement that two ids name the same entity, or different ones",
       make_judge_command},
      {"reconcile",
       "The national map: every twin-city tie across sources, with their discrepancies",
       make_reconcile_command},
      {"indicators",
       "Follow-up counts of ties, agreements, projects and notification compliance, with charts",
       make_indicators_command},
      {"timeline", "The dated events of an entity or a tie, oldest first, each with its source",
       make_timeline_command},
      {"diff", "What changed between two versions of a registry, and the findings it changed",
       make_diff_command},
      {"users", "Add, list and remove the people who may sign in to the reviewer's desk",
       make_users_command},
      {"decide", "Record a decision on a finding in the desk: confirmed, dismissed or suppressed",
       make_decide_command},
      {"audit", "Verify the desk's hash-chained audit trail, or export it as JSON lines or CSV",
       make_audit_command},
      {"serve", "The reviewer's desk: a local web application to screen, decide and audit",
       make_serve_command},
      {"generate", "Write a synthetic registry of a given size and seed", make_generate_command},
  };
  return kTable;
}

}  // namespace twinscan::cli
