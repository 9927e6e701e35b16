#pragma once

#include <string>

#include "analyzer/desk/database.h"

/// The tables of the desk database and their version.
namespace twinscan::desk {

/// The schema version this build writes and reads.
inline constexpr int kSchemaVersion = 1;

/// Sets the connection's pragmas (foreign keys, WAL journal, full sync), then creates the
/// tables in a database that has none when `create`, or checks that the database holds
/// the desk's tables at kSchemaVersion. False with `error` (a sentence) when the file is
/// not SQLite, not a desk database, or from a newer version.
bool prepare_schema(Database& db, bool create, std::string& error);

}  // namespace twinscan::desk
