#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/desk/desk_store.h"

/// The hash chain of the audit trail, apart from where the entries are kept.
namespace twinscan::desk {

/// The previous hash of the first entry: 64 zeros.
extern const std::string kGenesisHash;

/// The hash of `entry` chained to `entry.prev_hash`: SHA-256, as hex, over a version tag
/// and, for each of prev_hash, seq (decimal), at, actor, action, subject and detail_json,
/// its length as 8 bytes big-endian followed by its bytes. The stored `hash` is ignored.
std::string chain_hash(const AuditEntry& entry);

/// Checks `entries` (as read, in seq order) against the chain, and against the last seq
/// and hash recorded when the latest entry was appended (`head_seq` 0: none recorded).
/// Names the first entry that does not follow: "changed" (its fields do not give its
/// hash), "removed" (a gap in seq, a previous hash that belongs to no entry, or entries
/// missing at the end) or "reordered" (it stands where another entry was).
AuditCheck verify_chain(const std::vector<AuditEntry>& entries, std::int64_t head_seq,
                        const std::string& head_hash);

}  // namespace twinscan::desk
