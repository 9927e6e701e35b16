#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace twinscan::desk {

/// One prepared SQLite statement with its parameters bound by position (1-based); reset
/// and unbound on destruction so that nothing leaks between uses. Text is never spliced
/// into SQL: every value goes through bind().
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);

  /// Steps once: true when a row is ready, false when done. Throws DeskError on failure
  /// (a constraint, a trigger's refusal, a corrupt file).
  bool step();
  /// Runs to completion, ignoring rows.
  void run();

  std::string text(int column) const;
  std::int64_t integer(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// The SQLite connection of the desk: opened with foreign keys on, the WAL journal and a
/// busy timeout, closed on destruction.
class Database {
 public:
  /// Opens `path` (created when `create`); nothing with `error` when it cannot be opened.
  static std::optional<Database> open(const std::string& path, bool create, std::string& error);
  Database(Database&& other) noexcept;
  Database& operator=(Database&&) = delete;
  ~Database();

  /// Runs statements that take no parameters (schema, pragmas); throws DeskError.
  void exec(const char* sql);
  sqlite3* handle() const { return db_; }
  std::int64_t last_insert_id() const;
  /// The number of rows the last statement changed.
  int changes() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

/// A transaction that rolls back unless committed; IMMEDIATE so that it writes or waits.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace twinscan::desk
