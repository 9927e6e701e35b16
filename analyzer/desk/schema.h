#pragma once

#include <string>

#include "analyzer/desk/database.h"

/// The tables of the desk database and their version.
namespace twinscan::desk {

/// The schema version this build writes and reads. Version 2 added the table first_seen
/// (fingerprint, at); version 3 the tables notes and assignments. A database of an older
/// version gains what it lacks when opened.
inline constexpr int kSchemaVersion = 3;

/// Sets the connection's pragmas (foreign keys, WAL journal, full sync), then creates the
/// tables in a database that has none when `create`, or checks that the database holds
/// the desk's tables at kSchemaVersion (migrating a version 1 or 2 database to it). False with
/// `error` (a sentence) when the file is not SQLite, not a desk database, or from a newer version.
bool prepare_schema(Database& db, bool create, std::string& error);

}  // namespace twinscan::desk
