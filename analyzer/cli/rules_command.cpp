#include "analyzer/cli/command.h"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/cli/arguments.h"
#include "analyzer/cli/date_option.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/engine/catalogue.h"
#include "analyzer/engine/rule_parameters.h"
#include "analyzer/io/schema_reader.h"
#include "analyzer/rules/dialect/neo4j_translator.h"
#include "analyzer/rules/home_country.h"
#include "analyzer/rules/rule_doc.h"
#include "analyzer/rules/rule_reader.h"
#include "analyzer/rules/rule_scaffold.h"
#include "analyzer/rules/rule_tester.h"
#include "analyzer/rules/shared_params.h"
#include "analyzer/util/atomic_file.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/nearest_name.h"

namespace twinscan::cli {
namespace {

/// `twinscan rules list|show|test|doc|new|export`: the rule catalogue.
class RulesCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* test_ = nullptr;
  CLI::App* doc_ = nullptr;
  CLI::App* new_ = nullptr;
  CLI::App* export_ = nullptr;
  std::string dialect_;
  std::vector<std::string> schema_;
  std::vector<std::string> params_;
  std::string params_file_;
  std::string home_country_;
  std::string as_of_;
  rules::ScaffoldRequest scaffold_;
  std::vector<std::string> rules_;
  std::vector<std::string> ids_;
  std::string docs_dir_;
  bool update_ = false;
  std::string output_;
  std::uint64_t timeout_ms_ = kDefaultRuleTimeoutMs;
  std::uint64_t max_expansions_ = kDefaultRuleExpansions;
};

// `rules new`: the rule folder and doc page to fill in, and what to do next.
int scaffold(rules::ScaffoldRequest request, const std::vector<std::string>& rules_dirs,
             const std::string& docs_dir) {
  if (rules_dirs.size() > 1) {
    std::cerr << "twinscan: error: rules new: give one --rules folder to create the rule in\n";
    return util::kExitUsage;
  }
  request.rules_dir = rules_dirs.empty() ? rules::default_rules_dir() : rules_dirs.front();
  // The doc pages live in docs/rules beside the rules folder, as in the source tree.
  request.docs_dir =
      !docs_dir.empty()
          ? docs_dir
          : (std::filesystem::absolute(request.rules_dir).lexically_normal().parent_path() /
             "docs" / "rules")
                .string();
  std::vector<std::string> written;
  std::string error;
  switch (rules::scaffold_rule(request, written, error)) {
    case rules::ScaffoldStatus::kWritten:
      break;
    case rules::ScaffoldStatus::kInvalid:
      std::cerr << "twinscan: error: rules new: " << error << '\n';
      return util::kExitUsage;
    case rules::ScaffoldStatus::kCannotWrite:
      std::cerr << "twinscan: error: rules new: " << error << '\n';
      return util::kExitCantCreate;
  }
  for (const auto& path : written) std::cout << "created " << path << '\n';
  const std::string rules = "twinscan rules --rules " + request.rules_dir;
  std::cout << "\nNext: in rule.json write the title, rationale, references, match and message;\n"
               "make bad.json the case the rule must find and good.json near misses it must\n"
               "not report; list bad.json's expected findings under \"tests\". Then:\n"
            << "  " << rules << " test --update " << request.id << "   (review bad.out)\n"
            << "  " << rules << " doc --output " << request.docs_dir << '\n'
            << "  " << rules << " test --docs " << request.docs_dir << ' ' << request.id << '\n';
  return util::kExitOk;
}

// `rules export`: the chosen rules in another engine's query language.
int export_rules(const std::vector<rules::Rule>& chosen, const std::string& dialect,
                 const std::vector<std::string>& schema_files,
                 const rules::dialect::Neo4jSettings& settings, const std::string& output,
                 const GlobalOptions& global) {
  const auto& dialects = rules::dialect::export_dialects();
  if (std::find(dialects.begin(), dialects.end(), dialect) == dialects.end()) {
    std::string known;
    for (const auto& d : dialects) known += (known.empty() ? "" : ", ") + d;
    const std::string nearest = util::did_you_mean(dialect, dialects);
    std::cerr << "twinscan: error: --dialect: unknown dialect '" << dialect << "'"
              << (nearest.empty() ? "; the dialects are " + known : nearest) << '\n';
    return util::kExitUsage;
  }
  diag::Diagnostics diagnostics;
  bool missing = false;
  const auto schema = io::load_schema(schema_files, diagnostics, missing);
  print_diagnostics(diagnostics, global);
  if (!schema) return missing ? util::kExitNoInput : util::kExitDataError;
  std::string error;
  if (!util::write_file_atomically(
          output, rules::dialect::neo4j_catalogue(chosen, *schema, settings), error)) {
    std::cerr << "twinscan: error: " << output << ": " << error << '\n';
    return util::kExitCantCreate;
  }
  if (global.verbosity >= 0 && output != "-") {
    std::size_t translated = 0;
    for (const auto& r : chosen)
      translated += rules::dialect::translate_rule_neo4j(r, *schema, settings).translated ? 1 : 0;
    std::cerr << "wrote " << translated << " of " << chosen.size() << " rules to " << output << " ("
              << dialect << "); the others are listed there as not translatable\n";
  }
  return util::kExitOk;
}

}  // namespace

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
  new_ = app.add_subcommand(
      "new", "Create a rule folder to fill in: rule, bad and good fixtures, golden output, doc");
  new_->add_option("id", scaffold_.id, "The new rule's id: lower-case words joined by hyphens")
      ->required();
  new_->add_option("--category", scaffold_.category, "The rule's category")
      ->check(CLI::IsMember(rules::rule_schema_values("category")))
      ->capture_default_str();
  new_->add_option("--severity", scaffold_.severity, "How bad a finding is if true")
      ->check(CLI::IsMember(rules::rule_schema_values("severity")))
      ->capture_default_str();
  new_->add_option("--rules", rules_,
                   "Folder to create the rule folder in (default: the bundled rules/)");
  new_->add_option("--docs", docs_dir_,
                   "Folder of the doc pages (default: docs/rules beside the rules folder)");
  export_ = app.add_subcommand(
      "export",
      "Translate the rules into another engine's query language: neo4j (Cypher for a "
      "registry loaded with twinscan export --format neo4j; see docs/scale-out.md)");
  export_->add_option("ids", ids_, "Only these rules");
  export_->add_option("--dialect", dialect_, "The query language: neo4j")->required();
  export_->add_option("--output,-o", output_, "The file to write (- for standard output)")
      ->required();
  export_->add_option("--schema", schema_,
                      "Schema extensions: which added properties are dates, lists, locations");
  export_
      ->add_option("--param,-p", params_,
                   "A rule parameter for the statements' :param lines: NAME=VALUE, or "
                   "RULE-ID.NAME=VALUE for one rule (default: the rules' defaults)")
      ->allow_extra_args(false);
  export_->add_option("--params", params_file_,
                      "A JSON file of rule parameters: {\"NAME\": value, \"RULE-ID.NAME\": "
                      "value}; --param wins over it");
  export_->add_option("--home-country", home_country_,
                      "ISO 3166-1 alpha-2 code of the overseeing country (default: the one "
                      "country of the municipalities in the Neo4j database)");
  export_
      ->add_option("--as-of", as_of_,
                   "The date deadlines are judged against (default: the day the statements "
                   "run)")
      ->check(given_date());
}

int RulesCommand::run(const GlobalOptions& global) {
  if (new_->parsed()) return scaffold(scaffold_, rules_, docs_dir_);
  diag::Diagnostics diagnostics;
  engine::Outcome failure = engine::Outcome::kOk;
  auto catalogue = engine::Catalogue::load({rules_, false}, diagnostics, &failure);
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
  if (export_->parsed()) {
    rules::dialect::Neo4jSettings settings;
    if (!as_of_.empty()) {
      model::Date day;
      if (!parse_as_of(as_of_, day)) return util::kExitUsage;
      settings.as_of = day.to_string();
    }
    std::vector<engine::GivenParameter> given;
    if (!params_file_.empty()) {
      diag::Diagnostics file_diagnostics;
      const engine::Outcome read =
          engine::read_parameter_file(params_file_, given, file_diagnostics);
      print_diagnostics(file_diagnostics, global);
      if (read != engine::Outcome::kOk) return exit_code(read);
    }
    if (!parse_rule_parameters(params_, given)) return util::kExitUsage;
    if (!home_country_.empty()) {
      if (!rules::normalise_country_code(home_country_)) {
        std::cerr << "twinscan: error: --home-country " << home_country_
                  << ": expected the ISO 3166-1 code of a country, such as FR, IL or POL\n";
        return util::kExitUsage;
      }
      given.push_back({std::string(rules::kHomeCountryParam),
                       query::Value::of_string(home_country_), home_country_, ""});
    }
    diag::Diagnostics bind_diagnostics;
    const bool bound = catalogue->bind_parameters(given, bind_diagnostics);
    print_diagnostics(bind_diagnostics, global);
    if (!bound) return util::kExitUsage;
    settings.parameters = catalogue->parameters();
    return export_rules(chosen, dialect_, schema_, settings, output_, global);
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

std::unique_ptr<Command> make_rules_command() {
  return std::make_unique<RulesCommand>();
}

}  // namespace twinscan::cli
