#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "analyzer/cli/command.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/nearest_name.h"

namespace twinscan::cli {
namespace {

void configure_logging(const GlobalOptions& global) {
  auto logger = spdlog::stderr_color_st("twinscan");
  logger->set_pattern("twinscan: %l: %v");
  logger->set_level(global.verbosity < 0    ? spdlog::level::err
                    : global.verbosity == 0 ? spdlog::level::warn
                                            : spdlog::level::debug);
  spdlog::set_default_logger(logger);
}

// A command's status once what it printed is flushed: text on standard output that
// could not all be written (a full disk, a closed stream) is an output that could not be
// written, whatever the command found.
int with_standard_output_checked(int status) {
  std::cout.flush();
  errno = 0;
  const bool failed = !std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (!failed || (status != util::kExitOk && status != util::kExitFindings)) return status;
  std::cerr << "twinscan: error: cannot write to standard output"
            << (errno != 0 ? std::string(": ") + std::strerror(errno) : std::string()) << '\n';
  return util::kExitCantCreate;
}

}  // namespace

int run_command_line(int argc, char** argv) {
  CLI::App app{
      "Twinscan: screens municipalities' foreign ties (twin cities, agreements, "
      "projects, firms) for national-security and transparency risks.",
      "twinscan"};
  app.set_version_flag("--version", std::string("twinscan ") + TWINSCAN_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // -v and -q may follow the command name too
  GlobalOptions global;
  int verbose = 0;
  bool quiet = false;
  app.add_flag("-v,--verbose", verbose, "Say more about what is done (repeat for more)");
  app.add_flag("-q,--quiet", quiet, "Print errors only");
  app.footer(
      "Exit status: 0 ok, 1 findings (scan, screen), ties with issues (reconcile), changes "
      "(diff) or failed rule tests, 64 usage, 65 bad input (or a broken audit trail), 66 missing "
      "input, 70 internal failure, 73 an output could not be written.\n"
      "Run 'twinscan COMMAND --help' for a command's options.");

  std::vector<std::unique_ptr<Command>> commands;
  std::vector<CLI::App*> subapps;
  for (const auto& spec : command_table()) {
    commands.push_back(spec.make());
    CLI::App* sub = app.add_subcommand(spec.name, spec.summary);
    commands.back()->configure(*sub);
    subapps.push_back(sub);
  }
  // An unknown first word is most likely a mistyped command: say so, with the nearest.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const auto& spec : command_table()) names.emplace_back(spec.name);
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      std::cerr << "twinscan: error: unknown command '" << argv[1] << "'"
                << util::did_you_mean(argv[1], names)
                << "\n(run 'twinscan --help' for the commands)\n";
      return util::kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "twinscan: error: " << e.what() << "\n(run 'twinscan --help' for usage)\n";
    return util::kExitUsage;
  }
  global.verbosity = quiet ? -1 : verbose;
  configure_logging(global);
  for (std::size_t i = 0; i < subapps.size(); ++i) {
    if (!subapps[i]->parsed()) continue;
    try {
      return with_standard_output_checked(commands[i]->run(global));
    } catch (const std::bad_alloc&) {
      std::cerr << "twinscan: error: out of memory\n";
      return util::kExitSoftware;
    } catch (const std::exception& e) {
      std::cerr << "twinscan: internal error: " << e.what() << '\n';
      return util::kExitSoftware;
    }
  }
  return util::kExitUsage;
}

}  // namespace twinscan::cli
