#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/desk/database.h"
#include "analyzer/desk/desk_store.h"

/// The desk's records checked against the audit trail that says how each came to be.
namespace twinscan::desk {

/// A record that the trail does not account for.
struct RecordMismatch {
  std::int64_t seq = 0;  ///< The audit entry it differs from; 0 when it has none.
  std::string why;       ///< "record changed: …", "record removed: …" or "record added: …".
};

/// Compares the decisions, notes, assignments and screenings (each in the order written)
/// with the entries that recorded them, field by field as the entries' details were
/// made, and the users with the additions and removals of the trail. A record edited,
/// deleted or inserted behind the desk's back, even with the trail's own rows left
/// intact, shows here. `entries` is the whole trail in seq order, already verified.
std::optional<RecordMismatch> check_records(Database& db, const std::vector<AuditEntry>& entries);

}  // namespace twinscan::desk
