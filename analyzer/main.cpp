#include "analyzer/cli/command.h"
#include "analyzer/util/output_target.h"
#include "analyzer/util/temporary_files.h"

int main(int argc, char** argv) {
  // Before anything is opened: the descriptors the shell passed, which outputs may name.
  twinscan::util::note_inherited_descriptors();
  twinscan::util::prepare_process();
  return twinscan::cli::run_command_line(argc, argv);
}
