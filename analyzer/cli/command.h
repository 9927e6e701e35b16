#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace twinscan::cli {

/// Options every command shares.
struct GlobalOptions {
  int verbosity = 0;  ///< -1 quiet, 0 normal, 1+ verbose.
};

/// One subcommand: declares its options on a CLI11 sub-app, then runs.
class Command {
 public:
  virtual ~Command() = default;
  virtual void configure(CLI::App& app) = 0;
  /// Runs the command; returns the process exit status.
  virtual int run(const GlobalOptions& global) = 0;
};

/// A row of the command table (command_table.cpp), which also generates `--help`.
struct CommandSpec {
  const char* name;
  const char* summary;
  std::unique_ptr<Command> (*make)();  ///< Defined in the command's own file.
};

/// Every command, in the order `--help` lists them.
const std::vector<CommandSpec>& command_table();

/// Parses the command line and runs the chosen command.
int run_command_line(int argc, char** argv);

}  // namespace twinscan::cli
