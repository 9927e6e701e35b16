#include "analyzer/cli/command.h"
#include "analyzer/util/terminal_text.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include <CLI/CLI.hpp>

#include "analyzer/cli/arguments.h"
#include "analyzer/cli/date_option.h"
#include "analyzer/cli/registry_options.h"
#include "analyzer/cli/report_options.h"
#include "analyzer/desk/desk_store.h"
#include "analyzer/server/bundled_requests.h"
#include "analyzer/server/desk_app.h"
#include "analyzer/server/http_module.h"
#include "analyzer/server/http_server.h"
#include "analyzer/server/routes.h"
#include "analyzer/server/shutdown_signals.h"
#include "analyzer/util/exit_code.h"

namespace twinscan::cli {
namespace {

/// `twinscan serve`: the reviewer's desk, a local web application (docs/desk.md).
class ServeCommand : public Command {
 public:
  void configure(CLI::App& app) override;
  int run(const GlobalOptions& global) override;

 private:
  RegistryOptions registry_;
  std::vector<std::string> rules_;
  std::vector<OptionRun> rules_runs_;
  std::string db_ = "twinscan-desk.sqlite";
  std::string listen_ = "127.0.0.1:8080";
  std::string as_of_;
  std::string requests_ = server::bundled_requests_dir();
  bool secure_cookie_ = false;
  unsigned workers_ = 0;
  std::uint64_t max_expansions_ = kDefaultRuleExpansions;
  std::uint64_t timeout_ms_ = kDefaultRuleTimeoutMs;
};

/// Splits "HOST:PORT" ("[::1]:8080" for an IPv6 address); false when malformed.
bool parse_listen(const std::string& text, std::string& host, int& port) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string digits = text.substr(colon + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  return ec == std::errc() && end == digits.data() + digits.size() && port >= 0 && port <= 65535;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

void ServeCommand::configure(CLI::App& app) {
  registry_.add_to(app);
  add_list_option(app, "--rules", rules_, rules_runs_,
                  "Rule folders or files (default: the bundled rules/)");
  app.add_option("--db", db_,
                 "The desk's SQLite database: users, sessions, screenings, decisions and the "
                 "audit trail (created when missing)")
      ->default_val("twinscan-desk.sqlite");
  app.add_option("--listen", listen_,
                 "HOST:PORT to listen on; port 0 picks a free one (anything but a loopback "
                 "address expects a TLS proxy in front)")
      ->default_val("127.0.0.1:8080");
  app.add_option("--as-of", as_of_,
                 "The date deadlines are judged against (default: today, at each screening)")
      ->check(given_date());
  app.add_option("--requests", requests_,
                 "The folder of bundled requests offered on the screening page")
      ->default_val(requests_);
  app.add_flag("--secure-cookie", secure_cookie_,
               "Mark the session cookie Secure (behind a TLS proxy)");
  app.add_option("--workers", workers_, "Requests answered at once (0: one per core)")
      ->default_val(0)
      ->check(CLI::Range(0, 256));
  add_budget_options(app, timeout_ms_, max_expansions_, "a rule");
}

int ServeCommand::run(const GlobalOptions& global) {
  std::string host;
  int port = 0;
  if (!parse_listen(listen_, host, port)) {
    std::cerr << "twinscan: error: --listen " << listen_
              << ": expected HOST:PORT such as 127.0.0.1:8080\n";
    return util::kExitUsage;
  }
  model::Date as_of_date;
  if (!as_of_.empty() && !parse_as_of(as_of_, as_of_date)) return util::kExitUsage;
  if (!is_loopback(host)) {
    std::cerr << "twinscan: warning: listening on " << host
              << ", not a loopback address: the desk speaks plain HTTP, so put a TLS proxy in "
                 "front of it and pass --secure-cookie (docs/desk.md, \"Behind a TLS proxy\")\n";
  }

  // Before any thread starts, so that every thread leaves the signals to this one.
  server::HttpServer* running = nullptr;
  std::atomic<bool> stop_asked{false};
  std::mutex running_mutex;
  server::ShutdownSignals signals([&](int signal) {
    const std::lock_guard lock(running_mutex);
    stop_asked = true;
    if (running != nullptr) {
      running->stop();
      return;
    }
    // Still opening the registry (which may take a minute, or wait on a stuck file):
    // nothing is being served or written, so stop now rather than after the load.
    std::cerr << "twinscan: stopped before the desk opened\n";
    std::_Exit(128 + signal);
  });

  std::string error;
  // Before the registry is opened, which may take a minute: a desk that cannot listen
  // should say so at once.
  if (!server::load_http_module(error)) {
    std::cerr << "twinscan: error: " << error << '\n';
    return util::kExitSoftware;
  }
  std::unique_ptr<desk::DeskStore> store = desk::DeskStore::open(db_, true, error);
  if (!store) {
    // A file that is there but not a desk database is bad input; one that cannot be
    // created (a missing folder, no permission) an output that cannot be written.
    std::error_code ec;
    const bool exists = std::filesystem::exists(db_, ec);
    std::cerr << db_ << ": error: " << error
              << (exists ? "; give the desk's database or a new file"
                         : "; give a --db file in a folder the desk may write")
              << '\n';
    return exists ? util::kExitDataError : util::kExitCantCreate;
  }
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  server::DeskConfig config;
  config.registry = registry_.spec();
  config.rules = {rules_, true};
  config.as_of = as_of_.empty() ? "" : as_of_date.to_string();
  config.requests_dir = requests_;
  config.secure_cookie = secure_cookie_;
  config.scan_jobs = cores;
  config.limits.max_expansions = max_expansions_;
  config.limits.deadline = std::chrono::milliseconds(timeout_ms_);
  std::unique_ptr<server::DeskApp> app;
  {
    diag::Diagnostics diagnostics = streaming_diagnostics(global);
    engine::Outcome failure = engine::Outcome::kOk;
    app = server::DeskApp::start(std::move(config), *store, diagnostics, failure);
    print_diagnostics(diagnostics, global);
    if (!app) return exit_code(failure);
  }

  server::HttpServerOptions options;
  options.host = host;
  options.port = port;
  options.workers = workers_ != 0 ? workers_ : std::max(2U, cores);
  if (global.verbosity > 0) {
    options.log = [](const std::string& method, const std::string& path, int status) {
      // Escaped: a path may hold a decoded newline or escape sequence that would forge a
      // line of the log.
      std::cerr << util::escape_for_terminal(method) << ' ' << util::escape_for_terminal(path)
                << ' ' << status << '\n';
    };
  }
  server::HttpServer http(options, server::make_desk_handler(*app));
  if (!http.bind(error)) {
    std::cerr << "twinscan: error: " << error << '\n';
    return util::kExitCantCreate;
  }
  {
    const std::lock_guard lock(running_mutex);
    running = &http;
    if (stop_asked) http.stop();
  }
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::cerr << "twinscan: the desk listens on http://" << shown_host << ':' << http.port() << "/ ("
            << app->findings().size() << " findings of the registry; database " << db_
            << "; stop with Ctrl-C)" << std::endl;
  http.run();
  {
    const std::lock_guard lock(running_mutex);
    running = nullptr;
  }
  app.reset();
  store.reset();
  if (global.verbosity >= 0) {
    std::cerr << "twinscan: the desk stopped; the database is closed" << std::endl;
  }
  return util::kExitOk;
}

std::unique_ptr<Command> make_serve_command() {
  return std::make_unique<ServeCommand>();
}

}  // namespace twinscan::cli
