#include "analyzer/cli/rules_command.h"

#include <filesystem>
#include <iomanip>
#include <iostream>

#include <CLI/CLI.hpp>

#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/engine/catalogue.h"
#include "analyzer/rules/rule_doc.h"
#include "analyzer/rules/rule_tester.h"
#include "analyzer/util/atomic_file.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {

void RulesCommand::configure(CLI::App& app) {
  app.require_subcommand(1);
  app.add_option("--rules", rules_, "Rule folders or files (default: the bundled rules/)");
  list_ = app.add_subcommand("list", "One line per rule: id, severity, category, title");
  show_ = app.add_subcommand("show", "Everything about one rule");
  show_->add_option("id", ids_, "Rule id")->required();
  test_ = app.add_subcommand("test", "Run every rule's good and bad fixtures");
  test_->add_option("ids", ids_, "Only these rules");
  test_->add_option("--docs", docs_dir_, "Also check that DIR/<id>.md is up to date");
  test_->add_flag("--update", update_,
                  "Write each bad fixture's golden output (bad.out beside bad.json) from what "
                  "the rule finds now, after reviewing the change");
  add_budget_options(*test_, timeout_ms_, max_expansions_, "a rule on a fixture");
  doc_ = app.add_subcommand("doc", "Write each rule's documentation page");
  doc_->add_option("--output,-o", output_, "Folder for the pages")->required();
}

int RulesCommand::run(const GlobalOptions& global) {
  diag::Diagnostics diagnostics;
  engine::Outcome failure = engine::Outcome::kOk;
  const auto catalogue = engine::Catalogue::load({rules_, false}, diagnostics, &failure);
  print_diagnostics(diagnostics, global);
  if (!catalogue) return exit_code(failure);
  const std::vector<rules::Rule>& all = catalogue->rules();
  std::vector<rules::Rule> chosen;
  for (const auto& r : all) {
    if (ids_.empty() || std::find(ids_.begin(), ids_.end(), r.id) != ids_.end())
      chosen.push_back(r);
  }
  for (const auto& id : ids_) {
    if (std::none_of(all.begin(), all.end(), [&](const rules::Rule& r) { return r.id == id; })) {
      std::cerr << "twinscan: error: no rule '" << id << "'\n";
      return util::kExitUsage;
    }
  }
  if (list_->parsed()) {
    std::size_t width = 0;
    for (const auto& r : chosen) width = std::max(width, r.id.size());
    for (const auto& r : chosen) {
      std::cout << std::left << std::setw(static_cast<int>(width + 2)) << r.id << std::setw(10)
                << rules::to_string(r.severity) << std::setw(26) << r.category << r.title << '\n';
    }
    return util::kExitOk;
  }
  if (show_->parsed()) {
    for (const auto& r : chosen) std::cout << rules::rule_doc_markdown(r);
    return util::kExitOk;
  }
  if (test_->parsed()) {
    rules::TestOptions test_options;
    test_options.docs_dir = docs_dir_;
    test_options.update = update_;
    test_options.limits.max_expansions = max_expansions_;
    test_options.limits.deadline = std::chrono::milliseconds(timeout_ms_);
    const auto report = rules::test_rules(chosen, test_options, std::cout);
    return report.failed == 0 ? util::kExitOk : util::kExitFindings;
  }
  std::filesystem::create_directories(output_);
  for (const auto& r : chosen) {
    std::string error;
    const std::string path = output_ + "/" + r.id + ".md";
    if (!util::write_file_atomically(path, rules::rule_doc_markdown(r), error)) {
      std::cerr << "twinscan: error: " << path << ": " << error << '\n';
      return util::kExitCantCreate;
    }
  }
  if (global.verbosity >= 0)
    std::cerr << "wrote " << chosen.size() << " pages to " << output_ << '\n';
  return util::kExitOk;
}

}  // namespace twinscan::cli
