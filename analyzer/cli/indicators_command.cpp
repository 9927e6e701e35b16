#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "analyzer/cli/command.h"
#include "analyzer/cli/date_option.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/followup/indicator_writers.h"
#include "analyzer/followup/indicators.h"
#include "analyzer/util/atomic_file.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan indicators`: counts of ties, agreements, projects and notification
/// compliance, for the follow-up of how they develop.
class IndicatorsCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  ReportOptions report_;  // --rules, --param(s), --as-of, --home-country
  std::vector<std::string> by_;
};

void IndicatorsCommand::configure(CLI::App& app) {
  registry_.add_to(app);
  add_list_option(app, "--rules", report_.rules, report_.rules_runs,
                  "Rule folders or files (default: the bundled rules/); notification "
                  "compliance is what their notification rules find");
  app.add_option("--param,-p", report_.params,
                 "Override a rule parameter: NAME=VALUE, or RULE-ID.NAME=VALUE for one rule "
                 "(e.g. notify_within_days=45; repeat for several)")
      ->allow_extra_args(false);
  app.add_option("--params", report_.params_file,
                 "A JSON file of rule parameters: {\"NAME\": value, \"RULE-ID.NAME\": value}; "
                 "--param wins over it");
  app.add_option("--as-of", report_.as_of,
                 "The date notification deadlines and terms are judged against (default: "
                 "today)")
      ->check(given_date());
  app.add_option("--home-country", report_.home_country,
                 "ISO 3166-1 alpha-2 code of the overseeing country, which decides what is "
                 "foreign (default: the one country of the registry's municipalities)");
  app.add_option("--by", by_,
                 "Group the counts by " + followup::dimension_names() +
                     " (comma-separated or repeated for several; default: totals)")
      ->delimiter(',');
  app.add_option("--format", report_.format, "Output format: text, json, csv or html (charts)")
      ->check(CLI::IsMember({"text", "json", "csv", "html"}))
      ->default_val("text");
  app.add_option("--output,-o", report_.output,
                 "Write to this file (written atomically; '-' or none: standard output)");
  app.footer(
      "Counts, as of --as-of: twin-city ties (each tie once, however many sources state it "
      "and in whichever direction); agreements by type and status; projects by sector and "
      "status; notification compliance of the agreements municipalities signed with foreign "
      "parties (within-period, late, never, not-yet-due, cannot-judge); agreements past "
      "their term (valid_until) and still in force; notifications coming due. Compliance, "
      "terms and due notifications are what the rules agreement-notified-late, "
      "agreement-not-notified, agreement-without-signing-date, agreement-past-term and "
      "agreement-notification-coming-due of the loaded catalogue find, with the same "
      "parameters (--param notify_within_days=45 changes both). --by groups every count "
      "the dimension applies to (type applies to agreements; sector to projects and to "
      "agreements through the projects they concern); an item with two values (an "
      "agreement of two municipalities) counts once in each. JSON: {\"as_of\", \"by\", "
      "\"home_country\", \"indicators\": [{\"name\", \"group\", \"value\"}], "
      "\"agreements_per_year\", \"notes\"}. HTML: a page with a bar chart per group and a "
      "line of agreements per year. See docs/follow-up.md.\n\nExit status: 0 written, 64 "
      "wrong usage, 65 malformed input, 66 a missing file, 73 --output cannot be written.");
}

int IndicatorsCommand::run(const GlobalOptions& global) {
  std::vector<followup::Dimension> by;
  for (const auto& text : by_) {
    const auto d = followup::parse_dimension(text);
    if (!d) {
      std::cerr << "twinscan: error: --by " << text << ": expected one of "
                << followup::dimension_names() << '\n';
      return util::kExitUsage;
    }
    if (std::find(by.begin(), by.end(), *d) == by.end()) by.push_back(*d);
  }
  std::optional<engine::Catalogue> catalogue;
  if (const int status = report_.load_catalogue(global, catalogue)) return status;
  engine::RunOptions options;
  if (const int status = report_.run_options(*catalogue, options, global)) return status;
  int status = 0;
  const auto registry = open_registry(report_.registry_spec(registry_), global, status);
  if (!registry) return status;
  diag::Diagnostics diagnostics;
  followup::Indicators indicators;
  const bool ok =
      followup::compute_indicators(*registry, *catalogue, options, by, indicators, diagnostics);
  print_diagnostics(diagnostics, global);
  if (!ok) return util::kExitDataError;
  const std::string text =
      followup::render_indicators(registry->graph(), indicators, report_.format);
  const std::string& output = report_.output;
  if (output.empty() || output == "-") {
    std::cout << text;
    std::cout.flush();
    return util::kExitOk;
  }
  std::string error;
  if (!util::write_file_atomically(output, text, error)) {
    std::cerr << "twinscan: error: " << output << ": cannot write the indicators: " << error
              << '\n';
    return util::kExitCantCreate;
  }
  if (global.verbosity >= 0) std::cerr << "twinscan: indicators written to " << output << '\n';
  return util::kExitOk;
}

}  // namespace

std::unique_ptr<Command> make_indicators_command() {
  return std::make_unique<IndicatorsCommand>();
}

}  // namespace twinscan::cli
