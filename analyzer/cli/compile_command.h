#pragma once

#include <string>
#include <vector>

#include "analyzer/cli/command.h"

namespace twinscan::cli {

/// `twinscan compile REGISTRY… -o FILE`: the loaded, validated registry as a snapshot
/// that later commands open with --registry FILE in a fraction of the JSON load time.
class CompileCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::vector<std::string> paths_;
  std::vector<std::string> schema_;
  std::string output_;
};

}  // namespace twinscan::cli
