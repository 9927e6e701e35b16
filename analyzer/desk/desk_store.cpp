#include "analyzer/desk/desk_store.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>

#include "analyzer/desk/audit_chain.h"
#include "analyzer/desk/crypto.h"
#include "analyzer/desk/database.h"
#include "analyzer/desk/detail_json.h"
#include "analyzer/desk/record_check.h"
#include "analyzer/desk/schema.h"
#include "analyzer/desk/validation.h"

namespace twinscan::desk {

struct DeskStore::Impl {
  explicit Impl(Database database) : db(std::move(database)) {}

  Database db;
  std::mutex mutex;  // one connection, one statement at a time
  std::function<std::int64_t()> clock = [] {
    return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count());
  };

  std::int64_t now() const { return clock(); }

  /// "2025-06-01T10:00:00Z" for the store's clock.
  std::string now_text() const {
    const auto t = static_cast<std::time_t>(now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
  }

  Statement prepare(std::string_view sql) { return Statement(db.handle(), sql); }

  // Appends one entry; the caller holds the mutex and a transaction.
  void append_audit(const std::string& actor, const std::string& action, const std::string& subject,
                    const std::string& detail_json) {
    auto head = prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
    AuditEntry e;
    if (head.step()) {
      e.seq = head.integer(0) + 1;
      e.prev_hash = head.text(1);
    } else {
      e.seq = 1;
      e.prev_hash = kGenesisHash;
    }
    e.at = now_text();
    e.actor = actor;
    e.action = action;
    e.subject = subject;
    e.detail_json = detail_json;
    e.hash = chain_hash(e);
    prepare(
        "INSERT INTO audit (seq, at, actor, action, subject, detail_json, prev_hash, hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .bind(1, e.seq)
        .bind(2, e.at)
        .bind(3, e.actor)
        .bind(4, e.action)
        .bind(5, e.subject)
        .bind(6, e.detail_json)
        .bind(7, e.prev_hash)
        .bind(8, e.hash)
        .run();
    prepare("INSERT OR REPLACE INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2)")
        .bind(1, e.seq)
        .bind(2, e.hash)
        .run();
  }

  static User user_from(const Statement& row, int first) {
    User u;
    u.id = row.integer(first);
    u.name = row.text(first + 1);
    u.role = parse_role(row.text(first + 2)).value_or(Role::kViewer);
    u.created_at = row.text(first + 3);
    return u;
  }

  static Decision decision_from(const Statement& row) {
    return {row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.text(5)};
  }

  static Screening screening_from(const Statement& row) {
    return {row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4),
            row.text(5),    row.text(6), row.text(7), row.text(8)};
  }

  static AuditEntry entry_from(const Statement& row) {
    return {row.integer(0), row.text(1), row.text(2), row.text(3),
            row.text(4),    row.text(5), row.text(6), row.text(7)};
  }

  // Seconds until the oldest failure in the window leaves it, when the failures reach the
  // limit; the caller holds the mutex.
  std::int64_t retry_after(const std::string& name) {
    auto rows = prepare(
        "SELECT count(*), min(at_unix) FROM sign_in_failures WHERE name = ?1 AND at_unix > ?2");
    const std::int64_t t = now();
    rows.bind(1, name).bind(2, t - kSignInWindowSeconds);
    if (!rows.step() || rows.integer(0) < kMaxSignInFailures) return 0;
    return std::max<std::int64_t>(1, rows.integer(1) + kSignInWindowSeconds - t);
  }

  // Refuses (an error sentence) a user who may not triage findings; the caller holds the
  // mutex.
  std::string check_triager(const std::string& name, const char* what) {
    const auto user = user_named(name);
    if (!user) return "no user is called " + name + "; " + what + " by the desk's users";
    if (!role_allows(user->role, Role::kReviewer)) {
      return name + " is a viewer; only a reviewer or an admin may do this";
    }
    return {};
  }

  std::optional<User> user_named(const std::string& name) {
    auto row = prepare("SELECT id, name, role, created_at FROM users WHERE name = ?1");
    row.bind(1, name);
    if (!row.step()) return std::nullopt;
    return user_from(row, 0);
  }
};

namespace {

constexpr const char* kDecisionColumns =
    "SELECT fingerprint, decision, justification, expires, by, at FROM decisions ";
constexpr const char* kScreeningColumns =
    "SELECT id, at, by, request_name, request_sha256, registry_version, rules_version, verdict, "
    "result_json FROM screenings ";
constexpr const char* kAuditColumns =
    "SELECT seq, at, actor, action, subject, detail_json, prev_hash, hash FROM audit ";

bool is_hex_token(const std::string& token) {
  if (token.size() != 64) return false;
  for (const char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

DeskStore::DeskStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DeskStore::~DeskStore() = default;

std::unique_ptr<DeskStore> DeskStore::open(const std::string& path, bool create,
                                           std::string& error) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) {
    error = "no such file";
    return nullptr;
  }
  auto db = Database::open(path, create, error);
  if (!db) return nullptr;
  if (!prepare_schema(*db, create, error)) return nullptr;
  return std::unique_ptr<DeskStore>(new DeskStore(std::make_unique<Impl>(std::move(*db))));
}

void DeskStore::set_clock(std::function<std::int64_t()> now_unix) {
  std::lock_guard lock(impl_->mutex);
  impl_->clock = std::move(now_unix);
}

// --- users ---------------------------------------------------------------------------

bool DeskStore::add_user(const std::string& name, Role role, const std::string& password,
                         const std::string& actor, std::string& error) {
  error = check_user_name(name);
  if (error.empty()) error = check_password(password);
  if (!error.empty()) return false;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->user_named(name)) {
      error = "a user called " + name + " exists already";
      return false;
    }
  }
  // Hashing takes a while and much memory: outside the lock.
  const std::string hash = hash_password(password);
  std::lock_guard lock(impl_->mutex);
  Transaction tx(impl_->db);
  if (impl_->user_named(name)) {
    error = "a user called " + name + " exists already";
    return false;
  }
  impl_
      ->prepare("INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)")
      .bind(1, name)
      .bind(2, role_name(role))
      .bind(3, hash)
      .bind(4, impl_->now_text())
      .run();
  impl_->append_audit(actor, "user-added", name, DetailJson().add("role", role_name(role)).str());
  tx.commit();
  return true;
}

bool DeskStore::remove_user(const std::string& name, const std::string& actor, std::string& error) {
  std::lock_guard lock(impl_->mutex);
  Transaction tx(impl_->db);
  const auto user = impl_->user_named(name);
  if (!user) {
    error = "no user is called " + name;
    return false;
  }
  impl_->prepare("DELETE FROM users WHERE id = ?1").bind(1, user->id).run();
  impl_->append_audit(actor, "user-removed", name,
                      DetailJson().add("role", role_name(user->role)).str());
  tx.commit();
  return true;
}

std::vector<User> DeskStore::users() {
  std::lock_guard lock(impl_->mutex);
  auto rows = impl_->prepare("SELECT id, name, role, created_at FROM users ORDER BY name");
  std::vector<User> out;
  while (rows.step()) out.push_back(Impl::user_from(rows, 0));
  return out;
}

std::optional<User> DeskStore::find_user(const std::string& name) {
  std::lock_guard lock(impl_->mutex);
  return impl_->user_named(name);
}

// --- sign-in and sessions ------------------------------------------------------------

bool DeskStore::sign_in_limited(const std::string& name) {
  std::lock_guard lock(impl_->mutex);
  auto count =
      impl_->prepare("SELECT count(*) FROM sign_in_failures WHERE name = ?1 AND at_unix > ?2");
  count.bind(1, name).bind(2, impl_->now() - kSignInWindowSeconds);
  return count.step() && count.integer(0) >= kMaxSignInFailures;
}

std::int64_t DeskStore::sign_in_retry_after(const std::string& name) {
  std::lock_guard lock(impl_->mutex);
  return impl_->retry_after(name);
}

std::optional<User> DeskStore::sign_in(const std::string& name, const std::string& password,
                                       const std::string& client, std::int64_t* retry_after) {
  if (retry_after != nullptr) *retry_after = 0;
  // A name no user can have, or a password longer than any set, is refused before it is
  // stored anywhere: an attempt must not write megabytes into the trail. It takes as long
  // as a wrong password, and the trail records the attempt without the text.
  if (!check_user_name(name).empty() || password.size() > kMaxPasswordBytes) {
    waste_password_check(password.substr(0, kMaxPasswordBytes));
    std::lock_guard lock(impl_->mutex);
    Transaction tx(impl_->db);
    impl_->append_audit("", "sign-in-failed", "",
                        DetailJson()
                            .add("client", client)
                            .add("reason", password.size() > kMaxPasswordBytes ? "password too long"
                                                                               : "not a user name")
                            .str());
    tx.commit();
    return std::nullopt;
  }
  std::optional<User> user;
  std::string hash;
  {
    // The attempt counts as a failure until the password is found right, so that
    // concurrent attempts cannot pass the limit.
    std::lock_guard lock(impl_->mutex);
    Transaction tx(impl_->db);
    const std::int64_t now = impl_->now();
    impl_->prepare("DELETE FROM sign_in_failures WHERE at_unix <= ?1")
        .bind(1, now - kSignInWindowSeconds)
        .run();
    auto count = impl_->prepare("SELECT count(*) FROM sign_in_failures WHERE name = ?1");
    count.bind(1, name);
    if (count.step() && count.integer(0) >= kMaxSignInFailures) {
      if (retry_after != nullptr) *retry_after = impl_->retry_after(name);
      impl_->append_audit(name, "sign-in-failed", name,
                          DetailJson().add("client", client).add("reason", "rate limited").str());
      tx.commit();
      return std::nullopt;
    }
    impl_->prepare("INSERT INTO sign_in_failures (name, at_unix) VALUES (?1, ?2)")
        .bind(1, name)
        .bind(2, now)
        .run();
    tx.commit();
    auto row = impl_->prepare(
        "SELECT id, name, role, created_at, password_hash FROM users WHERE name = ?1");
    row.bind(1, name);
    if (row.step()) {
      user = Impl::user_from(row, 0);
      hash = row.text(4);
    }
  }
  bool right = false;
  if (user) {
    right = verify_password(password, hash);
  } else {
    waste_password_check(password);
  }
  std::lock_guard lock(impl_->mutex);
  Transaction tx(impl_->db);
  if (right) {
    impl_->prepare("DELETE FROM sign_in_failures WHERE name = ?1").bind(1, name).run();
    impl_->append_audit(name, "sign-in", name, DetailJson().add("client", client).str());
  } else {
    impl_->append_audit(name, "sign-in-failed", name,
                        DetailJson()
                            .add("client", client)
                            .add("reason", user ? "wrong password" : "unknown user")
                            .str());
  }
  tx.commit();
  if (!right) return std::nullopt;
  return user;
}

std::optional<Session> DeskStore::create_session(const User& user, std::int64_t ttl_seconds) {
  std::lock_guard lock(impl_->mutex);
  auto row = impl_->prepare("SELECT id, name, role, created_at FROM users WHERE id = ?1");
  row.bind(1, user.id);
  if (!row.step()) return std::nullopt;
  Session s;
  s.user = Impl::user_from(row, 0);
  s.token = random_token();
  s.csrf_token = random_token();
  s.expires_unix = impl_->now() + ttl_seconds;
  impl_
      ->prepare(
          "INSERT INTO sessions (token_hash, csrf_token, user_id, expires_unix) "
          "VALUES (?1, ?2, ?3, ?4)")
      .bind(1, sha256_hex(s.token))
      .bind(2, s.csrf_token)
      .bind(3, s.user.id)
      .bind(4, s.expires_unix)
      .run();
  return s;
}

std::optional<Session> DeskStore::find_session(const std::string& token) {
  if (!is_hex_token(token)) return std::nullopt;
  std::lock_guard lock(impl_->mutex);
  const std::int64_t now = impl_->now();
  impl_->prepare("DELETE FROM sessions WHERE expires_unix <= ?1").bind(1, now).run();
  auto row = impl_->prepare(
      "SELECT u.id, u.name, u.role, u.created_at, s.csrf_token, s.expires_unix "
      "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1");
  row.bind(1, sha256_hex(token));
  if (!row.step()) return std::nullopt;
  Session s;
  s.token = token;
  s.user = Impl::user_from(row, 0);
  s.csrf_token = row.text(4);
  s.expires_unix = row.integer(5);
  return s;
}

void DeskStore::end_session(const std::string& token, const std::string& actor) {
  if (!is_hex_token(token)) return;
  std::lock_guard lock(impl_->mutex);
  Transaction tx(impl_->db);
  auto row = impl_->prepare(
      "SELECT u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1");
  row.bind(1, sha256_hex(token));
  if (!row.step()) return;
  const std::string name = row.text(0);
  impl_->prepare("DELETE FROM sessions WHERE token_hash = ?1").bind(1, sha256_hex(token)).run();
  impl_->append_audit(actor, "sign-out", name, "{}");
  tx.commit();
}

// --- screenings and decisions --------------------------------------------------------

std::int64_t DeskStore::record_screening(const Screening& s) {
  std::lock_guard lock(impl_->mutex);
  Transaction tx(impl_->db);
  impl_
      ->prepare(
          "INSERT INTO screenings (at, by, request_name, request_sha256, registry_version, "
          "rules_version, verdict, result_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(1, impl_->now_text())
      .bind(2, s.by)
      .bind(3, s.request_name)
      .bind(4, s.request_sha256)
      .bind(5, s.registry_version)
      .bind(6, s.rules_version)
      .bind(7, s.verdict)
      .bind(8, s.result_json)
      .run();
  const std::int64_t id = impl_->db.last_insert_id();
  impl_->append_audit(s.by, "screening", s.request_name,
                      DetailJson()
                          .add("screening", id)
                          .add("request_sha256", s.request_sha256)
                          .add("registry_version", s.registry_version)
                          .add("rules_version", s.rules_version)
                          .add("verdict", s.verdict)
                          .str());
  tx.commit();
  return id;
}

std::vector<Screening> DeskStore::screenings(std::int64_t limit) {
  std::lock_guard lock(impl_->mutex);
  auto rows = impl_->prepare(std::string(kScreeningColumns) + "ORDER BY id DESC LIMIT ?1");
  rows.bind(1, limit > 0 ? limit : std::int64_t{-1});
  std::vector<Screening> out;
  while (rows.step()) out.push_back(Impl::screening_from(rows));
  return out;
}

std::optional<Screening> DeskStore::find_screening(std::int64_t id) {
  std::lock_guard lock(impl_->mutex);
  auto row = impl_->prepare(std::string(kScreeningColumns) + "WHERE id = ?1");
  row.bind(1, id);
  if (!row.step()) return std::nullopt;
  return Impl::screening_from(row);
}

bool DeskStore::record_decision(const Decision& d, std::string& error) {
  error = check_decision(d);
  if (!error.empty()) return false;
  std::lock_guard lock(impl_->mutex);
  if (d.decision == "suppressed" && d.expires <= impl_->now_text().substr(0, 10)) {
    error = "the expiry date " + d.expires +
            " is not after today: a suppression runs until a later date";
    return false;
  }
  Transaction tx(impl_->db);
  const auto user = impl_->user_named(d.by);
  if (!user) {
    error = "no user is called " + d.by + "; decisions are made by the desk's users";
    return false;
  }
  if (!role_allows(user->role, Role::kReviewer)) {
    error = d.by + " is a viewer; only a reviewer or an admin decides";
    return false;
  }
  impl_
      ->prepare(
          "INSERT INTO decisions (fingerprint, decision, justification, expires, by, at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(1, d.fingerprint)
      .bind(2, d.decision)
      .bind(3, d.justification)
      .bind(4, d.expires)
      .bind(5, d.by)
      .bind(6, impl_->now_text())
      .run();
  impl_->append_audit(d.by, "decision", d.fingerprint,
                      DetailJson()
                          .add("decision", d.decision)
                          .add_if("justification", d.justification)
                          .add_if("expires", d.expires)
                          .str());
  tx.commit();
  return true;
}

std::vector<Decision> DeskStore::decisions(const std::string& fingerprint) {
  std::lock_guard lock(impl_->mutex);
  auto rows = impl_->prepare(std::string(kDecisionColumns) + "WHERE fingerprint = ?1 ORDER BY id");
  rows.bind(1, fingerprint);
  std::vector<Decision> out;
  while (rows.step()) out.push_back(Impl::decision_from(rows));
  return out;
}

std::vector<Decision> DeskStore::current_decisions() {
  std::lock_guard lock(impl_->mutex);
  auto rows = impl_->prepare(
      std::string(kDecisionColumns) +
      "WHERE id IN (SELECT max(id) FROM decisions GROUP BY fingerprint) ORDER BY fingerprint");
  std::vector<Decision> out;
  while (rows.step()) out.push_back(Impl::decision_from(rows));
  return out;
}

std::vector<Decision> DeskStore::active_suppressions(const std::string& as_of) {
  std::vector<Decision> out;
  for (auto& d : current_decisions()) {
    if (d.decision == "suppressed" && d.expires >= as_of) out.push_back(std::move(d));
  }
  return out;
}

// --- notes and assignment ------------------------------------------------------------

std::int64_t DeskStore::add_note(const Note& n, std::string& error) {
  if (n.fingerprint.empty()) {
    error = "a note needs the finding's fingerprint";
    return 0;
  }
  error = check_note(n.text);
  if (!error.empty()) return 0;
  std::lock_guard lock(impl_->mutex);
  Transaction tx(impl_->db);
  error = impl_->check_triager(n.by, "notes are written");
  if (!error.empty()) return 0;
  impl_->prepare("INSERT INTO notes (fingerprint, text, by, at) VALUES (?1, ?2, ?3, ?4)")
      .bind(1, n.fingerprint)
      .bind(2, n.text)
      .bind(3, n.by)
      .bind(4, impl_->now_text())
      .run();
  const std::int64_t id = impl_->db.last_insert_id();
  impl_->append_audit(n.by, "note", n.fingerprint,
                      DetailJson().add("note", id).add("text", n.text).str());
  tx.commit();
  return id;
}

std::vector<Note> DeskStore::notes(const std::string& fingerprint) {
  std::lock_guard lock(impl_->mutex);
  auto rows = impl_->prepare(
      "SELECT id, fingerprint, text, by, at FROM notes WHERE fingerprint = ?1 ORDER BY id");
  rows.bind(1, fingerprint);
  std::vector<Note> out;
  while (rows.step()) {
    out.push_back({rows.integer(0), rows.text(1), rows.text(2), rows.text(3), rows.text(4)});
  }
  return out;
}

bool DeskStore::assign(const Assignment& a, std::string& error) {
  if (a.fingerprint.empty()) {
    error = "an assignment needs the finding's fingerprint";
    return false;
  }
  std::lock_guard lock(impl_->mutex);
  Transaction tx(impl_->db);
  error = impl_->check_triager(a.by, "findings are assigned");
  if (error.empty() && !a.assignee.empty()) {
    const auto user = impl_->user_named(a.assignee);
    if (!user) {
      error = "no user is called " + a.assignee + "; assign the finding to a desk user";
    } else if (!role_allows(user->role, Role::kReviewer)) {
      error = a.assignee + " is a viewer; assign the finding to a reviewer or an admin";
    }
  }
  if (!error.empty()) return false;
  auto previous = impl_->prepare(
      "SELECT assignee FROM assignments WHERE fingerprint = ?1 ORDER BY id DESC LIMIT 1");
  previous.bind(1, a.fingerprint);
  const std::string before = previous.step() ? previous.text(0) : std::string();
  impl_->prepare("INSERT INTO assignments (fingerprint, assignee, by, at) VALUES (?1, ?2, ?3, ?4)")
      .bind(1, a.fingerprint)
      .bind(2, a.assignee)
      .bind(3, a.by)
      .bind(4, impl_->now_text())
      .run();
  impl_->append_audit(a.by, "assignment", a.fingerprint,
                      DetailJson().add("assignee", a.assignee).add_if("previous", before).str());
  tx.commit();
  return true;
}

std::vector<Assignment> DeskStore::assignments(const std::string& fingerprint) {
  std::lock_guard lock(impl_->mutex);
  auto rows = impl_->prepare(
      "SELECT fingerprint, assignee, by, at FROM assignments WHERE fingerprint = ?1 ORDER BY id");
  rows.bind(1, fingerprint);
  std::vector<Assignment> out;
  while (rows.step()) out.push_back({rows.text(0), rows.text(1), rows.text(2), rows.text(3)});
  return out;
}

std::map<std::string, std::string> DeskStore::current_assignees() {
  std::lock_guard lock(impl_->mutex);
  auto rows = impl_->prepare(
      "SELECT fingerprint, assignee FROM assignments "
      "WHERE id IN (SELECT max(id) FROM assignments GROUP BY fingerprint) AND assignee != ''");
  std::map<std::string, std::string> out;
  while (rows.step()) out.emplace(rows.text(0), rows.text(1));
  return out;
}

// --- when findings were first seen ---------------------------------------------------

void DeskStore::record_first_seen(const std::vector<std::string>& fingerprints) {
  std::lock_guard lock(impl_->mutex);
  Transaction tx(impl_->db);
  const std::string now = impl_->now_text();
  for (const auto& fp : fingerprints) {
    impl_->prepare("INSERT OR IGNORE INTO first_seen (fingerprint, at) VALUES (?1, ?2)")
        .bind(1, fp)
        .bind(2, now)
        .run();
  }
  tx.commit();
}

std::map<std::string, std::string> DeskStore::first_seen() {
  std::lock_guard lock(impl_->mutex);
  auto rows = impl_->prepare("SELECT fingerprint, at FROM first_seen");
  std::map<std::string, std::string> out;
  while (rows.step()) out.emplace(rows.text(0), rows.text(1));
  return out;
}

// --- the audit trail -----------------------------------------------------------------

void DeskStore::audit(const std::string& actor, const std::string& action,
                      const std::string& subject, const std::string& detail_json) {
  std::lock_guard lock(impl_->mutex);
  Transaction tx(impl_->db);
  impl_->append_audit(actor, action, subject, detail_json);
  tx.commit();
}

std::vector<AuditEntry> DeskStore::audit_entries(const std::string& search, std::int64_t limit) {
  std::lock_guard lock(impl_->mutex);
  auto rows = impl_->prepare(std::string(kAuditColumns) +
                             "WHERE ?1 = '' OR instr(lower(actor), lower(?1)) > 0 "
                             "OR instr(lower(action), lower(?1)) > 0 "
                             "OR instr(lower(subject), lower(?1)) > 0 "
                             "OR instr(lower(detail_json), lower(?1)) > 0 "
                             "ORDER BY seq DESC LIMIT ?2");
  rows.bind(1, search).bind(2, limit > 0 ? limit : std::int64_t{-1});
  std::vector<AuditEntry> out;
  while (rows.step()) out.push_back(Impl::entry_from(rows));
  return out;
}

std::vector<AuditEntry> DeskStore::all_audit_entries() {
  std::lock_guard lock(impl_->mutex);
  auto rows = impl_->prepare(std::string(kAuditColumns) + "ORDER BY seq");
  std::vector<AuditEntry> out;
  while (rows.step()) out.push_back(Impl::entry_from(rows));
  return out;
}

AuditCheck DeskStore::verify_audit() {
  std::lock_guard lock(impl_->mutex);
  // One read transaction, so that the entries and the head agree.
  impl_->db.exec("BEGIN");
  std::vector<AuditEntry> entries;
  std::int64_t head_seq = 0;
  std::string head_hash = kGenesisHash;
  try {
    auto rows = impl_->prepare(std::string(kAuditColumns) + "ORDER BY seq");
    while (rows.step()) entries.push_back(Impl::entry_from(rows));
    auto head = impl_->prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (head.step()) {
      head_seq = head.integer(0);
      head_hash = head.text(1);
    }
    AuditCheck check = verify_chain(entries, head_seq, head_hash);
    // An intact trail proves only itself: the records the desk acts on must be the ones
    // it recorded (a decision edited in the database would otherwise pass).
    if (check.intact) {
      if (const auto mismatch = check_records(impl_->db, entries)) {
        check.intact = false;
        check.first_broken_seq = mismatch->seq;
        check.why = mismatch->why;
      }
    }
    impl_->db.exec("COMMIT");
    return check;
  } catch (...) {
    impl_->db.exec("ROLLBACK");
    throw;
  }
}

}  // namespace twinscan::desk
