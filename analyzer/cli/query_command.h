#pragma once

#include <string>
#include <vector>

#include "analyzer/cli/command.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/query/compiled_query.h"

namespace twinscan::cli {

/// `twinscan query 'MATCH … RETURN …'`: runs one query over a registry.
class QueryCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  std::string text_;
  std::string file_;
  std::string format_ = "table";
  std::vector<std::string> params_;
  std::string as_of_;
  bool explain_ = false;
  bool functions_ = false;
  std::uint64_t max_expansions_ = 2'000'000'000;
  std::uint64_t timeout_ms_ = 0;
  std::uint32_t max_hops_ = 8;
};

}  // namespace twinscan::cli
