#include "analyzer/cli/command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/cli/arguments.h"
#include "analyzer/cli/date_option.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/diag/source_text.h"
#include "analyzer/engine/query.h"
#include "analyzer/query/compiled_query.h"
#include "analyzer/query/functions.h"
#include "analyzer/query/planner.h"
#include "analyzer/query/projection.h"
#include "analyzer/query/query_engine.h"
#include "analyzer/report/table_writer.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan query 'MATCH … RETURN …'`: runs one query over a registry.
class QueryCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  std::string text_;
  std::string file_;
  std::string format_ = "table";
  std::vector<std::string> params_;
  std::string as_of_;
  bool explain_ = false;
  bool functions_ = false;
  std::uint64_t max_expansions_ = 2'000'000'000;
  std::uint64_t timeout_ms_ = kDefaultExploreTimeoutMs;
  std::uint32_t max_hops_ = 8;
};

}  // namespace

void QueryCommand::configure(CLI::App& app) {
  registry_.add_to(app, false);
  app.add_option("query", text_, "The query: MATCH … [WHERE …] RETURN …");
  app.add_option("--file,-f", file_, "Read the query from a file instead");
  app.add_option("--format", format_, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->default_val("table");
  app.add_option("--param,-p", params_,
                 "A query parameter NAME=VALUE, read as $NAME (repeat for several)")
      ->allow_extra_args(false);
  app.add_option("--as-of", as_of_, "The date date() returns (default: today)")
      ->check(given_date());
  app.add_flag("--explain", explain_, "Print the plan instead of running the query");
  app.add_flag("--functions", functions_, "Print the functions of the query language and exit");
  add_budget_options(app, timeout_ms_, max_expansions_, "the query");
  app.add_option("--max-hops", max_hops_, "Hop cap for * without an upper bound")
      ->default_val(max_hops_)
      ->check(CLI::Range(1, 64));
}

int QueryCommand::run(const GlobalOptions& global) {
  if (functions_) {
    std::cout << query::functions_markdown();
    return util::kExitOk;
  }
  if (file_.empty() && text_.empty()) {
    reclaim_positional(text_, {{&registry_.registry, &registry_.registry_runs}}, true);
    if (!text_.empty()) {
      if (const int status = refuse_stray_registry_values(registry_, "one query")) return status;
    }
  }
  if (registry_.registry.empty()) {
    std::cerr
        << "twinscan: error: --registry is required\n(run 'twinscan query --help' for usage)\n";
    return util::kExitUsage;
  }
  if (text_.empty() && file_.empty()) {
    std::cerr << "twinscan: error: no query: give it as an argument ('MATCH … RETURN …') or "
                 "with --file FILE\n(run 'twinscan query --help' for usage)\n";
    return util::kExitUsage;
  }
  if (!text_.empty() && !file_.empty()) {
    std::cerr << "twinscan: error: give the query as an argument or with --file, not both\n";
    return util::kExitUsage;
  }
  std::string source_name = "<query>";
  if (!file_.empty()) {
    std::error_code ec;
    if (std::filesystem::is_directory(file_, ec)) {
      std::cerr << "twinscan: error: " << file_ << ": is a folder; give the query's file\n";
      return util::kExitNoInput;
    }
    std::ifstream in(file_, std::ios::binary);
    if (!in) {
      std::cerr << "twinscan: error: " << file_ << ": cannot read the query file\n";
      return util::kExitNoInput;
    }
    // A pipe (-f <(…)) is read too, but only so far: /dev/zero would never end.
    constexpr std::size_t kMaxQueryBytes = 16U << 20U;
    text_.clear();
    char block[65536];
    while (in.read(block, sizeof block) || in.gcount() > 0) {
      text_.append(block, static_cast<std::size_t>(in.gcount()));
      if (text_.size() > kMaxQueryBytes) {
        std::cerr << "twinscan: error: " << file_
                  << ": the query file is larger than 16 MiB; a query is a few lines of text\n";
        return util::kExitDataError;
      }
    }
    source_name = file_;
  }
  if (const std::size_t bad = diag::find_invalid_utf8(text_); bad != std::string::npos) {
    const diag::SourceText source(source_name, text_);
    const diag::Diagnostic problem{diag::Severity::kError, source.location(bad),
                                   "text that is not UTF-8; save the query as UTF-8", ""};
    std::cerr << problem.to_string() << '\n';
    return util::kExitDataError;
  }
  engine::QuerySpec spec;
  spec.text = text_;
  spec.source_name = source_name;
  spec.max_hops = max_hops_;
  spec.limits.max_expansions = max_expansions_;
  spec.limits.deadline = std::chrono::milliseconds(timeout_ms_);
  if (!parse_parameters(params_, spec.parameters) || !parse_as_of(as_of_, spec.as_of))
    return util::kExitUsage;

  int status = 0;
  const auto registry = open_registry(registry_.spec(), global, status);
  if (!registry) return status;

  // Streamed, so that the query's problems show before a long run's result.
  diag::Diagnostics diagnostics = streaming_diagnostics(global);
  if (explain_) {
    const auto plan = engine::explain(*registry, spec, diagnostics);
    print_diagnostics(diagnostics, global);
    if (!plan) return util::kExitDataError;
    std::cout << *plan;
    return util::kExitOk;
  }
  const auto table = engine::query(*registry, spec, diagnostics);
  print_diagnostics(diagnostics, global);
  if (!table) return util::kExitDataError;
  const auto format = format_ == "json"  ? report::TableFormat::kJson
                      : format_ == "csv" ? report::TableFormat::kCsv
                                         : report::TableFormat::kTable;
  report::write_table(*table, registry->graph(), format, std::cout);
  return util::kExitOk;
}

std::unique_ptr<Command> make_query_command() {
  return std::make_unique<QueryCommand>();
}

}  // namespace twinscan::cli
