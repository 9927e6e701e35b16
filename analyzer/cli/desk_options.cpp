#include "analyzer/cli/desk_options.h"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "analyzer/util/exit_code.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {

std::unique_ptr<desk::DeskStore> open_desk(const std::string& path, DeskOpen how, int& status) {
  std::error_code ec;
  const bool existed = std::filesystem::exists(path, ec);
  const std::string shown = util::escape_for_terminal(path);
  if (!existed && how == DeskOpen::kExisting) {
    std::cerr << shown
              << ": error: no such desk database; create it with `twinscan users add NAME "
                 "--role admin --db "
              << shown << "`\n";
    status = util::kExitNoInput;
    return nullptr;
  }
  std::string error;
  try {
    auto store = desk::DeskStore::open(path, how == DeskOpen::kCreate, error);
    if (store) return store;
  } catch (const desk::DeskError& e) {
    error = e.what();
  }
  if (!existed) {
    std::cerr << shown << ": error: cannot create the desk database: " << error
              << "; check that the folder exists and can be written\n";
    status = util::kExitCantCreate;
  } else {
    std::cerr << shown << ": error: " << error << "; give the desk database with --db\n";
    status = util::kExitDataError;
  }
  return nullptr;
}

std::string cli_actor() {
  const uid_t uid = ::geteuid();
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::string buffer(size > 0 ? static_cast<std::size_t>(size) : 16384, '\0');
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr && found->pw_name[0] != '\0') {
    return std::string("cli:") + found->pw_name;
  }
  return "cli:uid " + std::to_string(uid);
}

std::vector<report::Suppression> desk_suppressions(desk::DeskStore& store,
                                                   const std::string& path) {
  std::vector<report::Suppression> out;
  for (const auto& d : store.current_decisions()) {
    if (d.decision != "suppressed") continue;
    out.push_back({d.fingerprint, d.justification, d.by, d.expires, {path, 0, 0}});
  }
  return out;
}

}  // namespace twinscan::cli
