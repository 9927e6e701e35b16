#pragma once

#include <cstdint>
#include <string>

#include "analyzer/cli/command.h"

namespace twinscan::cli {

/// `twinscan generate`: writes a synthetic registry of a given size and seed, for
/// benchmarks and tests at scale (see docs/generator.md).
class GenerateCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::uint64_t seed_ = 1;
  std::uint64_t entities_ = 10'000;
  std::uint32_t documents_ = 0;
  std::string output_;
  bool force_ = false;
};

}  // namespace twinscan::cli
