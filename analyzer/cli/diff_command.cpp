#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/cli/command.h"
#include "analyzer/cli/date_option.h"
#include "analyzer/cli/explore_options.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/engine/scan.h"
#include "analyzer/history/registry_diff.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan diff --registry OLD… --against NEW…`: what changed between two versions of a
/// registry, and which findings appeared or were resolved.
class DiffCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  ReportOptions report_;
  ExploreOptions explore_;
  std::vector<std::string> against_;
  std::vector<OptionRun> against_runs_;
  bool no_findings_ = false;
  std::string format_ = "text";
};

void DiffCommand::configure(CLI::App& app) {
  registry_.add_to(app, true);
  add_list_option(app, "--against", against_, against_runs_,
                  "The new version: registry documents, folders of *.json or a snapshot, "
                  "merged in order (a request document may follow the registry)")
      ->required();
  add_list_option(app, "--rules", report_.rules, report_.rules_runs,
                  "Rule files or folders whose findings are compared (default: the bundled "
                  "rules/)");
  app.add_option("--as-of", report_.as_of,
                 "The date deadlines are judged against on both sides (default: today)")
      ->check(given_date());
  app.add_option("--home-country", report_.home_country,
                 "The overseeing country (ISO 3166-1 alpha-2), for the rules");
  app.add_flag("--no-findings", no_findings_,
               "Compare the registries only; do not scan both sides for findings");
  app.add_option("--jobs,-j", report_.jobs,
                 "Threads for the rules and for writing the report (default: one per core)");
  app.add_option("--format", format_, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_val("text");
  explore_.add_output(app);
  app.footer(
      "--registry names the old version and --against the new. Entities are matched by id, "
      "relations by their id (given, or derived from kind and "
      "ends); --schema and --judgements apply to both sides. Reported: entities and "
      "relations added and removed, property values changed (with the sources stating the "
      "old and the new value), and, unless --no-findings, the findings that appeared or were "
      "resolved (matched by fingerprint, as scan --baseline matches them). Exit 0 when "
      "nothing changed, 1 otherwise. With -v, the time of each step on stderr.");
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

int DiffCommand::run(const GlobalOptions& global) {
  std::optional<engine::Catalogue> catalogue;
  engine::RunOptions options;
  if (!no_findings_) {
    if (const int status = report_.load_catalogue(global, catalogue)) return status;
    if (const int status = report_.run_options(*catalogue, options, global)) return status;
  }
  const bool timing = global.verbosity > 0;
  auto start = std::chrono::steady_clock::now();
  int status = 0;
  const engine::RegistrySpec old_spec = report_.registry_spec(registry_);
  const auto old_registry = open_registry(old_spec, global, status);
  if (!old_registry) return status;
  engine::RegistrySpec new_spec = old_spec;
  new_spec.paths = against_;
  const auto new_registry = open_registry(new_spec, global, status);
  if (!new_registry) return status;
  if (timing) std::cerr << "diff: opened both registries in " << ms_since(start) << " ms\n";

  start = std::chrono::steady_clock::now();
  const auto diff = history::diff_registries(old_registry->graph(), new_registry->graph());
  if (timing) std::cerr << "diff: compared the registries in " << ms_since(start) << " ms\n";

  std::optional<history::FindingsDiff> findings;
  engine::RunResult before, after;
  if (!no_findings_) {
    start = std::chrono::steady_clock::now();
    diag::Diagnostics diagnostics;
    before = engine::scan(*old_registry, *catalogue, options, diagnostics);
    if (before.outcome == engine::Outcome::kOk) {
      after = engine::scan(*new_registry, *catalogue, options, diagnostics);
    }
    print_diagnostics(diagnostics, global);
    if (before.outcome != engine::Outcome::kOk) return exit_code(before.outcome);
    if (after.outcome != engine::Outcome::kOk) return exit_code(after.outcome);
    findings = history::diff_findings(before.findings, after.findings);
    if (timing) std::cerr << "diff: scanned both sides in " << ms_since(start) << " ms\n";
  }

  history::DiffReport report{&old_registry->graph(), &new_registry->graph(), &diff,
                             findings ? &*findings : nullptr};
  const std::string text =
      format_ == "json" ? history::diff_json(report) : history::diff_text(report);
  if (const int written = explore_.write(text, "the diff")) return written;
  const bool changed =
      !diff.empty() || (findings && (!findings->appeared.empty() || !findings->resolved.empty()));
  return changed ? util::kExitFindings : util::kExitOk;
}

}  // namespace

std::unique_ptr<Command> make_diff_command() {
  return std::make_unique<DiffCommand>();
}

}  // namespace twinscan::cli
