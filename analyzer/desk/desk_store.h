#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

/// The reviewer's desk: everything the desk records (users, sessions, screenings,
/// decisions and the hash-chained audit trail) lives in one SQLite database, reached only
/// through DeskStore. Times are UTC; `at` fields are ISO 8601 ("2025-06-01T10:00:00Z").
namespace twinscan::desk {

/// What a signed-in user may do: a viewer reads, a reviewer screens and decides, an
/// admin also manages users. Each role includes the ones below it.
enum class Role { kViewer, kReviewer, kAdmin };

/// "viewer" | "reviewer" | "admin" to a role; anything else (also other cases) gives nothing.
std::optional<Role> parse_role(std::string_view text);

/// The role's name as parse_role reads it ("viewer", "reviewer", "admin").
std::string_view role_name(Role role);

/// True when a user with role `have` may do what needs role `need` (admin > reviewer >
/// viewer).
bool role_allows(Role have, Role need);

/// Shortest password the desk accepts (characters as bytes of UTF-8).
inline constexpr std::size_t kMinPasswordLength = 12;

/// Failed sign-ins of one user name within kSignInWindowSeconds after which further
/// attempts are refused without checking the password, until the window has passed.
inline constexpr int kMaxSignInFailures = 5;
inline constexpr std::int64_t kSignInWindowSeconds = 15 * 60;

/// Longest note on a finding, or justification of a decision, in bytes of UTF-8.
inline constexpr std::size_t kMaxNoteBytes = 4000;

/// Longest password, in bytes: a longer one is refused before it is hashed.
inline constexpr std::size_t kMaxPasswordBytes = 1024;

/// Raised when the database itself fails (disk full, file corrupted or locked too long),
/// never for a caller's mistake, which is reported through an `error` string instead.
class DeskError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A person who may sign in. The password hash never leaves the store.
struct User {
  std::int64_t id = 0;
  std::string name;
  Role role = Role::kViewer;
  std::string created_at;
};

/// A signed-in user's session. `token` goes in the session cookie, `csrf_token` must come
/// back as the X-CSRF-Token header of every state-changing call. Both are 32 random bytes
/// from libsodium as 64 lowercase hex digits; the database keeps only the token's SHA-256.
struct Session {
  std::string token;
  std::string csrf_token;
  User user;
  std::int64_t expires_unix = 0;
};

/// A reviewer's decision on a finding, which follows the finding by its fingerprint across
/// re-scans. `decision` is "confirmed", "dismissed" (a reason in `justification` is
/// required) or "suppressed" (a `justification` and an `expires` ISO date, YYYY-MM-DD, are
/// required; the suppression holds up to and including that day). Only a suppression
/// has `expires`. `by` is the deciding user's name; `at` is set by the store.
struct Decision {
  std::string fingerprint;
  std::string decision;
  std::string justification;
  std::string expires;
  std::string by;
  std::string at;
};

/// A note a reviewer wrote on a finding: plain text (checked by check_note), kept by the
/// finding's fingerprint so that it follows the finding across re-scans. `id` and `at` are
/// set by the store.
struct Note {
  std::int64_t id = 0;
  std::string fingerprint;
  std::string text;
  std::string by;
  std::string at;
};

/// Who a finding was assigned to, and by whom: each assignment is kept, the latest is the
/// finding's assignee; an empty `assignee` unassigns. Follows the finding by its
/// fingerprint. `at` is set by the store.
struct Assignment {
  std::string fingerprint;
  std::string assignee;
  std::string by;
  std::string at;
};

/// One screening of a request document: who ran it, the request's name and SHA-256, the
/// registry's and rules' versions used, the verdict and the full JSON result (as
/// `twinscan screen --format json` prints it). `id` and `at` are set by the store.
struct Screening {
  std::int64_t id = 0;
  std::string at;
  std::string by;
  std::string request_name;
  std::string request_sha256;
  std::string registry_version;
  std::string rules_version;
  std::string verdict;
  std::string result_json;
};

/// One entry of the audit trail. `hash` is the SHA-256 (hex) of `prev_hash` and of the
/// entry's fields (seq, at, actor, action, subject, detail_json) in a fixed length-prefixed
/// encoding; `prev_hash` is the hash of the entry before (64 zeros for the first).
/// Actions: "sign-in", "sign-in-failed", "sign-out", "screening", "decision", "note",
/// "assignment", "user-added", "user-removed". `detail_json` is a JSON object as text.
struct AuditEntry {
  std::int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string action;
  std::string subject;
  std::string detail_json;
  std::string prev_hash;
  std::string hash;
};

/// What verify_audit found. When not intact, `first_broken_seq` is the first entry that
/// does not follow (its seq, or the seq a removed entry had) and `why` starts with
/// "changed", "removed" or "reordered" and says more ("changed: its fields do not match its
/// hash"); or the trail holds but a record differs from the entry that recorded it, and
/// `why` starts with "record changed", "record removed" or "record added" (then
/// `first_broken_seq` is that entry, 0 for a record no entry recorded). `entries` counts
/// the entries read.
struct AuditCheck {
  bool intact = true;
  std::int64_t entries = 0;
  std::int64_t first_broken_seq = 0;
  std::string why;
};

/// Everything the desk records, in one SQLite database (WAL journal, foreign keys on, a
/// schema version); safe to call from several threads (one connection behind a mutex).
/// Every statement is prepared with bound parameters. Methods throw DeskError only when
/// the database fails.
class DeskStore {
 public:
  /// Opens the desk database at `path`. When the file does not exist it is created with
  /// the current schema if `create`, else nothing is returned and `error` says the file is
  /// missing. A file that is not a desk database (not SQLite, another schema, a newer
  /// schema version) gives nothing and `error` says why.
  static std::unique_ptr<DeskStore> open(const std::string& path, bool create, std::string& error);
  ~DeskStore();
  DeskStore(const DeskStore&) = delete;
  DeskStore& operator=(const DeskStore&) = delete;

  // --- users -------------------------------------------------------------------------

  /// Adds a user with an Argon2id hash of `password` (libsodium crypto_pwhash_str,
  /// interactive limits); audits "user-added" by `actor`. Refuses (false, `error`) a
  /// name already taken, a name that is empty, longer than 64 bytes or holds characters
  /// other than letters, digits and `._@-`, and a password shorter than
  /// kMinPasswordLength. The password is neither stored nor logged.
  bool add_user(const std::string& name, Role role, const std::string& password,
                const std::string& actor, std::string& error);

  /// Removes a user and their sessions; audits "user-removed" by `actor`. Refuses (false,
  /// `error`) an unknown name. Their decisions and audit entries stay.
  bool remove_user(const std::string& name, const std::string& actor, std::string& error);

  /// Every user, by name.
  std::vector<User> users();

  /// The user called `name`, if any.
  std::optional<User> find_user(const std::string& name);

  // --- sign-in and sessions ----------------------------------------------------------

  /// Checks a password; records "sign-in" or "sign-in-failed" (with `client`, e.g. the
  /// remote address, in the detail) in the audit trail. Rate limited per user name: after
  /// kMaxSignInFailures failures within kSignInWindowSeconds further attempts are refused
  /// without checking (audited as "sign-in-failed" with reason "rate limited"). An unknown
  /// name costs as much time as a wrong password.
  /// When the attempt was refused by the rate limit (the password was not checked),
  /// `retry_after` (if given) is set to the seconds until the next attempt may be made,
  /// else to 0.
  std::optional<User> sign_in(const std::string& name, const std::string& password,
                              const std::string& client, std::int64_t* retry_after = nullptr);

  /// True when sign-in attempts for `name` are currently refused by the rate limit.
  bool sign_in_limited(const std::string& name);

  /// Seconds until `name` may try to sign in again (0 when not refused now).
  std::int64_t sign_in_retry_after(const std::string& name);

  /// Starts a session for `user` lasting `ttl_seconds` from now, with fresh random
  /// session and CSRF tokens. Nothing when the user no longer exists.
  std::optional<Session> create_session(const User& user, std::int64_t ttl_seconds);

  /// The session holding `token`, with its user as they are now; nothing when unknown,
  /// expired (it is then deleted) or when its user was removed.
  std::optional<Session> find_session(const std::string& token);

  /// Ends the session holding `token` (nothing happens when unknown); audits "sign-out" by
  /// `actor`.
  void end_session(const std::string& token, const std::string& actor);

  // --- screenings and decisions ------------------------------------------------------

  /// Records a screening (its `id` and `at` are ignored and set here) and audits
  /// "screening" by `s.by` with the request's name and hash, the versions and the
  /// verdict. Returns the new screening's id.
  std::int64_t record_screening(const Screening& s);

  /// The latest `limit` screenings, newest first (all when `limit` <= 0).
  std::vector<Screening> screenings(std::int64_t limit);

  /// The screening with this id, if any.
  std::optional<Screening> find_screening(std::int64_t id);

  /// Records a decision (its `at` is set here) after checking it: a non-empty
  /// fingerprint, a known decision, the rules in Decision's comment, and `by` naming a
  /// user whose role allows deciding (reviewer or admin). Audits "decision" by `d.by`.
  /// False with `error` (one sentence saying what to do) when refused.
  bool record_decision(const Decision& d, std::string& error);

  /// Every decision on `fingerprint`, oldest first.
  std::vector<Decision> decisions(const std::string& fingerprint);

  /// The latest decision on each fingerprint, by fingerprint.
  std::vector<Decision> current_decisions();

  /// The current decisions that are suppressions still in force on `as_of` (an ISO date:
  /// expires >= as_of), by fingerprint. These are what `scan --db` honours.
  std::vector<Decision> active_suppressions(const std::string& as_of);

  // --- notes and assignment ---------------------------------------------------------

  /// Adds a note (its `id` and `at` are set here) after checking it: a non-empty
  /// fingerprint, check_note's rules for the text, and `by` naming a reviewer or an admin.
  /// Audits "note" by `n.by` with the note's id and text. Returns the note's id, or 0 with
  /// `error` when refused.
  std::int64_t add_note(const Note& n, std::string& error);

  /// Every note on `fingerprint`, oldest first.
  std::vector<Note> notes(const std::string& fingerprint);

  /// Assigns a finding (its `at` is set here): `a.assignee` must name a reviewer or an
  /// admin, or be empty to unassign; `a.by` must be a reviewer or an admin. Audits
  /// "assignment" by `a.by` with the assignee (and the previous one, if any). False with
  /// `error` when refused.
  bool assign(const Assignment& a, std::string& error);

  /// Every assignment of `fingerprint`, oldest first (the last one is in force).
  std::vector<Assignment> assignments(const std::string& fingerprint);

  /// The assignee of each assigned finding (latest assignment not empty), by fingerprint.
  std::map<std::string, std::string> current_assignees();

  // --- when findings were first seen -------------------------------------------------

  /// Records now as the time each of `fingerprints` was first seen, for those not seen
  /// before (one transaction; not audited: it is bookkeeping, not a decision).
  void record_first_seen(const std::vector<std::string>& fingerprints);

  /// When the desk first saw each fingerprint ("2025-06-01T10:00:00Z"), by fingerprint.
  std::map<std::string, std::string> first_seen();

  // --- the audit trail ---------------------------------------------------------------

  /// Appends one entry to the audit trail, chained to the one before. `detail_json` must
  /// be a JSON object as text ("{}" when there is nothing to add).
  void audit(const std::string& actor, const std::string& action, const std::string& subject,
             const std::string& detail_json);

  /// The latest `limit` entries (all when `limit` <= 0) whose actor, action, subject or
  /// detail contains `search` (case-insensitive for ASCII; everything when empty), newest
  /// first.
  std::vector<AuditEntry> audit_entries(const std::string& search, std::int64_t limit);

  /// Every entry of the trail, oldest first (as read, without checking the chain).
  std::vector<AuditEntry> all_audit_entries();

  /// Recomputes every hash in seq order and reports the first entry whose hash, previous
  /// hash or sequence does not follow: changed, removed (also at the end of the trail) or
  /// reordered rows, whatever wrote them.
  AuditCheck verify_audit();

  /// For tests: the clock the store reads (seconds since the Unix epoch). Defaults to the
  /// system clock.
  void set_clock(std::function<std::int64_t()> now_unix);

 private:
  struct Impl;
  explicit DeskStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace twinscan::desk
