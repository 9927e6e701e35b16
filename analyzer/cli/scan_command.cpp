#include "analyzer/cli/command.h"

#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan scan`: every rule over the whole registry.
class ScanCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  ReportOptions report_;
};

}  // namespace

void ScanCommand::configure(CLI::App& app) {
  registry_.add_to(app);
  report_.add_to(app, true);
}

int ScanCommand::run(const GlobalOptions& global) {
  std::vector<rules::Rule> rules;
  if (const int status = report_.load_rules(global, rules)) return status;
  rules::ScanOptions options;
  if (const int status = report_.scan_options(rules, options)) return status;
  const LoadedRegistry loaded = load_registry(registry_, global);
  if (!loaded.graph) return loaded.exit_code;
  const std::string home_country = report_.apply_home_country(*loaded.graph, options, global);
  options.progress = terminal_progress(global, "scanning: rule");
  diag::Diagnostics diagnostics;
  rules::ScanResult result = rules::scan(*loaded.graph, rules, options, diagnostics);
  print_diagnostics(diagnostics, global);
  if (!result.ok) return util::kExitDataError;

  report::ReportContext context;
  context.graph = loaded.graph.get();
  context.rules = &rules;
  context.findings = std::move(result.findings);
  context.as_of = options.as_of.to_string();
  context.home_country = home_country;
  context.title = "Twinscan scan";
  if (const int status = report_.write(context, global); status >= 0) return status;
  if (report_.fail_on == "never") return util::kExitOk;
  const auto threshold = rules::parse_severity(report_.fail_on);
  for (const auto& f : context.findings) {
    if (f.severity >= *threshold) return util::kExitFindings;
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_scan_command() {
  return std::make_unique<ScanCommand>();
}

}  // namespace twinscan::cli
