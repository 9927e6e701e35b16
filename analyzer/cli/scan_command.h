#pragma once

#include "analyzer/cli/command.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"

namespace twinscan::cli {

/// `twinscan scan`: every rule over the whole registry.
class ScanCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  ReportOptions report_;
};

}  // namespace twinscan::cli
