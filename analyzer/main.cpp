#include "analyzer/cli/command.h"

int main(int argc, char** argv) {
  return twinscan::cli::run_command_line(argc, argv);
}
