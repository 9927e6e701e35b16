#include "analyzer/desk/schema.h"

#include "analyzer/desk/desk_store.h"

namespace twinscan::desk {
namespace {

// The audit trail refuses UPDATE and DELETE from any connection that keeps the triggers;
// audit_head records the latest entry appended, so that entries removed from the end are
// found too.
constexpr const char* kSchema = R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'reviewer', 'admin')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  csrf_token TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_unix INTEGER NOT NULL);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE sign_in_failures (name TEXT NOT NULL, at_unix INTEGER NOT NULL);
CREATE INDEX sign_in_failures_by_name ON sign_in_failures (name, at_unix);
CREATE TABLE screenings (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  by TEXT NOT NULL,
  request_name TEXT NOT NULL,
  request_sha256 TEXT NOT NULL,
  registry_version TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  verdict TEXT NOT NULL,
  result_json TEXT NOT NULL);
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed', 'suppressed')),
  justification TEXT NOT NULL,
  expires TEXT NOT NULL,
  by TEXT NOT NULL,
  at TEXT NOT NULL);
CREATE INDEX decisions_by_fingerprint ON decisions (fingerprint, id);
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL);
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE first_seen (fingerprint TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  text TEXT NOT NULL,
  by TEXT NOT NULL,
  at TEXT NOT NULL);
CREATE INDEX notes_by_fingerprint ON notes (fingerprint, id);
CREATE TABLE assignments (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  assignee TEXT NOT NULL,
  by TEXT NOT NULL,
  at TEXT NOT NULL);
CREATE INDEX assignments_by_fingerprint ON assignments (fingerprint, id);
CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql";

// Version 1 to 2: the day the desk first saw each finding (the Findings page's "new since").
constexpr const char* kMigrationTo2 = R"sql(
CREATE TABLE IF NOT EXISTS first_seen (fingerprint TEXT PRIMARY KEY, at TEXT NOT NULL);
INSERT INTO schema_version (version) VALUES (2);
)sql";

// Version 2 to 3: notes on findings and who a finding is assigned to (an empty assignee
// unassigns), both by fingerprint.
constexpr const char* kMigrationTo3 = R"sql(
CREATE TABLE IF NOT EXISTS notes (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  text TEXT NOT NULL,
  by TEXT NOT NULL,
  at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notes_by_fingerprint ON notes (fingerprint, id);
CREATE TABLE IF NOT EXISTS assignments (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  assignee TEXT NOT NULL,
  by TEXT NOT NULL,
  at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS assignments_by_fingerprint ON assignments (fingerprint, id);
INSERT INTO schema_version (version) VALUES (3);
)sql";

}  // namespace

bool prepare_schema(Database& db, bool create, std::string& error) {
  std::int64_t tables = 0;
  try {
    Statement count(db.handle(), "SELECT count(*) FROM sqlite_master");
    if (count.step()) tables = count.integer(0);
  } catch (const DeskError&) {
    error = "not a desk database (not an SQLite file)";
    return false;
  }
  try {
    db.exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL");
    if (tables == 0) {
      if (!create) {
        error = "not a desk database (it holds no tables); create it with `twinscan users add`";
        return false;
      }
      db.exec("PRAGMA journal_mode = WAL");
      Transaction tx(db);
      db.exec(kSchema);
      Statement version(db.handle(), "INSERT INTO schema_version (version) VALUES (?1)");
      version.bind(1, std::int64_t{kSchemaVersion}).run();
      tx.commit();
      return true;
    }
    Statement has(db.handle(),
                  "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
    has.bind(1, std::string_view("schema_version"));
    if (!has.step() || has.integer(0) == 0) {
      error = "not a desk database (it has no schema_version table)";
      return false;
    }
    Statement version(db.handle(), "SELECT max(version) FROM schema_version");
    const std::int64_t found = version.step() ? version.integer(0) : 0;
    if (found > kSchemaVersion) {
      error = "the desk database is of schema version " + std::to_string(found) +
              ", newer than this twinscan reads (" + std::to_string(kSchemaVersion) +
              "); use a newer twinscan";
      return false;
    }
    if (found == 1 || found == 2) {
      Transaction tx(db);
      if (found == 1) db.exec(kMigrationTo2);
      db.exec(kMigrationTo3);
      tx.commit();
    } else if (found != kSchemaVersion) {
      error = "not a desk database (unknown schema version " + std::to_string(found) + ")";
      return false;
    }
    db.exec("PRAGMA journal_mode = WAL");
  } catch (const DeskError& e) {
    error = e.what();
    return false;
  }
  return true;
}

}  // namespace twinscan::desk
