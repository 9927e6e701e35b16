#include "analyzer/rules/finding.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "analyzer/rules/work_board.h"
#include "analyzer/util/hash.h"
#include "analyzer/util/prefetch.h"

namespace twinscan::rules {

bool finding_order(const Finding& a, const Finding& b) {
  if (a.severity != b.severity) return a.severity > b.severity;
  // Findings of one rule (the commonest comparison) share the rule: no text to compare.
  if (a.rule != b.rule && a.rule->id != b.rule->id) return a.rule->id < b.rule->id;
  return a.bindings < b.bindings;
}

namespace {

// Appends `text` so that bytewise order of encodings is the order of texts, and ends
// it with a byte that sorts before any encoded byte: 0 is written as 1 1 and 1 as 1 2,
// then 0 ends the text. A text that is a prefix of another then sorts first, as it
// does in std::string's comparison (which compares bytes as unsigned char).
void append_ordered(std::string& out, std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 1) {
      out.push_back('\x01');
      out.push_back(static_cast<char>(byte + 1));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\0');
}

// The eight bytes of `text` (of `size` bytes) from `from`, as a big-endian number, zeros
// past its end: of two encoded texts that agree before `from`, the one with the smaller
// head sorts first, and equal heads say nothing. (A text ends with a 0 that no encoded
// byte equals, so one that ends within the eight bytes is a prefix of the other there,
// and sorts first, as its zeros do.)
std::uint64_t ordered_head(const char* text, std::size_t size, std::size_t from) {
  std::uint64_t head = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t at = from + i;
    head = head << 8 | (at < size ? static_cast<unsigned char>(text[at]) : 0U);
  }
  return head;
}

// How many leading bytes every key's text shares with the first one's.
template <typename Keys>
std::size_t common_prefix(const Keys& keys) {
  if (keys.empty()) return 0;
  const char* first = keys.front().text;
  std::size_t shared = keys.front().size;
  for (const auto& k : keys) {
    shared = std::min(shared, k.size);
    std::size_t i = 0;
    while (i < shared && k.text[i] == first[i]) ++i;
    shared = i;
    if (shared == 0) break;
  }
  return shared;
}

}  // namespace

void sort_findings(std::vector<Finding>& findings, WorkBoard* board) {
  // The rank of each rule's id among the ids: equal ids share a rank.
  std::unordered_map<const Rule*, std::uint32_t> rank;
  {
    std::vector<const Rule*> distinct;
    const Rule* last = nullptr;
    for (const auto& f : findings) {
      if (f.rule != last && rank.try_emplace(f.rule, 0).second) distinct.push_back(f.rule);
      last = f.rule;
    }
    std::vector<std::string_view> ids;
    ids.reserve(distinct.size());
    for (const Rule* r : distinct) ids.push_back(r->id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const Rule* r : distinct) {
      rank[r] =
          static_cast<std::uint32_t>(std::lower_bound(ids.begin(), ids.end(), r->id) - ids.begin());
    }
  }
  struct Key {
    int severity;
    std::uint32_t rank;
    /// Eight bytes of the encoded bindings from where the part's texts first differ, as
    /// a number whose order is theirs: most comparisons end here, without reading the
    /// text elsewhere in memory.
    std::uint64_t head;
    std::size_t index;
    std::size_t begin;  ///< Of the encoded bindings in its part's text.
    std::size_t size;
    const char* text;  ///< The encoded bindings, once the part's text is whole.
  };
  const auto less = [](const Key& a, const Key& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.rank != b.rank) return a.rank < b.rank;
    const int c = std::memcmp(a.text, b.text, std::min(a.size, b.size));
    if (c != 0) return c < 0;
    if (a.size != b.size) return a.size < b.size;
    return a.index < b.index;
  };
  // Within a part, whose keys' heads start at one place: equal heads leave it to `less`.
  const auto less_in_part = [&less](const Key& a, const Key& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.head != b.head) return a.head < b.head;
    return less(a, b);
  };
  // Keys and texts of consecutive findings, a part each; each part sorted by itself.
  // The index breaks every tie, so merging sorted parts gives the order of one sort.
  const std::size_t parts = board && findings.size() >= kParallelSortFindings ? 2 : 1;
  std::vector<std::string> texts(parts);
  std::vector<std::vector<Key>> keys(parts);
  const auto sort_part = [&](std::size_t part) {
    const std::size_t from = findings.size() * part / parts;
    const std::size_t to = findings.size() * (part + 1) / parts;
    std::string& text = texts[part];
    std::vector<Key>& part_keys = keys[part];
    part_keys.reserve(to - from);
    for (std::size_t i = from; i < to; ++i) {
      const Finding& f = findings[i];
      const std::size_t begin = text.size();
      for (const auto& [name, id] : f.bindings) {
        append_ordered(text, name);
        append_ordered(text, id);
      }
      part_keys.push_back({static_cast<int>(f.severity), rank.at(f.rule), 0, i, begin,
                           text.size() - begin, nullptr});
    }
    for (Key& k : part_keys) k.text = text.data() + k.begin;
    const std::size_t from_byte = common_prefix(part_keys);
    for (Key& k : part_keys) k.head = ordered_head(k.text, k.size, from_byte);
    std::sort(part_keys.begin(), part_keys.end(), less_in_part);
  };
  if (parts == 1) {
    sort_part(0);
  } else {
    board->share(parts, [&]() -> WorkBoard::Participant { return sort_part; });
  }
  // Moved into place in place, cycle by cycle: position k takes finding order[k].
  std::vector<std::size_t> order(findings.size());
  if (parts == 1) {
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = keys[0][k].index;
  } else {
    const std::vector<Key>& a = keys[0];
    const std::vector<Key>& b = keys[1];
    std::size_t i = 0, j = 0, k = 0;
    while (i < a.size() && j < b.size())
      order[k++] = less(b[j], a[i]) ? b[j++].index : a[i++].index;
    while (i < a.size()) order[k++] = a[i++].index;
    while (j < b.size()) order[k++] = b[j++].index;
  }
  keys = {};
  texts = {};
  // A cycle visits the findings at random, each one's place known from `order` long
  // before its bytes arrive: the findings a few steps ahead on the cycle are asked for
  // while one moves, so that their misses overlap instead of coming one after another
  // (a quarter of the sort's time on a rule's two hundred thousand findings).
  constexpr int kStepsAhead = 8;
  const auto ask_for = [&findings](std::size_t i) {
    const char* bytes = reinterpret_cast<const char*>(&findings[i]);
    for (std::size_t line = 0; line < sizeof(Finding); line += 64) util::prefetch(bytes + line);
  };
  std::vector<char> placed(order.size(), 0);
  for (std::size_t start = 0; start < order.size(); ++start) {
    if (placed[start] || order[start] == start) continue;
    std::size_t ahead = order[start];
    for (int step = 0; step < kStepsAhead && ahead != start; ++step) {
      ask_for(ahead);
      ahead = order[ahead];
    }
    Finding held = std::move(findings[start]);
    std::size_t at = start;
    while (order[at] != start) {
      if (ahead != start) {
        ask_for(ahead);
        ahead = order[ahead];
      }
      findings[at] = std::move(findings[order[at]]);
      placed[at] = 1;
      at = order[at];
    }
    findings[at] = std::move(held);
    placed[at] = 1;
  }
}

std::string fingerprint_of(const std::string& rule_id, std::vector<std::string> ids) {
  return fingerprint_of_views(rule_id, std::vector<std::string_view>(ids.begin(), ids.end()));
}

std::string fingerprint_of_views(const std::string& rule_id, std::vector<std::string_view> ids) {
  std::sort(ids.begin(), ids.end());
  // FNV-1a: its values are in users' baselines and suppressions, so it must not change.
  util::Fnv1a64 h;
  auto feed = [&](std::string_view text) {
    h.add(text);
    h.add_byte('\n');
  };
  feed(rule_id);
  for (const auto& id : ids) feed(id);
  // 16 lower-case hex digits, as printf's %016llx writes them.
  std::string out(16, '0');
  std::uint64_t value = h.value();
  for (std::size_t i = 16; i-- > 0; value >>= 4) out[i] = "0123456789abcdef"[value & 0xF];
  return out;
}

}  // namespace twinscan::rules
