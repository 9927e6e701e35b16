#pragma once

#include <string>

#include "analyzer/cli/command.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"

namespace twinscan::cli {

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

}  // namespace twinscan::cli
