#pragma once

#include <string>
#include <vector>

#include "analyzer/cli/command.h"
#include "analyzer/cli/report_options.h"

namespace twinscan::cli {

/// `twinscan rules list|show|test|doc`: the rule catalogue.
class RulesCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* test_ = nullptr;
  CLI::App* doc_ = nullptr;
  std::vector<std::string> rules_;
  std::vector<std::string> ids_;
  std::string docs_dir_;
  bool update_ = false;
  std::string output_;
  std::uint64_t timeout_ms_ = kDefaultRuleTimeoutMs;
  std::uint64_t max_expansions_ = kDefaultRuleExpansions;
};

}  // namespace twinscan::cli
