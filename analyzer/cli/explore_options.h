#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/cli/command.h"
#include "analyzer/cli/report_options.h"

namespace twinscan::cli {

/// The options path, neighbours and metrics share: --relations, --output and (for those
/// that search) --timeout.
struct ExploreOptions {
  std::vector<std::string> relations;
  std::string output = "-";
  std::uint64_t timeout_ms = kDefaultExploreTimeoutMs;

  void add_relations(CLI::App& app);
  void add_output(CLI::App& app);
  void add_timeout(CLI::App& app, const std::string& what);
  /// When the work must stop (none with --timeout 0), counted from now.
  [[nodiscard]] std::optional<std::chrono::steady_clock::time_point> deadline() const;
  /// Writes `text` to --output (atomically; "-" is standard output); on failure prints why
  /// and returns 73, else 0.
  [[nodiscard]] int write(const std::string& text, const char* what) const;
};

}  // namespace twinscan::cli
