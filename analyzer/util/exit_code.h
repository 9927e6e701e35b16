#pragma once

namespace twinscan::util {

/// Process exit statuses, after BSD sysexits(3), as the contract fixes them.
enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 1,     ///< scan/screen: a finding at or above --fail-on, or not "clear".
  kExitUsage = 64,       ///< EX_USAGE: wrong command-line usage.
  kExitDataError = 65,   ///< EX_DATAERR: malformed or invalid input.
  kExitNoInput = 66,     ///< EX_NOINPUT: an input file does not exist.
  kExitSoftware = 70,    ///< EX_SOFTWARE: internal failure.
  kExitCantCreate = 73,  ///< EX_CANTCREAT: an output file could not be written.
};

}  // namespace twinscan::util
