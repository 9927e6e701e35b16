#pragma once

#include <cstdint>

namespace twinscan::engine {

/// How a step of the engine ended; the diagnostics say what went wrong. The command
/// line maps each to its exit status, the web desk to an HTTP status.
enum class Outcome : std::uint8_t {
  kOk,
  kBadUsage,      ///< The request to the engine itself is wrong (a snapshot with --schema).
  kMissingInput,  ///< A file or folder named does not exist.
  kBadInput,      ///< An input is malformed or inconsistent; a rule failed to run.
};

}  // namespace twinscan::engine
