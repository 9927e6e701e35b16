#include "analyzer/cli/explore_options.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "analyzer/util/atomic_file.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {

void ExploreOptions::add_relations(CLI::App& app) {
  app.add_option("--relations", relations,
                 "Follow only relations of these kinds, comma-separated (default: every kind)")
      ->delimiter(',')
      ->type_name("KINDS");
}

void ExploreOptions::add_output(CLI::App& app) {
  app.add_option("--output,-o", output,
                 "Write the result to this file (replaced atomically; '-': standard output)")
      ->default_val("-");
}

void ExploreOptions::add_timeout(CLI::App& app, const std::string& what) {
  app.add_option("--timeout", timeout_ms,
                 "Stop " + what + " after this many milliseconds (0: never; default: " +
                     std::to_string(kDefaultExploreTimeoutMs) + ", ten minutes)");
}

std::optional<std::chrono::steady_clock::time_point> ExploreOptions::deadline() const {
  if (timeout_ms == 0) return std::nullopt;
  return std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
}

int ExploreOptions::write(const std::string& text, const char* what) const {
  if (output == "-") {
    std::cout << text;
    std::cout.flush();
    return util::kExitOk;
  }
  std::string error;
  if (!util::write_file_atomically(output, text, error)) {
    std::cerr << "twinscan: error: " << util::escape_for_terminal(output) << ": cannot write "
              << what << ": " << error << '\n';
    return util::kExitCantCreate;
  }
  return util::kExitOk;
}

}  // namespace twinscan::cli
