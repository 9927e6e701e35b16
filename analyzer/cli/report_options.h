#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/cli/command.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/engine/catalogue.h"
#include "analyzer/engine/registry.h"
#include "analyzer/engine/run_options.h"
#include "analyzer/report/report_context.h"

namespace twinscan::cli {

/// Per-rule budget of scan and screen: a rule that runs longer, or walks more relations,
/// is stopped.
inline constexpr std::uint64_t kDefaultRuleTimeoutMs = 60'000;
inline constexpr std::uint64_t kDefaultRuleExpansions = 2'000'000'000;
/// The deadline of a researcher's query, search or measure when none is given: long enough
/// for any sensible question of a national registry, short enough that a pattern that
/// explodes stops with a message rather than running on for hours (--timeout 0 lifts it).
inline constexpr std::uint64_t kDefaultExploreTimeoutMs = 600'000;

/// Declares `--timeout` (milliseconds) and `--max-expansions`, the budget of every command
/// that evaluates queries, with `what` saying what the budget applies to ("per rule").
void add_budget_options(CLI::App& app, std::uint64_t& timeout_ms, std::uint64_t& max_expansions,
                        const std::string& what);

/// The options scan and screen share: rules, parameters, date, report and exit policy.
struct ReportOptions {
  std::vector<std::string> rules;
  std::vector<std::string> params;
  std::string params_file;
  std::string as_of;
  std::string format = "text";
  std::string output;
  std::string baseline;
  std::string suppressions;
  std::string db;  ///< scan --db: the desk database whose suppressions apply
  std::string fail_on = "high";
  std::string home_country;
  unsigned jobs = 0;  // 0: one per core
  /// Warn of suppressions that match no finding (scan); a screening sees only the
  /// findings of its request, so the rest of a shared suppression file matches nothing.
  bool warn_unmatched_suppressions = true;
  std::uint64_t max_expansions = kDefaultRuleExpansions;
  std::uint64_t timeout_ms = kDefaultRuleTimeoutMs;
  std::vector<OptionRun> rules_runs;

  void add_to(CLI::App& app, bool with_baseline);
  /// Declares `--db FILE`: the reviewer's desk database, whose current suppressions are
  /// honoured like those of --suppressions.
  void add_desk_option(CLI::App& app);
  /// Loads the rules of --rules; prints problems. Returns the exit status to stop with,
  /// or 0.
  int load_catalogue(const GlobalOptions& global, std::optional<engine::Catalogue>& out) const;
  /// Checks the flags (date, home country, review files) and binds the rule parameters
  /// of --params and --param to `catalogue`; fills `out`. Returns the exit status of a
  /// problem (printed), or 0.
  int run_options(engine::Catalogue& catalogue, engine::RunOptions& out,
                  const GlobalOptions& global) const;
  /// The registry to open: `registry` with --home-country.
  [[nodiscard]] engine::RegistrySpec registry_spec(const RegistryOptions& registry) const;
  /// review() then emit(): the exit status, or -1 when nothing failed yet.
  int write(report::ReportContext& context, const GlobalOptions& global) const;
  /// Applies the baseline and the suppressions to the findings (suppressed ones move
  /// aside); returns the exit status of a failure, or -1.
  int review(report::ReportContext& context, const GlobalOptions& global) const;
  /// Writes the report (to --output atomically, or to stdout); returns the exit status
  /// of a failure, or -1.
  int emit(const report::ReportContext& context, const GlobalOptions& global) const;
};

/// A progress line on stderr while `twinscan` runs on a terminal; silent when piped.
std::function<void(std::size_t, std::size_t)> terminal_progress(const GlobalOptions& global,
                                                                const char* what);

}  // namespace twinscan::cli
