#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzer/desk/desk_store.h"
#include "analyzer/report/baseline.h"

namespace twinscan::cli {

/// How a command needs the desk database of --db.
enum class DeskOpen {
  kExisting,  ///< It must exist: missing is 66, not a desk database 65.
  kCreate,    ///< Created when missing: cannot be created is 73, not a desk database 65.
};

/// Opens the desk database at `path`; on failure prints "PATH: error: …; what to do" and
/// sets `status` to the exit status to stop with.
std::unique_ptr<desk::DeskStore> open_desk(const std::string& path, DeskOpen how, int& status);

/// Who runs the command, for the audit trail: "cli:" and the operating system's name of
/// the effective user (or "cli:uid N" when it has none).
std::string cli_actor();

/// The desk's current suppressions (the latest decision on each fingerprint, when it is
/// "suppressed"), as suppressions that warnings point at `path`; expired ones included, so
/// that they are reported as a suppression file's would be.
std::vector<report::Suppression> desk_suppressions(desk::DeskStore& store, const std::string& path);

}  // namespace twinscan::cli
