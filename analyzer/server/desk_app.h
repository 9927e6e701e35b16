#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/desk/desk_store.h"
#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/catalogue.h"
#include "analyzer/engine/registry.h"
#include "analyzer/engine/run_options.h"
#include "analyzer/server/finding_index.h"

/// The desk itself: the registry and the rules opened once at start, the findings of the
/// registry, the store, and what reviewers do (screen, decide), for the API and the pages
/// alike.
namespace twinscan::server {

struct DeskConfig {
  engine::RegistrySpec registry;
  engine::CatalogueSpec rules;
  std::string as_of;         ///< A fixed ISO date; empty: today at each screening.
  std::string requests_dir;  ///< The bundled requests offered on the screening page.
  bool secure_cookie = false;
  std::int64_t session_ttl_seconds = 8 * 60 * 60;
  unsigned scan_jobs = 1;  ///< Rules in parallel for the registry scan at start.
  query::ExecutionLimits limits;
};

/// What screening a request gave.
struct ScreeningResult {
  int status = 200;   ///< An HTTP status: 200, or 400 when the request is not valid.
  std::string error;  ///< When status is not 200.
  std::vector<std::string> problems;  ///< The request's problems, as diagnostics.
  std::int64_t id = 0;                ///< The screening recorded.
  std::string verdict;
  std::string json;  ///< `twinscan screen --format json`'s report plus "screening".
};

/// What recording a decision gave.
struct DecisionResult {
  int status = 200;  ///< 200; 404 for an unknown finding; 400 for a refused decision.
  std::string error;
};

class DeskApp {
 public:
  /// Opens the registry and the rules and scans the registry once. Problems go to
  /// `diagnostics`; nothing is returned when the registry or the rules cannot be used.
  static std::unique_ptr<DeskApp> start(DeskConfig config, desk::DeskStore& store,
                                        diag::Diagnostics& diagnostics, engine::Outcome& failure);

  [[nodiscard]] desk::DeskStore& store() const { return store_; }
  [[nodiscard]] const DeskConfig& config() const { return config_; }
  [[nodiscard]] const engine::Registry& registry() const { return *registry_; }
  /// The rules, with the parameters the desk runs them with.
  [[nodiscard]] const engine::Catalogue& catalogue() const { return *catalogue_; }
  /// The findings the desk knows (finding one draws its evidence if not yet drawn).
  [[nodiscard]] FindingIndex& findings() { return findings_; }
  [[nodiscard]] const rules::Rule* rule(const std::string& id) const;
  [[nodiscard]] const std::string& registry_version() const { return registry_version_; }
  [[nodiscard]] const std::string& rules_version() const { return rules_version_; }
  /// True for a "since" date: YYYY-MM-DD, a real day.
  [[nodiscard]] static bool is_since_date(const std::string& text);
  /// The date deadlines are judged against now (ISO).
  [[nodiscard]] std::string as_of() const;

  /// Screens the request document `document` (named `name`, for people) for `by`:
  /// writes it to a private file, merges it into the registry and runs the screening as
  /// `twinscan screen` does, records it and indexes its findings.
  ScreeningResult screen(const std::string& document, const std::string& name,
                         const desk::User& by);

  /// Records `decision` by `by` on a known finding.
  DecisionResult decide(desk::Decision decision, const desk::User& by);

  /// Adds a note by `by` on a known finding (404 for an unknown one, 400 for a refused
  /// note).
  DecisionResult add_note(const std::string& fingerprint, std::string text, const desk::User& by);

  /// Assigns a known finding to `assignee` (a reviewer or an admin; "" unassigns).
  DecisionResult assign(const std::string& fingerprint, const std::string& assignee,
                        const desk::User& by);

  /// The status of a finding now as its decisions alone give it: its current decision, or
  /// "open" (also once a suppression has expired).
  [[nodiscard]] static std::string status_of(const std::optional<desk::Decision>& decision,
                                             const std::string& today);
  /// The status a finding shows: status_of, except that an open finding with an assignee
  /// is "in-progress" (someone is on it). Decisions keep their three values.
  [[nodiscard]] static std::string shown_status(const std::string& decided_status, bool assigned);
  /// The status of `fingerprint` now (shown_status of its decisions and assignee).
  [[nodiscard]] std::string status_now(const std::string& fingerprint) const;
  /// The status of every finding with a decision or an assignee, by fingerprint, as of
  /// as_of(); a finding absent from it is open (status_in in finding_list.h).
  [[nodiscard]] std::map<std::string, std::string> decided_statuses() const;

  /// The name of the agreement a screening's request adds (several joined by " and "), or
  /// "" when not known: the desk learns it when it screens, so a screening made before
  /// the desk last started is named by its file name alone.
  [[nodiscard]] std::string request_agreement(std::int64_t screening) const;

  /// The file names of the bundled requests, sorted.
  [[nodiscard]] std::vector<std::string> bundled_requests() const;
  /// The bundled request called `name` (one of bundled_requests()), read into `out`.
  bool read_bundled_request(const std::string& name, std::string& out) const;

  ~DeskApp();

 private:
  DeskApp(DeskConfig config, desk::DeskStore& store);

  DeskConfig config_;
  desk::DeskStore& store_;
  std::optional<engine::Registry> registry_;
  std::optional<engine::Catalogue> catalogue_;
  FindingIndex findings_;
  std::string registry_version_;
  std::string rules_version_;
  std::string temp_dir_;  ///< Private (0700) folder for uploaded requests.
  mutable std::mutex agreements_mutex_;
  std::map<std::int64_t, std::string> agreements_;  ///< request_agreement, by screening.
};

}  // namespace twinscan::server
