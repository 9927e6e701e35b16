#pragma once

#include <string>
#include <vector>

#include "analyzer/cli/command.h"

namespace twinscan::cli {

/// `twinscan validate PATH…`: checks documents against the schema and each other.
class ValidateCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::vector<std::string> paths_;
  std::vector<std::string> schema_;
};

}  // namespace twinscan::cli
