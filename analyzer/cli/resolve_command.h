#pragma once

#include <cstddef>
#include <string>

#include "analyzer/cli/command.h"
#include "analyzer/cli/registry_options.h"

namespace twinscan::cli {

/// `twinscan resolve`: candidate pairs of entities that may be one, with the evidence.
class ResolveCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  std::string judgements_;
  double min_score_ = 0.6;
  std::size_t limit_ = 0;
  std::string format_ = "text";
};

}  // namespace twinscan::cli
