#include "analyzer/cli/command.h"

#include <chrono>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/engine/scan.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/freed_memory.h"
#include "analyzer/util/keep_until_exit.h"

namespace twinscan::cli {
namespace {

/// `twinscan scan`: every rule over the whole registry.
class ScanCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  /// Writes the report; the exit status: the writer's on failure, else by --fail-on.
  int status_after_report(report::ReportContext& context, const GlobalOptions& global);

  RegistryOptions registry_;
  ReportOptions report_;
};

}  // namespace

void ScanCommand::configure(CLI::App& app) {
  registry_.add_to(app);
  report_.add_to(app, true);
  report_.add_desk_option(app);
}

int ScanCommand::run(const GlobalOptions& global) {
  std::optional<engine::Catalogue> catalogue;
  if (const int status = report_.load_catalogue(global, catalogue)) return status;
  engine::RunOptions options;
  if (const int status = report_.run_options(*catalogue, options, global)) return status;
  int status = 0;
  const auto registry = open_registry(report_.registry_spec(registry_), global, status);
  if (!registry) return status;
  options.progress = terminal_progress(global, "scanning: rule");
  diag::Diagnostics diagnostics;
  engine::RunResult result = engine::scan(*registry, *catalogue, options, diagnostics);
  print_diagnostics(diagnostics, global);
  if (result.outcome != engine::Outcome::kOk) return exit_code(result.outcome);
  // The rules' caches and working memory are freed: back to the system before the report
  // takes its own.
  const auto returning = std::chrono::steady_clock::now();
  util::return_freed_memory();
  spdlog::debug(
      "freed memory given back in {:.1f} ms",
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - returning)
          .count());

  report::ReportContext context;
  context.graph = &registry->graph();
  context.rules = &catalogue->rules();
  context.findings = std::move(result.findings);
  context.as_of = options.as_of.to_string();
  context.home_country = result.home_country;
  context.title = "Twinscan scan";
  const int status_after = status_after_report(context, global);
  // The process ends with this command: the findings' memory goes back with it.
  util::keep_until_exit(std::move(context));
  return status_after;
}

int ScanCommand::status_after_report(report::ReportContext& context, const GlobalOptions& global) {
  if (const int written = report_.write(context, global); written >= 0) return written;
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
