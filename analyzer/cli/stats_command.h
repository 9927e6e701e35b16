#pragma once

#include <string>

#include "analyzer/cli/command.h"
#include "analyzer/cli/registry_options.h"

namespace twinscan::cli {

/// `twinscan stats`: counts of entities by kind and relations by kind, and memory.
class StatsCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  std::string format_ = "text";
};

}  // namespace twinscan::cli
