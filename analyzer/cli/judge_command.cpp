#include <string>
#include "analyzer/cli/command.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/identity/identity_clusters.h"
#include "analyzer/identity/judgements.h"
#include "analyzer/model/date.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/output_target.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {
namespace {

/// `twinscan judge`: records one judgement of identity in a judgements file.
class JudgeCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::string file_;
  std::string a_;
  std::string b_;
  std::string verdict_;
  std::string by_;
  std::string note_;
  std::string on_;
};

}  // namespace

void JudgeCommand::configure(CLI::App& app) {
  app.add_option("--judgements,-j", file_, "The judgements file to append to (created if missing)")
      ->required();
  app.add_option("A", a_, "The first id")->required();
  app.add_option("B", b_, "The second id")->required();
  app.add_option("JUDGEMENT", verdict_, "same or different")
      ->required()
      ->check(CLI::IsMember({"same", "different"}));
  app.add_option("--by", by_, "Who makes the judgement (a person or a team)")->required();
  app.add_option("--note", note_, "Why: the reasons, a reference");
  app.add_option("--on", on_, "The date of the judgement (default: today)");
  app.footer(
      "Judgements are data kept apart from the sources: a chain of 'same' makes one "
      "entity of its ids (--judgements on the commands that read a registry); a "
      "judgement that contradicts the file's is refused (exit 65) with the chain.");
}

int JudgeCommand::run(const GlobalOptions& global) {
  // The judgements file refuses an empty id: writing one would leave a file that no
  // later command (judge included) reads.
  if (a_.empty() || b_.empty()) {
    std::cerr << "twinscan: error: a judgement names two entities by id; an id is not empty\n";
    return util::kExitUsage;
  }
  if (a_ == b_) {
    std::cerr << "twinscan: error: a judgement needs two different ids, not '"
              << util::escape_for_terminal(a_) << "' twice\n";
    return util::kExitUsage;
  }
  if (by_.empty()) {
    std::cerr << "twinscan: error: --by must name who makes the judgement\n";
    return util::kExitUsage;
  }
  identity::Judgement j;
  j.a = a_;
  j.b = b_;
  j.verdict = verdict_ == "same" ? identity::Verdict::kSame : identity::Verdict::kDifferent;
  j.by = by_;
  j.note = note_;
  if (on_.empty()) {
    j.on = model::today_utc().to_string();
  } else if (!model::parse_date(on_)) {
    std::cerr << "twinscan: error: --on takes an ISO 8601 date such as 2024-05-01, not '"
              << util::escape_for_terminal(on_) << "'\n";
    return util::kExitUsage;
  } else {
    j.on = on_;
  }

  diag::Diagnostics diagnostics;
  std::vector<identity::Judgement> judgements;
  const auto status = identity::read_judgements(file_, judgements, diagnostics);
  if (status == identity::JudgementsStatus::kInvalid) {
    print_diagnostics(diagnostics, global);
    return util::kExitDataError;
  }
  diagnostics.clear();  // a missing file is started afresh
  // Judged without a registry, the canonical ids do not matter here, only the chains.
  const auto clusters = identity::IdentityClusters::build(judgements, {}, diagnostics);
  if (diagnostics.has_errors()) {
    print_diagnostics(diagnostics, global);
    return util::kExitDataError;
  }
  if (const auto chain = clusters.contradiction(j)) {
    std::cerr << "twinscan: error: " << util::escape_for_terminal(file_)
              << ": the judgement contradicts the file's: " << util::escape_for_terminal(*chain)
              << "\n(correct the file's judgements first if one of them is wrong)\n";
    return util::kExitDataError;
  }
  judgements.push_back(j);
  std::string error;
  // The judgements file is this command's input and its output: it is read, added to
  // and written back whole.
  util::release_input(file_);
  if (!identity::write_judgements(file_, judgements, error)) {
    std::cerr << "twinscan: error: " << util::escape_for_terminal(file_)
              << ": cannot write the judgements: " << error << '\n';
    return util::kExitCantCreate;
  }
  if (global.verbosity >= 0) {
    std::cout << "recorded in " << util::escape_for_terminal(file_) << ": "
              << util::escape_for_terminal(j.describe()) << '\n';
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_judge_command() {
  return std::make_unique<JudgeCommand>();
}

}  // namespace twinscan::cli
