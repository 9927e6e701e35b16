#include "analyzer/desk/record_check.h"

#include <map>

#include "analyzer/desk/detail_json.h"

namespace twinscan::desk {
namespace {

/// What an audit entry says of the record it was written with.
struct Expected {
  std::string actor;
  std::string subject;
  std::string detail_json;
};

/// The records of one table, in the order written, against the trail's entries of one
/// action, in order: the first that differs.
std::optional<RecordMismatch> compare(
    const std::vector<AuditEntry>& entries, const std::string& action, const std::string& noun,
    const std::vector<std::pair<std::string, Expected>>& records) {
  std::vector<const AuditEntry*> written;
  for (const auto& e : entries) {
    if (e.action == action) written.push_back(&e);
  }
  for (std::size_t i = 0; i < std::max(records.size(), written.size()); ++i) {
    if (i >= written.size()) {
      return RecordMismatch{0, "record added: " + noun + " " + records[i].first +
                                   " is in the database but no audit entry records it"};
    }
    const AuditEntry& e = *written[i];
    if (i >= records.size()) {
      return RecordMismatch{e.seq, "record removed: the " + noun + " this entry records (" +
                                       e.subject + ") is no longer in the database"};
    }
    const Expected& x = records[i].second;
    if (x.actor != e.actor || x.subject != e.subject || x.detail_json != e.detail_json) {
      return RecordMismatch{e.seq, "record changed: " + noun + " " + records[i].first +
                                       " is not what this entry records"};
    }
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, Expected>> decisions(Database& db) {
  std::vector<std::pair<std::string, Expected>> out;
  Statement rows(db.handle(),
                 "SELECT id, fingerprint, decision, justification, expires, by FROM decisions "
                 "ORDER BY id");
  while (rows.step()) {
    out.push_back({std::to_string(rows.integer(0)) + " (finding " + rows.text(1) + ")",
                   {rows.text(5), rows.text(1),
                    DetailJson()
                        .add("decision", rows.text(2))
                        .add_if("justification", rows.text(3))
                        .add_if("expires", rows.text(4))
                        .str()}});
  }
  return out;
}

std::vector<std::pair<std::string, Expected>> notes(Database& db) {
  std::vector<std::pair<std::string, Expected>> out;
  Statement rows(db.handle(), "SELECT id, fingerprint, text, by FROM notes ORDER BY id");
  while (rows.step()) {
    out.push_back({std::to_string(rows.integer(0)) + " (finding " + rows.text(1) + ")",
                   {rows.text(3), rows.text(1),
                    DetailJson().add("note", rows.integer(0)).add("text", rows.text(2)).str()}});
  }
  return out;
}

std::vector<std::pair<std::string, Expected>> assignments(Database& db) {
  std::vector<std::pair<std::string, Expected>> out;
  std::map<std::string, std::string> assignee_of;  // the assignee before, as written
  Statement rows(db.handle(), "SELECT id, fingerprint, assignee, by FROM assignments ORDER BY id");
  while (rows.step()) {
    const std::string fingerprint = rows.text(1);
    std::string& before = assignee_of[fingerprint];
    out.push_back({std::to_string(rows.integer(0)) + " (finding " + fingerprint + ")",
                   {rows.text(3), fingerprint,
                    DetailJson().add("assignee", rows.text(2)).add_if("previous", before).str()}});
    before = rows.text(2);
  }
  return out;
}

std::vector<std::pair<std::string, Expected>> screenings(Database& db) {
  std::vector<std::pair<std::string, Expected>> out;
  Statement rows(db.handle(),
                 "SELECT id, by, request_name, request_sha256, registry_version, rules_version, "
                 "verdict FROM screenings ORDER BY id");
  while (rows.step()) {
    out.push_back({std::to_string(rows.integer(0)) + " (" + rows.text(2) + ")",
                   {rows.text(1), rows.text(2),
                    DetailJson()
                        .add("screening", rows.integer(0))
                        .add("request_sha256", rows.text(3))
                        .add("registry_version", rows.text(4))
                        .add("rules_version", rows.text(5))
                        .add("verdict", rows.text(6))
                        .str()}});
  }
  return out;
}

// The users are what the trail's additions and removals leave, each with its role.
std::optional<RecordMismatch> compare_users(Database& db, const std::vector<AuditEntry>& entries) {
  std::map<std::string, std::pair<std::string, std::int64_t>> expected;  // name: detail, seq
  for (const auto& e : entries) {
    if (e.action == "user-added") expected[e.subject] = {e.detail_json, e.seq};
    if (e.action == "user-removed") expected.erase(e.subject);
  }
  Statement rows(db.handle(), "SELECT name, role FROM users ORDER BY name");
  std::map<std::string, std::string> found;
  while (rows.step()) found[rows.text(0)] = rows.text(1);
  for (const auto& [name, role] : found) {
    const auto it = expected.find(name);
    if (it == expected.end()) {
      return RecordMismatch{0, "record added: the user " + name +
                                   " is in the database but no audit entry added them"};
    }
    if (DetailJson().add("role", role).str() != it->second.first) {
      return RecordMismatch{it->second.second, "record changed: the user " + name +
                                                   " has the role " + role +
                                                   ", which this entry did not give"};
    }
  }
  for (const auto& [name, added] : expected) {
    if (!found.contains(name)) {
      return RecordMismatch{added.second, "record removed: the user " + name +
                                              " this entry added is gone, with no entry "
                                              "removing them"};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<RecordMismatch> check_records(Database& db, const std::vector<AuditEntry>& entries) {
  if (auto m = compare(entries, "decision", "decision", decisions(db))) return m;
  if (auto m = compare(entries, "note", "note", notes(db))) return m;
  if (auto m = compare(entries, "assignment", "assignment", assignments(db))) return m;
  if (auto m = compare(entries, "screening", "screening", screenings(db))) return m;
  return compare_users(db, entries);
}

}  // namespace twinscan::desk
