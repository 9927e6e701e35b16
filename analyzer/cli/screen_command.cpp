#include "analyzer/cli/command.h"

#include <filesystem>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/engine/request.h"
#include "analyzer/engine/screen.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan screen REQUEST.json`: the findings a new agreement brings, and a verdict.
class ScreenCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  ReportOptions report_;
  std::string request_;
};

}  // namespace

void ScreenCommand::configure(CLI::App& app) {
  registry_.add_to(app);
  report_.add_to(app, false);
  report_.warn_unmatched_suppressions = false;
  app.add_option("request", request_,
                 "The request: a registry document holding the new agreement and what comes "
                 "with it (it may refer to registry ids)");
}

int ScreenCommand::run(const GlobalOptions& global) {
  const bool given = !request_.empty();
  reclaim_positional(request_, {{&registry_.registry, &registry_.registry_runs},
                                {&report_.rules, &report_.rules_runs}});
  if (!given && !request_.empty()) {
    if (const int status = refuse_stray_registry_values(registry_, "one request")) return status;
  }
  if (request_.empty()) {
    std::cerr << "twinscan: error: screen needs a REQUEST.json after the options\n";
    return util::kExitUsage;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(request_, ec)) {
    std::cerr << "twinscan: error: " << request_ << ": a request is one document, not a folder\n";
    return util::kExitUsage;
  }
  std::optional<engine::Catalogue> catalogue;
  if (const int status = report_.load_catalogue(global, catalogue)) return status;
  engine::RunOptions options;
  if (const int status = report_.run_options(*catalogue, options, global)) return status;
  std::optional<engine::Request> request;
  {
    diag::Diagnostics diagnostics = streaming_diagnostics(global);
    engine::Outcome failure = engine::Outcome::kOk;
    request =
        engine::Request::open(report_.registry_spec(registry_), request_, diagnostics, &failure);
    print_diagnostics(diagnostics, global);
    if (!request) return exit_code(failure);
  }
  diag::Diagnostics diagnostics;
  engine::RunResult result = engine::screen(*request, *catalogue, options, diagnostics);
  print_diagnostics(diagnostics, global);
  if (result.outcome != engine::Outcome::kOk) return exit_code(result.outcome);

  report::ReportContext context;
  context.graph = &request->merged().graph();
  context.rules = &catalogue->rules();
  context.findings = std::move(result.findings);
  context.as_of = options.as_of.to_string();
  context.home_country = result.home_country;
  context.title = "Twinscan screening of " + std::filesystem::path(request_).filename().string();
  // The verdict is decided after suppressions are applied, on what the reviewer sees.
  if (const int status = report_.review(context, global); status >= 0) return status;
  context.verdict = std::string(engine::verdict(context.findings));
  if (const int status = report_.emit(context, global); status >= 0) return status;
  return context.verdict == "clear" ? util::kExitOk : util::kExitFindings;
}

std::unique_ptr<Command> make_screen_command() {
  return std::make_unique<ScreenCommand>();
}

}  // namespace twinscan::cli
