#include "analyzer/cli/command.h"

#include <filesystem>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
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

// True when document `request` defines an Agreement or a relation. What a document adds
// is appended after everything before it, so only the tail of the graph is looked at.
bool request_adds_something(const model::Graph& graph, std::uint32_t request) {
  const auto relations = graph.relation_count();
  if (relations > 0 &&
      graph.relation_source_ref(static_cast<model::RelationId>(relations - 1)).document == request)
    return true;
  const auto agreement = graph.schema().find_kind("Agreement");
  for (auto v = graph.entity_count(); v > 0; --v) {
    const auto vertex = static_cast<model::VertexId>(v - 1);
    if (graph.source(vertex).document != request) break;
    if (agreement && graph.kind(vertex) == *agreement) return true;
  }
  return false;
}

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
  reclaim_positional(request_, {{&registry_.registry, &registry_.registry_runs},
                                {&report_.rules, &report_.rules_runs}});
  if (request_.empty()) {
    std::cerr << "twinscan: error: screen needs a REQUEST.json after the options\n";
    return util::kExitUsage;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(request_, ec)) {
    std::cerr << "twinscan: error: " << request_ << ": a request is one document, not a folder\n";
    return util::kExitUsage;
  }
  std::vector<rules::Rule> rules;
  if (const int status = report_.load_rules(global, rules)) return status;
  rules::ScanOptions options;
  if (const int status = report_.scan_options(rules, options)) return status;
  const LoadedRegistry loaded = load_registry(registry_, global, {request_});
  if (!loaded.graph) return loaded.exit_code;
  const std::string home_country = report_.apply_home_country(*loaded.graph, options, global);
  // The request is the last document read.
  const auto request = static_cast<std::uint32_t>(loaded.graph->documents().size() - 1);
  if (!request_adds_something(*loaded.graph, request)) {
    diag::Diagnostics nothing;
    nothing.error({request_, 0, 0},
                  "the request adds nothing to screen: it holds no new Agreement and no new "
                  "relation (put the new agreement and its relations in it)");
    print_diagnostics(nothing, global);
    return util::kExitDataError;
  }
  diag::Diagnostics diagnostics;
  rules::ScanResult result = rules::screen(*loaded.graph, rules, request, options, diagnostics);
  print_diagnostics(diagnostics, global);
  if (!result.ok) return util::kExitDataError;

  report::ReportContext context;
  context.graph = loaded.graph.get();
  context.rules = &rules;
  context.findings = std::move(result.findings);
  context.as_of = options.as_of.to_string();
  context.home_country = home_country;
  context.title = "Twinscan screening of " + std::filesystem::path(request_).filename().string();
  // The verdict is decided after suppressions are applied, on what the reviewer sees.
  if (const int status = report_.review(context, global); status >= 0) return status;
  context.verdict = "clear";
  for (const auto& f : context.findings) {
    if (f.severity >= rules::Severity::kHigh) {
      context.verdict = "escalate";
      break;
    }
    context.verdict = "review";
  }
  if (const int status = report_.emit(context, global); status >= 0) return status;
  return context.verdict == "clear" ? util::kExitOk : util::kExitFindings;
}

std::unique_ptr<Command> make_screen_command() {
  return std::make_unique<ScreenCommand>();
}

}  // namespace twinscan::cli
