#include "analyzer/desk/audit_chain.h"

#include <algorithm>

#include "analyzer/desk/crypto.h"

namespace twinscan::desk {
namespace {

void append_field(std::string& out, std::string_view field) {
  const auto size = static_cast<std::uint64_t>(field.size());
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((size >> shift) & 0xFFU));
  }
  out.append(field);
}

AuditCheck broken(std::int64_t entries, std::int64_t seq, std::string why) {
  return {false, entries, seq, std::move(why)};
}

}  // namespace

const std::string kGenesisHash(64, '0');

std::string chain_hash(const AuditEntry& entry) {
  std::string data;
  append_field(data, "twinscan-audit/1");
  append_field(data, entry.prev_hash);
  append_field(data, std::to_string(entry.seq));
  append_field(data, entry.at);
  append_field(data, entry.actor);
  append_field(data, entry.action);
  append_field(data, entry.subject);
  append_field(data, entry.detail_json);
  return sha256_hex(data);
}

AuditCheck verify_chain(const std::vector<AuditEntry>& entries, std::int64_t head_seq,
                        const std::string& head_hash) {
  const auto count = static_cast<std::int64_t>(entries.size());
  std::string prev = kGenesisHash;
  std::int64_t expected = 1;
  for (const auto& e : entries) {
    if (e.seq > expected) {
      return broken(count, expected,
                    "removed: no entry has this sequence number (the trail jumps to entry " +
                        std::to_string(e.seq) + ")");
    }
    if (e.seq < expected) {
      return broken(count, e.seq, "reordered: the entries are not numbered from 1 in order");
    }
    if (!equal_in_constant_time(chain_hash(e), e.hash)) {
      // An entry moved to another place still hashes right under its old number.
      const std::int64_t last = std::max(count, entries.back().seq) + 1;
      AuditEntry moved = e;
      for (std::int64_t s = 1; s <= last; ++s) {
        if (s == e.seq) continue;
        moved.seq = s;
        if (chain_hash(moved) == e.hash) {
          return broken(count, e.seq, "reordered: it holds what was entry " + std::to_string(s));
        }
      }
      return broken(count, e.seq, "changed: its fields do not match its hash");
    }
    if (e.prev_hash != prev) {
      if (expected == 1) {
        return broken(count, 1, "changed: the first entry does not start the chain");
      }
      return broken(count, expected - 1,
                    "changed: its hash was rewritten, so entry " + std::to_string(e.seq) +
                        " no longer follows it");
    }
    prev = e.hash;
    ++expected;
  }
  const std::int64_t last_seq = expected - 1;
  if (head_seq > last_seq) {
    return broken(count, last_seq + 1,
                  "removed: the trail ends at entry " + std::to_string(last_seq) +
                      " but reached entry " + std::to_string(head_seq));
  }
  if (head_seq != 0 && head_seq == last_seq && head_hash != prev) {
    return broken(count, last_seq, "changed: it is not the entry last appended");
  }
  if (head_seq < last_seq && last_seq > 0) {
    return broken(count, head_seq + 1, "changed: it was added outside the desk");
  }
  return {true, count, 0, {}};
}

}  // namespace twinscan::desk
