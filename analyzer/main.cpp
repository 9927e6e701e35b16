#include "analyzer/cli/command.h"
#include "analyzer/util/temporary_files.h"

int main(int argc, char** argv) {
  twinscan::util::prepare_process();
  return twinscan::cli::run_command_line(argc, argv);
}
