#include "analyzer/cli/command.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "analyzer/cli/desk_options.h"
#include "analyzer/desk/validation.h"
#include "analyzer/util/exit_code.h"
#include "analyzer/util/terminal_text.h"

namespace twinscan::cli {
namespace {

/// `twinscan users add|list|remove`: the people who may sign in to the desk.
class UsersCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  int add(const GlobalOptions& global);
  int list();
  int remove(const GlobalOptions& global);

  CLI::App* add_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* remove_ = nullptr;
  std::string db_;
  std::string name_;
  std::string role_;
};

/// Turns off the terminal's echo while a password is typed, and back on afterwards.
class NoEcho {
 public:
  NoEcho() {
    if (::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~NoEcho() {
    if (active_) {
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
      std::cerr << '\n';
    }
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

/// One line of standard input, without its line end; false when there is none.
bool read_password(std::string& out) {
  if (::isatty(STDIN_FILENO)) std::cerr << "password (not shown): " << std::flush;
  NoEcho quiet;
  if (!std::getline(std::cin, out)) return false;
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return true;
}

}  // namespace

void UsersCommand::configure(CLI::App& app) {
  app.require_subcommand(1);
  add_ = app.add_subcommand(
      "add", "Add a user; the password is read from standard input (one line, never echoed)");
  add_->add_option("NAME", name_, "The user's name (letters, digits and . _ @ -)")->required();
  add_->add_option("--role", role_, "What the user may do: viewer, reviewer or admin")
      ->required()
      ->check(CLI::IsMember({"viewer", "reviewer", "admin"}));
  add_->add_option("--db", db_, "The desk database (created if missing)")->required();
  list_ = app.add_subcommand("list", "One line per user: name, role, when added");
  list_->add_option("--db", db_, "The desk database")->required();
  remove_ = app.add_subcommand("remove", "Remove a user and end their sessions");
  remove_->add_option("NAME", name_, "The user's name")->required();
  remove_->add_option("--db", db_, "The desk database")->required();
  app.footer(
      "Passwords are never taken from the command line: pipe or type them on standard input "
      "(at least 12 characters). The desk keeps an Argon2id hash only. Every change is "
      "recorded in the desk's audit trail as done by cli:USER.");
}

int UsersCommand::run(const GlobalOptions& global) {
  if (add_->parsed()) return add(global);
  if (list_->parsed()) return list();
  return remove(global);
}

int UsersCommand::add(const GlobalOptions& global) {
  const auto role = desk::parse_role(role_);
  if (!role) return util::kExitUsage;  // CLI11 checked it already
  if (const std::string wrong = desk::check_user_name(name_); !wrong.empty()) {
    std::cerr << "twinscan: error: users add: " << wrong << ", not '"
              << util::escape_for_terminal(name_) << "'\n";
    return util::kExitUsage;
  }
  std::string password;
  if (!read_password(password)) {
    std::cerr << "twinscan: error: users add: no password on standard input; pipe it in or type "
                 "it (one line of at least "
              << desk::kMinPasswordLength << " characters)\n";
    return util::kExitUsage;
  }
  if (password.empty()) {
    std::cerr << "twinscan: error: users add: the password is empty; give one line of at least "
              << desk::kMinPasswordLength << " characters on standard input\n";
    return util::kExitUsage;
  }
  if (password.size() < desk::kMinPasswordLength) {
    std::cerr << "twinscan: error: users add: the password is shorter than "
              << desk::kMinPasswordLength << " characters; choose a longer one\n";
    return util::kExitUsage;
  }
  int status = 0;
  const auto store = open_desk(db_, DeskOpen::kCreate, status);
  if (!store) return status;
  std::string error;
  if (!store->add_user(name_, *role, password, cli_actor(), error)) {
    std::cerr << "twinscan: error: users add: " << util::escape_for_terminal(error) << '\n';
    return util::kExitDataError;
  }
  if (global.verbosity >= 0) {
    std::cout << "added " << name_ << " (" << role_name(*role) << ") to "
              << util::escape_for_terminal(db_) << '\n';
  }
  return util::kExitOk;
}

int UsersCommand::list() {
  int status = 0;
  const auto store = open_desk(db_, DeskOpen::kExisting, status);
  if (!store) return status;
  const auto users = store->users();
  std::size_t width = 4;
  for (const auto& u : users) width = std::max(width, u.name.size());
  for (const auto& u : users) {
    std::cout << u.name << std::string(width - u.name.size() + 2, ' ') << desk::role_name(u.role)
              << std::string(10 - desk::role_name(u.role).size(), ' ') << "added " << u.created_at
              << '\n';
  }
  return util::kExitOk;
}

int UsersCommand::remove(const GlobalOptions& global) {
  int status = 0;
  const auto store = open_desk(db_, DeskOpen::kExisting, status);
  if (!store) return status;
  std::string error;
  if (!store->remove_user(name_, cli_actor(), error)) {
    std::cerr << "twinscan: error: users remove: " << util::escape_for_terminal(error)
              << "; `twinscan users list --db " << util::escape_for_terminal(db_)
              << "` shows who there is\n";
    return util::kExitDataError;
  }
  if (global.verbosity >= 0) {
    std::cout << "removed " << name_ << " from " << util::escape_for_terminal(db_) << '\n';
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_users_command() {
  return std::make_unique<UsersCommand>();
}

}  // namespace twinscan::cli
