#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "analyzer/cli/arguments.h"
#include "analyzer/cli/command.h"
#include "analyzer/cli/date_option.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/reconcile/map_writers.h"
#include "analyzer/reconcile/national_map.h"
#include "analyzer/util/atomic_file.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan reconcile`: the national map of twin-city ties, reconciled across sources.
class ReconcileCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  std::string format_ = "text";
  std::string output_;
  std::string as_of_;
};

void ReconcileCommand::configure(CLI::App& app) {
  registry_.add_to(app);
  app.add_option("--format", format_, "Output format")
      ->check(CLI::IsMember({"text", "json", "csv", "html"}))
      ->default_val("text");
  app.add_option("--output,-o", output_,
                 "Write the map to this file (written atomically; '-' or none: standard output)");
  app.add_option("--as-of", as_of_, "The date a tie's end is judged against (default: today)")
      ->check(given_date());
  app.footer(
      "Lists every twin-city tie between a municipality and its counterpart once, with "
      "what each source states of it (since, until, status), where it stands on --as-of "
      "(active, ended, disputed, not-yet-begun: dated to start later), and its issues: a source "
      "whose scope covers the tie but does not state it (missing-from), values the "
      "sources state differently (disagree), a tie some sources end and others do not "
      "(ended-and-active). Scopes: national-register and local-authorities sources are "
      "held to every tie, a municipality source to its municipalities' ties, a "
      "foreign-side source to ties with cities of its own countries; a source that lists "
      "no tie, and other roles, to none. Ties between two foreign cities are counted, not "
      "listed. Give --judgements to join the ids of sources that name places their own "
      "way.\n\nExit status: 0 no tie has an issue, 1 some tie has one, 64 wrong usage, 65 "
      "malformed input, 66 a missing file, 73 --output cannot be written.");
}

int ReconcileCommand::run(const GlobalOptions& global) {
  model::Date as_of;
  if (!parse_as_of(as_of_, as_of)) return util::kExitUsage;
  int open_status = 0;
  const auto registry = open_registry(registry_.spec(), global, open_status);
  if (!registry) return open_status;
  const model::Graph& graph = registry->graph();
  const reconcile::NationalMap map = reconcile::build_national_map(graph, as_of);
  const std::string text = reconcile::render(graph, map, format_);
  if (output_.empty() || output_ == "-") {
    std::cout << text;
    std::cout.flush();
  } else {
    std::string error;
    if (!util::write_file_atomically(output_, text, error)) {
      std::cerr << "twinscan: error: " << output_ << ": cannot write the national map: " << error
                << '\n';
      return util::kExitCantCreate;
    }
    if (global.verbosity >= 0) std::cerr << "twinscan: national map written to " << output_ << '\n';
  }
  return map.summary.ties_with_issues > 0 ? util::kExitFindings : util::kExitOk;
}

}  // namespace

std::unique_ptr<Command> make_reconcile_command() {
  return std::make_unique<ReconcileCommand>();
}

}  // namespace twinscan::cli
