// The reviewer's desk store: users and their Argon2id hashes, sign-in and its rate limit,
// sessions, decisions and their history, the hash-chained audit trail and how tampering
// with it from outside the store is found, and the desk's suppressions as scan --db reads
// them.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "analyzer/cli/desk_options.h"
#include "analyzer/desk/audit_chain.h"
#include "analyzer/desk/desk_store.h"
#include "analyzer/model/date.h"

namespace fs = std::filesystem;
using namespace twinscan;
using desk::DeskStore;
using desk::Role;

namespace {

const std::string kPassword = "correct horse battery";

/// A desk database in a scratch folder, removed with the folder when the test ends.
struct ScratchDesk {
  fs::path dir;
  std::string path;
  std::int64_t now = 1'750'000'000;  // 2025-06-15T15:06:40Z
  std::unique_ptr<DeskStore> store;

  explicit ScratchDesk(const std::string& name)
      : dir(fs::temp_directory_path() /
            ("twinscan-desk-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    path = (dir / "desk.sqlite").string();
    reopen(true);
  }
  ~ScratchDesk() {
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  ScratchDesk(const ScratchDesk&) = delete;
  ScratchDesk& operator=(const ScratchDesk&) = delete;

  void reopen(bool create = false) {
    store.reset();
    std::string error;
    store = DeskStore::open(path, create, error);
    REQUIRE(store);
    INFO(error);
    store->set_clock([this] { return now; });
  }

  desk::User add(const std::string& name, Role role) {
    std::string error;
    REQUIRE(store->add_user(name, role, kPassword, "test", error));
    return *store->find_user(name);
  }

  /// Runs SQL on the file through a connection of its own, as the sqlite3 tool would.
  void tamper(const std::string& sql) {
    store.reset();
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string what = message != nullptr ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    INFO(what);
    REQUIRE(rc == SQLITE_OK);
    reopen();
  }

  std::string file_bytes() const {
    std::string all;
    for (const auto* suffix : {"", "-wal"}) {
      std::ifstream in(path + suffix, std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), {});
    }
    return all;
  }
};

/// Six entries: two users added, a sign-in, three decisions.
void fill_trail(ScratchDesk& d) {
  d.add("alice", Role::kReviewer);
  d.add("bob", Role::kAdmin);
  REQUIRE(d.store->sign_in("alice", kPassword, "127.0.0.1"));
  std::string error;
  for (const auto* fp : {"aaaa000000000001", "aaaa000000000002", "aaaa000000000003"}) {
    REQUIRE(d.store->record_decision({fp, "confirmed", "", "", "alice", ""}, error));
  }
  REQUIRE(d.store->verify_audit().intact);
  REQUIRE(d.store->verify_audit().entries == 6);
}

}  // namespace

TEST_CASE("desk roles: names read back and admin > reviewer > viewer", "[desk]") {
  for (const Role r : {Role::kViewer, Role::kReviewer, Role::kAdmin}) {
    CHECK(desk::parse_role(desk::role_name(r)) == r);
  }
  CHECK_FALSE(desk::parse_role("Admin"));
  CHECK_FALSE(desk::parse_role(""));
  CHECK(desk::role_allows(Role::kAdmin, Role::kReviewer));
  CHECK(desk::role_allows(Role::kReviewer, Role::kReviewer));
  CHECK_FALSE(desk::role_allows(Role::kViewer, Role::kReviewer));
  CHECK_FALSE(desk::role_allows(Role::kReviewer, Role::kAdmin));
}

TEST_CASE("desk store: a user's password is stored as an Argon2id hash and checks back", "[desk]") {
  ScratchDesk d("argon2id");
  d.add("alice", Role::kReviewer);
  d.store.reset();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(d.path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT password_hash FROM users WHERE name = 'alice'", -1, &stmt,
                             nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const std::string hash = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(hash.find(kPassword) == std::string::npos);
  d.reopen();
  CHECK(d.file_bytes().find(kPassword) == std::string::npos);
  const auto user = d.store->sign_in("alice", kPassword, "test");
  REQUIRE(user);
  CHECK(user->name == "alice");
  CHECK(user->role == Role::kReviewer);
}

TEST_CASE("desk store: users are added once, listed by name and removed", "[desk]") {
  ScratchDesk d("users");
  d.add("zoe", Role::kViewer);
  d.add("alice", Role::kAdmin);
  std::string error;
  CHECK_FALSE(d.store->add_user("alice", Role::kViewer, kPassword, "test", error));
  CHECK(error == "a user called alice exists already");
  CHECK_FALSE(d.store->add_user("bob", Role::kViewer, "short", "test", error));
  CHECK(error.find("shorter than 12") != std::string::npos);
  CHECK_FALSE(d.store->add_user("bad name", Role::kViewer, kPassword, "test", error));
  CHECK_FALSE(d.store->add_user("", Role::kViewer, kPassword, "test", error));
  const auto users = d.store->users();
  REQUIRE(users.size() == 2);
  CHECK(users[0].name == "alice");
  CHECK(users[0].role == Role::kAdmin);
  CHECK(users[0].created_at == "2025-06-15T15:06:40Z");
  CHECK(users[1].name == "zoe");
  CHECK(d.store->remove_user("zoe", "test", error));
  CHECK_FALSE(d.store->remove_user("zoe", "test", error));
  CHECK(d.store->users().size() == 1);
  const auto trail = d.store->audit_entries("", 0);
  REQUIRE(trail.size() == 3);
  CHECK(trail[0].action == "user-removed");  // newest first
  CHECK(trail[0].subject == "zoe");
  CHECK(trail[2].action == "user-added");
  CHECK(trail[2].detail_json == R"({"role": "viewer"})");
}

TEST_CASE("desk store: a wrong password or unknown user signs nobody in and is audited", "[desk]") {
  ScratchDesk d("wrong-password");
  d.add("alice", Role::kReviewer);
  CHECK_FALSE(d.store->sign_in("alice", "not the password", "10.0.0.7"));
  CHECK_FALSE(d.store->sign_in("mallory", kPassword, "10.0.0.7"));
  const auto failed = d.store->audit_entries("sign-in-failed", 0);
  REQUIRE(failed.size() == 2);
  CHECK(failed[0].detail_json == R"({"client": "10.0.0.7", "reason": "unknown user"})");
  CHECK(failed[1].detail_json == R"({"client": "10.0.0.7", "reason": "wrong password"})");
  CHECK(d.store->sign_in("alice", kPassword, "10.0.0.7"));
  CHECK(d.store->audit_entries("", 1)[0].action == "sign-in");
}

TEST_CASE(
    "desk store: after five failed sign-ins in 15 minutes even the right password is "
    "refused until the window passes",
    "[desk]") {
  ScratchDesk d("rate-limit");
  d.add("alice", Role::kReviewer);
  for (int i = 0; i < desk::kMaxSignInFailures; ++i) {
    CHECK_FALSE(d.store->sign_in("alice", "guess number " + std::to_string(i), "x"));
    d.now += 60;
  }
  CHECK(d.store->sign_in_limited("alice"));
  CHECK_FALSE(d.store->sign_in("alice", kPassword, "x"));
  CHECK(d.store->audit_entries("", 1)[0].detail_json ==
        R"({"client": "x", "reason": "rate limited"})");
  CHECK_FALSE(d.store->sign_in_limited("bob"));  // per user name
  d.now += desk::kSignInWindowSeconds;
  CHECK_FALSE(d.store->sign_in_limited("alice"));
  CHECK(d.store->sign_in("alice", kPassword, "x"));
}

TEST_CASE("desk store: sessions hold random tokens, find their user and end or expire", "[desk]") {
  ScratchDesk d("sessions");
  const auto alice = d.add("alice", Role::kReviewer);
  const auto s = d.store->create_session(alice, 3600);
  REQUIRE(s);
  CHECK(s->token.size() == 64);
  CHECK(s->csrf_token.size() == 64);
  CHECK(s->token != s->csrf_token);
  CHECK(s->token.find_first_not_of("0123456789abcdef") == std::string::npos);
  const auto other = d.store->create_session(alice, 3600);
  REQUIRE(other);
  CHECK(other->token != s->token);
  CHECK(d.file_bytes().find(s->token) == std::string::npos);  // only its hash is kept

  const auto found = d.store->find_session(s->token);
  REQUIRE(found);
  CHECK(found->user.name == "alice");
  CHECK(found->csrf_token == s->csrf_token);
  CHECK(found->expires_unix == d.now + 3600);
  CHECK_FALSE(d.store->find_session(std::string(64, '0')));
  CHECK_FALSE(d.store->find_session("' OR 1=1 --"));

  d.store->end_session(s->token, "alice");
  CHECK_FALSE(d.store->find_session(s->token));
  CHECK(d.store->audit_entries("", 1)[0].action == "sign-out");

  d.now += 3600;
  CHECK_FALSE(d.store->find_session(other->token));
  d.now -= 3600;
  CHECK_FALSE(d.store->find_session(other->token));  // deleted once found expired

  const auto third = d.store->create_session(alice, 3600);
  std::string error;
  REQUIRE(d.store->remove_user("alice", "test", error));
  CHECK_FALSE(d.store->find_session(third->token));
  CHECK_FALSE(d.store->create_session(alice, 3600));
}

TEST_CASE("desk store: decisions are checked, kept as a history and the latest is current",
          "[desk]") {
  ScratchDesk d("decisions");
  d.add("alice", Role::kReviewer);
  d.add("val", Role::kViewer);
  std::string error;
  const std::string fp = "861ab8aee1d464c0";
  CHECK_FALSE(d.store->record_decision({fp, "ignored", "", "", "alice", ""}, error));
  CHECK(error == "a decision is confirmed, dismissed or suppressed, not 'ignored'");
  CHECK_FALSE(d.store->record_decision({fp, "dismissed", "", "", "alice", ""}, error));
  CHECK(error.find("a dismissal needs a reason") == 0);
  CHECK_FALSE(d.store->record_decision({fp, "suppressed", "", "2027-01-01", "alice", ""}, error));
  CHECK(error.find("a suppression needs a justification") == 0);
  CHECK_FALSE(d.store->record_decision({fp, "suppressed", "Why", "", "alice", ""}, error));
  CHECK(error.find("a suppression needs an expiry date") == 0);
  CHECK_FALSE(
      d.store->record_decision({fp, "suppressed", "Why", "2027-02-30", "alice", ""}, error));
  CHECK_FALSE(d.store->record_decision({fp, "suppressed", "Why", "2027", "alice", ""}, error));
  CHECK_FALSE(d.store->record_decision({fp, "confirmed", "", "2027-01-01", "alice", ""}, error));
  CHECK_FALSE(d.store->record_decision({"", "confirmed", "", "", "alice", ""}, error));
  CHECK_FALSE(d.store->record_decision({fp, "confirmed", "", "", "val", ""}, error));
  CHECK(error == "val is a viewer; only a reviewer or an admin decides");
  CHECK_FALSE(d.store->record_decision({fp, "confirmed", "", "", "nobody", ""}, error));
  CHECK(d.store->decisions(fp).empty());

  REQUIRE(d.store->record_decision({fp, "confirmed", "", "", "alice", ""}, error));
  d.now += 60;
  REQUIRE(d.store->record_decision(
      {fp, "suppressed", "Notified by letter.", "2025-12-31", "alice", ""}, error));
  REQUIRE(d.store->record_decision({"other", "dismissed", "Wrong match.", "", "alice", ""}, error));
  const auto history = d.store->decisions(fp);
  REQUIRE(history.size() == 2);
  CHECK(history[0].decision == "confirmed");
  CHECK(history[1].decision == "suppressed");
  CHECK(history[1].at == "2025-06-15T15:07:40Z");
  const auto current = d.store->current_decisions();
  REQUIRE(current.size() == 2);
  CHECK(current[0].fingerprint == fp);
  CHECK(current[0].decision == "suppressed");
  CHECK(current[1].decision == "dismissed");
  CHECK(d.store->active_suppressions("2025-12-31").size() == 1);
  CHECK(d.store->active_suppressions("2026-01-01").empty());
  const auto audited = d.store->audit_entries(fp, 1);
  REQUIRE(audited.size() == 1);
  CHECK(audited[0].action == "decision");
  CHECK(audited[0].actor == "alice");
  CHECK(audited[0].detail_json ==
        R"({"decision": "suppressed", "justification": "Notified by letter.", )"
        R"("expires": "2025-12-31"})");
}

TEST_CASE("desk store: screenings are kept newest first and audited with their versions",
          "[desk]") {
  ScratchDesk d("screenings");
  desk::Screening s{0,       "",    "alice",    "ashdod-ningbo-port-mou.json", "ab12",
                    "reg-1", "r-2", "escalate", R"({"verdict": "escalate"})"};
  const auto first = d.store->record_screening(s);
  s.verdict = "clear";
  const auto second = d.store->record_screening(s);
  CHECK(second > first);
  const auto list = d.store->screenings(0);
  REQUIRE(list.size() == 2);
  CHECK(list[0].id == second);
  CHECK(list[1].verdict == "escalate");
  CHECK(d.store->find_screening(first)->result_json == R"({"verdict": "escalate"})");
  CHECK(d.store->screenings(1).size() == 1);
  const auto entry = d.store->audit_entries("", 0).back();
  CHECK(entry.action == "screening");
  CHECK(entry.subject == "ashdod-ningbo-port-mou.json");
  CHECK(entry.detail_json == R"({"screening": 1, "request_sha256": "ab12", )"
                             R"("registry_version": "reg-1", "rules_version": "r-2", )"
                             R"("verdict": "escalate"})");
}

TEST_CASE("desk audit: each entry holds the hash of the one before; the trail verifies intact",
          "[desk]") {
  ScratchDesk d("chain");
  CHECK(d.store->verify_audit().intact);
  CHECK(d.store->verify_audit().entries == 0);
  fill_trail(d);
  const auto all = d.store->all_audit_entries();
  REQUIRE(all.size() == 6);
  CHECK(all[0].prev_hash == desk::kGenesisHash);
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i].seq == static_cast<std::int64_t>(i + 1));
    CHECK(all[i].hash == desk::chain_hash(all[i]));
    if (i > 0) CHECK(all[i].prev_hash == all[i - 1].hash);
  }
  d.reopen();
  CHECK(d.store->verify_audit().intact);
}

TEST_CASE("desk audit: the store's own connection cannot update or delete an entry", "[desk]") {
  ScratchDesk d("triggers");
  fill_trail(d);
  d.store.reset();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(d.path.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "UPDATE audit SET detail_json = '{}' WHERE seq = 2", nullptr, nullptr,
                     nullptr) == SQLITE_CONSTRAINT);
  CHECK(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 2", nullptr, nullptr, nullptr) ==
        SQLITE_CONSTRAINT);
  sqlite3_close(db);
  d.reopen();
  CHECK(d.store->verify_audit().intact);
}

TEST_CASE("desk audit tamper: an entry changed behind the store's back is named", "[desk]") {
  ScratchDesk d("tamper-changed");
  fill_trail(d);
  d.tamper(
      "DROP TRIGGER audit_is_append_only_update;"
      "UPDATE audit SET detail_json = '{\"decision\": \"dismissed\"}' WHERE seq = 4");
  const auto check = d.store->verify_audit();
  CHECK_FALSE(check.intact);
  CHECK(check.first_broken_seq == 4);
  CHECK(check.why.rfind("changed", 0) == 0);
}

TEST_CASE("desk audit tamper: records changed with the trail left intact are named", "[desk]") {
  // Each case tampers a fresh desk holding three decisions, a note and an assignment.
  struct Case {
    const char* sql;
    const char* why;  // the start of AuditCheck::why
    std::int64_t seq;
  };
  const Case cases[] = {
      {"UPDATE decisions SET decision = 'suppressed', justification = 'ok', expires = "
       "'2099-12-31' WHERE id = 2",
       "record changed: decision 2 (finding aaaa000000000002)", 5},
      {"DELETE FROM decisions", "record removed: the decision this entry records", 4},
      {"INSERT INTO decisions (fingerprint, decision, justification, expires, by, at) VALUES "
       "('aaaa000000000009', 'dismissed', 'x', '', 'alice', '2025-06-15T00:00:00Z')",
       "record added: decision 4 (finding aaaa000000000009)", 0},
      {"UPDATE notes SET text = 'nothing to see'", "record changed: note 1", 7},
      {"UPDATE assignments SET assignee = 'bob'", "record changed: assignment 1", 8},
      {"UPDATE users SET role = 'admin' WHERE name = 'alice'",
       "record changed: the user alice has the role admin", 1},
      {"DELETE FROM users WHERE name = 'bob'", "record removed: the user bob", 2},
      // The whole trail emptied, and its head set back: the records remain.
      {"DROP TRIGGER audit_is_append_only_delete; DELETE FROM audit; UPDATE audit_head SET "
       "seq = 0, hash = '0000000000000000000000000000000000000000000000000000000000000000'",
       "record added: decision 1", 0},
  };
  for (const Case& c : cases) {
    ScratchDesk d("tamper-records");
    fill_trail(d);
    std::string error;
    REQUIRE(d.store->add_note({0, "aaaa000000000001", "Letter sent.", "alice", ""}, error) > 0);
    REQUIRE(d.store->assign({"aaaa000000000001", "alice", "alice", ""}, error));
    REQUIRE(d.store->verify_audit().intact);
    d.tamper(c.sql);
    const auto check = d.store->verify_audit();
    INFO(c.sql << " -> " << check.why);
    CHECK_FALSE(check.intact);
    CHECK(check.why.rfind(c.why, 0) == 0);
    CHECK(check.first_broken_seq == c.seq);
  }
}

TEST_CASE("desk audit tamper: an entry deleted behind the store's back is named", "[desk]") {
  ScratchDesk d("tamper-removed");
  fill_trail(d);
  d.tamper("DROP TRIGGER audit_is_append_only_delete; DELETE FROM audit WHERE seq = 3");
  const auto check = d.store->verify_audit();
  CHECK_FALSE(check.intact);
  CHECK(check.first_broken_seq == 3);
  CHECK(check.why.rfind("removed", 0) == 0);
}

TEST_CASE("desk audit tamper: the last entry deleted is found, and stays found after new entries",
          "[desk]") {
  ScratchDesk d("tamper-removed-last");
  fill_trail(d);
  d.tamper("DROP TRIGGER audit_is_append_only_delete; DELETE FROM audit WHERE seq = 6");
  auto check = d.store->verify_audit();
  CHECK_FALSE(check.intact);
  CHECK(check.first_broken_seq == 6);
  CHECK(check.why.rfind("removed", 0) == 0);
  d.add("carol", Role::kViewer);  // appended as entry 7: the gap remains
  check = d.store->verify_audit();
  CHECK_FALSE(check.intact);
  CHECK(check.first_broken_seq == 6);
}

TEST_CASE("desk audit tamper: two entries swapped behind the store's back are named", "[desk]") {
  ScratchDesk d("tamper-reordered");
  fill_trail(d);
  d.tamper(
      "DROP TRIGGER audit_is_append_only_update;"
      "UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 5;"
      "UPDATE audit SET seq = 5 WHERE seq = -2");
  const auto check = d.store->verify_audit();
  CHECK_FALSE(check.intact);
  CHECK(check.first_broken_seq == 2);
  CHECK(check.why == "reordered: it holds what was entry 5");
}

TEST_CASE("desk audit tamper: an entry rewritten with a recomputed hash breaks the next link",
          "[desk]") {
  ScratchDesk d("tamper-rehashed");
  fill_trail(d);
  auto e = d.store->all_audit_entries()[2];
  e.subject = "mallory";
  const std::string forged = desk::chain_hash(e);
  d.tamper(
      "DROP TRIGGER audit_is_append_only_update; UPDATE audit SET subject = 'mallory', "
      "hash = '" +
      forged + "' WHERE seq = 3");
  const auto check = d.store->verify_audit();
  CHECK_FALSE(check.intact);
  CHECK(check.first_broken_seq == 3);
  CHECK(check.why.rfind("changed", 0) == 0);
}

TEST_CASE("desk store: a file that is not a desk database is refused with a reason", "[desk]") {
  ScratchDesk d("not-a-desk");
  const std::string junk = (d.dir / "junk.sqlite").string();
  std::ofstream(junk) << "not sqlite at all, just text that is long enough to be a header";
  std::string error;
  CHECK_FALSE(DeskStore::open(junk, false, error));
  CHECK(error == "not a desk database (not an SQLite file)");
  CHECK_FALSE(DeskStore::open((d.dir / "missing.sqlite").string(), false, error));
  CHECK(error == "no such file");
  CHECK_FALSE(fs::exists(d.dir / "missing.sqlite"));
}

TEST_CASE("scan --db: the desk's current suppressions set findings aside like a suppression file",
          "[desk]") {
  ScratchDesk d("scan-db");
  d.add("alice", Role::kReviewer);
  std::string error;
  REQUIRE(d.store->record_decision(
      {"fp-suppressed", "suppressed", "Notified by letter.", "2026-06-30", "alice", ""}, error));
  // Recorded in 2024, when its expiry lay ahead; it has passed since.
  const std::int64_t today = d.now;
  d.now = 1'704'067'200;  // 2024-01-01
  REQUIRE(d.store->record_decision(
      {"fp-expired", "suppressed", "Old reason.", "2025-01-31", "alice", ""}, error));
  d.now = today;
  REQUIRE(d.store->record_decision(
      {"fp-lifted", "suppressed", "At first.", "2026-06-30", "alice", ""}, error));
  REQUIRE(d.store->record_decision({"fp-lifted", "confirmed", "", "", "alice", ""}, error));

  report::ReportContext context;
  for (const auto* fp : {"fp-suppressed", "fp-expired", "fp-lifted", "fp-other"}) {
    rules::Finding f;
    f.fingerprint = fp;
    context.findings.push_back(f);
  }
  diag::Diagnostics diagnostics;
  const auto suppressions = cli::desk_suppressions(*d.store, d.path);
  REQUIRE(suppressions.size() == 2);  // the lifted one's latest decision is "confirmed"
  report::apply_suppression_list(suppressions, *model::parse_date("2026-01-01"), context,
                                 diagnostics);
  REQUIRE(context.suppressed.size() == 1);
  CHECK(context.suppressed[0].finding.fingerprint == "fp-suppressed");
  CHECK(context.suppressed[0].justification == "Notified by letter.");
  CHECK(context.suppressed[0].author == "alice");
  CHECK(context.suppressed[0].expires == "2026-06-30");
  REQUIRE(context.findings.size() == 3);
  CHECK(context.findings[0].fingerprint == "fp-expired");
  std::ostringstream printed;
  diagnostics.print(printed);
  CHECK(printed.str().find("the suppression of fp-expired expired on 2025-01-31; the finding is "
                           "reported again") != std::string::npos);
}
