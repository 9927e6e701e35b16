#pragma once

#include <string>

#include "analyzer/cli/command.h"

namespace twinscan::cli {

/// `twinscan judge`: records one judgement of identity in a judgements file.
class JudgeCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  std::string file_;
  std::string a_;
  std::string b_;
  std::string verdict_;
  std::string by_;
  std::string note_;
  std::string on_;
};

}  // namespace twinscan::cli
