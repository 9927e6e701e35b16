#include "analyzer/cli/report_options.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <thread>

#include <unistd.h>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "analyzer/cli/arguments.h"
#include "analyzer/cli/date_option.h"
#include "analyzer/cli/desk_options.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/report/baseline.h"
#include "analyzer/report/format_table.h"
#include "analyzer/rules/home_country.h"
#include "analyzer/util/atomic_file.h"
#include "analyzer/util/atomic_file_stream.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {

void add_budget_options(CLI::App& app, std::uint64_t& timeout_ms, std::uint64_t& max_expansions,
                        const std::string& what) {
  app.add_option("--timeout", timeout_ms,
                 "Stop " + what + " after this many milliseconds (0: never; default: " +
                     std::to_string(timeout_ms) + ")");
  app.add_option("--max-expansions", max_expansions,
                 "Stop " + what + " after walking this many relations (default: " +
                     std::to_string(max_expansions) + ")");
}

void ReportOptions::add_to(CLI::App& app, bool with_baseline) {
  add_list_option(app, "--rules", rules, rules_runs,
                  "Rule folders or files (default: the bundled rules/)");
  app.add_option("--param,-p", params,
                 "Override a rule parameter: NAME=VALUE, or RULE-ID.NAME=VALUE for one rule "
                 "(repeat for several)")
      ->allow_extra_args(false);
  app.add_option("--params", params_file,
                 "A JSON file of rule parameters: {\"NAME\": value, \"RULE-ID.NAME\": value}; "
                 "--param wins over it");
  app.add_option("--as-of", as_of, "The date deadlines are judged against (default: today)")
      ->check(given_date());
  app.add_option("--home-country", home_country,
                 "ISO 3166-1 alpha-2 code of the overseeing country, which decides what is "
                 "foreign (default: the one country of the registry's municipalities; when "
                 "they name several or none, rules that need it report that they cannot "
                 "judge)");
  app.add_option("--format", format, report::formats_help())
      ->check(CLI::IsMember(report::format_names()))
      ->default_val("text");
  app.add_option(
      "--output,-o", output,
      "Write the report to this file, replaced whole once complete; '-' is stdout "
      "(default), a device, FIFO or /dev/fd/N is written to, a symlink's target is replaced, "
      "an input is never replaced");
  if (with_baseline) {
    app.add_option("--baseline", baseline,
                   "An earlier JSON report: mark findings new or unchanged, list the resolved");
    app.add_option("--fail-on", fail_on, "Exit 1 when a finding is at or above this severity")
        ->check(CLI::IsMember({"info", "low", "medium", "high", "critical", "never"}))
        ->default_val("high");
  }
  app.add_option("--suppressions", suppressions,
                 "Findings set aside by reviewers: fingerprint, justification, author, expiry");
  app.add_option("--jobs,-j", jobs,
                 "Threads for the rules and for writing the report (0: one per core); the "
                 "report is the same for any number")
      ->default_val(0)
      ->check(CLI::Range(0, 256));
  add_budget_options(app, timeout_ms, max_expansions, "a rule");
}

void ReportOptions::add_desk_option(CLI::App& app) {
  app.add_option("--db", db,
                 "The reviewer's desk database: the findings suppressed on the desk (and not "
                 "expired as of --as-of) are set aside, as with --suppressions");
}

int ReportOptions::load_catalogue(const GlobalOptions& global,
                                  std::optional<engine::Catalogue>& out) const {
  diag::Diagnostics diagnostics;
  engine::Outcome failure = engine::Outcome::kOk;
  out = engine::Catalogue::load({rules, true}, diagnostics, &failure);
  print_diagnostics(diagnostics, global);
  return out ? 0 : exit_code(failure);
}

int ReportOptions::run_options(engine::Catalogue& catalogue, engine::RunOptions& out,
                               const GlobalOptions& global) const {
  if (!parse_as_of(as_of, out.as_of)) return util::kExitUsage;
  if (!home_country.empty() && !rules::normalise_country_code(home_country)) {
    std::cerr << "twinscan: error: --home-country " << home_country
              << ": expected the ISO 3166-1 code of a country, such as FR, IL or POL\n";
    return util::kExitUsage;
  }
  // Missing review files are said before the scan, not after it.
  for (const auto& [file, option] :
       {std::pair{&baseline, "--baseline"}, std::pair{&suppressions, "--suppressions"},
        std::pair{&db, "--db"}}) {
    std::error_code ec;
    if (file->empty() || std::filesystem::exists(*file, ec)) continue;
    // A link that leads nowhere is missing; one that loops cannot be read.
    if (ec.value() == ELOOP) {
      std::cerr << *file << ":1:1: error: cannot read: " << ec.message() << " (given with "
                << option << ")\n";
      return util::kExitDataError;
    }
    std::cerr << *file << ": error: no such file (given with " << option << ")\n";
    return util::kExitNoInput;
  }
  // The file first, so that --param wins over it.
  std::vector<engine::GivenParameter> given;
  if (!params_file.empty()) {
    diag::Diagnostics file_diagnostics;
    const engine::Outcome read = engine::read_parameter_file(params_file, given, file_diagnostics);
    print_diagnostics(file_diagnostics, global);
    if (read != engine::Outcome::kOk) return exit_code(read);
  }
  if (!parse_rule_parameters(params, given)) return util::kExitUsage;
  diag::Diagnostics diagnostics;
  const bool bound = catalogue.bind_parameters(given, diagnostics);
  print_diagnostics(diagnostics, global);
  if (!bound) {
    // A --params file that does not fit the rules is bad input; a --param, bad usage.
    const auto& all = diagnostics.all();
    const bool in_file = std::any_of(
        all.begin(), all.end(), [](const diag::Diagnostic& d) { return !d.where.file.empty(); });
    return in_file ? util::kExitDataError : util::kExitUsage;
  }
  out.jobs = jobs != 0 ? jobs : std::max(1U, std::thread::hardware_concurrency());
  out.limits.max_expansions = max_expansions;
  out.limits.deadline = std::chrono::milliseconds(timeout_ms);
  return 0;
}

engine::RegistrySpec ReportOptions::registry_spec(const RegistryOptions& registry) const {
  engine::RegistrySpec out = registry.spec();
  if (!home_country.empty()) out.home_country = *rules::normalise_country_code(home_country);
  return out;
}

int ReportOptions::write(report::ReportContext& context, const GlobalOptions& global) const {
  // The report is rendered on as many threads as the rules ran on, but no more than the
  // machine has cores: each holds a piece of the report in memory.
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  context.jobs = jobs != 0 ? std::min(jobs, cores) : cores;
  if (const int status = review(context, global); status >= 0) return status;
  return emit(context, global);
}

int ReportOptions::review(report::ReportContext& context, const GlobalOptions& global) const {
  diag::Diagnostics diagnostics;
  model::Date judged_on;
  (void)parse_as_of(as_of, judged_on);
  if (!baseline.empty()) {
    if (const auto read = report::apply_baseline(baseline, context, diagnostics);
        read != report::ReviewFileStatus::kOk) {
      print_diagnostics(diagnostics, global);
      return read == report::ReviewFileStatus::kMissing ? util::kExitNoInput : util::kExitDataError;
    }
  }
  if (!suppressions.empty()) {
    if (const auto read = report::apply_suppressions(suppressions, judged_on, context, diagnostics,
                                                     warn_unmatched_suppressions);
        read != report::ReviewFileStatus::kOk) {
      print_diagnostics(diagnostics, global);
      return read == report::ReviewFileStatus::kMissing ? util::kExitNoInput : util::kExitDataError;
    }
  }
  if (!db.empty()) {
    int status = 0;
    const auto store = open_desk(db, DeskOpen::kExisting, status);
    if (!store) {
      print_diagnostics(diagnostics, global);
      return status;
    }
    report::apply_suppression_list(desk_suppressions(*store, db), judged_on, context, diagnostics,
                                   warn_unmatched_suppressions);
  }
  print_diagnostics(diagnostics, global);
  return -1;
}

int ReportOptions::emit(const report::ReportContext& context, const GlobalOptions& global) const {
  if (output.empty() || output == "-") {
    report::write_report(context, format, std::cout);
    std::cout.flush();
  } else {
    // Written as it is rendered: a national scan's report is hundreds of megabytes.
    util::AtomicFileWriter file;
    std::string error;
    bool written = file.open(output, error);
    if (written) {
      util::AtomicFileStreambuf buffer(file);
      std::ostream out(&buffer);
      report::write_report(context, format, out);
      out.flush();
      error = buffer.error();
      written = error.empty() && file.commit(error);
    }
    if (!written) {
      std::cerr << "twinscan: error: " << output << ": cannot write the report: " << error << '\n';
      return util::kExitCantCreate;
    }
    if (global.verbosity >= 0) std::cerr << "twinscan: report written to " << output << '\n';
  }
  return -1;
}

std::function<void(std::size_t, std::size_t)> terminal_progress(const GlobalOptions& global,
                                                                const char* what) {
  if (global.verbosity < 0 || !::isatty(STDERR_FILENO)) return {};
  return [what](std::size_t done, std::size_t total) {
    std::cerr << "\r" << what << ' ' << done << '/' << total << (done == total ? "   \r" : "   ")
              << std::flush;
    if (done == total) std::cerr << std::string(40, ' ') << '\r' << std::flush;
  };
}

}  // namespace twinscan::cli
