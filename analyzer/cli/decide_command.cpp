#include "analyzer/cli/command.h"

#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "analyzer/cli/desk_options.h"
#include "analyzer/desk/validation.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {
namespace {

/// `twinscan decide`: records a reviewer's decision on a finding in the desk database, as
/// the desk's finding page does; for scripts and batch triage.
class DecideCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  desk::Decision decision_;
  std::string db_;
};

}  // namespace

void DecideCommand::configure(CLI::App& app) {
  app.add_option("--db", db_, "The desk database")->required();
  app.add_option("FINGERPRINT", decision_.fingerprint,
                 "The finding's fingerprint (as the reports print it)")
      ->required();
  app.add_option("DECISION", decision_.decision, "confirmed, dismissed or suppressed")
      ->required()
      ->check(CLI::IsMember({"confirmed", "dismissed", "suppressed"}));
  app.add_option("--by", decision_.by, "The desk user deciding (a reviewer or an admin)")
      ->required();
  app.add_option("--justification", decision_.justification,
                 "Why: required to dismiss (the reason) and to suppress");
  app.add_option("--expires", decision_.expires,
                 "Until when a suppression holds (YYYY-MM-DD); required to suppress");
  app.footer(
      "The decision is recorded in the desk's history of the finding and in its audit trail "
      "under the --by user; `scan --db` honours the suppressions. The latest decision on a "
      "fingerprint is its status.");
}

int DecideCommand::run(const GlobalOptions& global) {
  if (const std::string wrong = desk::check_decision(decision_); !wrong.empty()) {
    std::cerr << "twinscan: error: decide: " << util::escape_for_terminal(wrong) << '\n';
    return util::kExitUsage;
  }
  int status = 0;
  const auto store = open_desk(db_, DeskOpen::kExisting, status);
  if (!store) return status;
  std::string error;
  if (!store->record_decision(decision_, error)) {
    std::cerr << "twinscan: error: decide: " << util::escape_for_terminal(error) << '\n';
    return util::kExitDataError;
  }
  if (global.verbosity >= 0) {
    std::cout << "recorded: " << util::escape_for_terminal(decision_.fingerprint) << ' '
              << decision_.decision << " by " << util::escape_for_terminal(decision_.by);
    if (!decision_.expires.empty()) std::cout << " until " << decision_.expires;
    std::cout << '\n';
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_decide_command() {
  return std::make_unique<DecideCommand>();
}

}  // namespace twinscan::cli
