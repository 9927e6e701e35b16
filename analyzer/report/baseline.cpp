#include "analyzer/report/baseline.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "analyzer/io/json_tree.h"
#include "analyzer/util/output_target.h"

namespace twinscan::report {
namespace {

using io::JsonTree;
using Node = JsonTree::Node;

ReviewFileStatus read_json(const std::string& path, const char* option, diag::SourceText& source,
                           JsonTree& tree, diag::Diagnostics& diagnostics) {
  std::string error;
  const auto status = diag::SourceText::read_file(path, source, error);
  if (status == diag::SourceText::ReadStatus::kMissing) {
    diagnostics.error({path, 0, 0}, std::string("no such file (given with ") + option + ")");
    return ReviewFileStatus::kMissing;
  }
  if (status != diag::SourceText::ReadStatus::kOk) {
    diagnostics.error({path, 1, 1}, "cannot read: " + error);
    return ReviewFileStatus::kInvalid;
  }
  util::protect_input(path);  // no output of this run may replace a baseline it reads
  std::size_t offset = 0;
  if (!tree.parse(source.text(), error, offset)) {
    diagnostics.error(source.location(offset), error);
    return ReviewFileStatus::kInvalid;
  }
  return ReviewFileStatus::kOk;
}

std::string member_string(const JsonTree& tree, Node object, std::string_view key) {
  Node n;
  if (!tree.find_member(object, key, n) || !n.value->IsString()) return {};
  return {n.value->GetString(), n.value->GetStringLength()};
}

}  // namespace

ReviewFileStatus apply_baseline(const std::string& path, ReportContext& context,
                                diag::Diagnostics& diagnostics) {
  diag::SourceText source("", "");
  JsonTree tree;
  if (const auto read = read_json(path, "--baseline", source, tree, diagnostics);
      read != ReviewFileStatus::kOk)
    return read;
  Node findings;
  if (!tree.root().value->IsObject() || !tree.find_member(tree.root(), "findings", findings) ||
      !findings.value->IsArray()) {
    diagnostics.error({path, 1, 1},
                      "a baseline is a JSON report of twinscan scan --format json "
                      "(it needs a \"findings\" list)");
    return ReviewFileStatus::kInvalid;
  }
  std::map<std::string, ResolvedFinding> before;
  tree.for_each_element(findings, [&](Node f) {
    if (!f.value->IsObject()) return;
    ResolvedFinding r{member_string(tree, f, "fingerprint"), member_string(tree, f, "rule"),
                      member_string(tree, f, "severity"), member_string(tree, f, "message")};
    if (!r.fingerprint.empty()) before.emplace(r.fingerprint, r);
  });
  std::set<std::string> now;
  context.baseline.clear();
  for (const auto& f : context.findings) {
    now.insert(f.fingerprint);
    context.baseline.push_back(before.count(f.fingerprint) ? BaselineState::kUnchanged
                                                           : BaselineState::kNew);
  }
  for (const auto& [fingerprint, r] : before) {
    if (!now.count(fingerprint)) context.resolved.push_back(r);
  }
  return ReviewFileStatus::kOk;
}

void apply_suppression_list(const std::vector<Suppression>& suppressions, const model::Date& as_of,
                            ReportContext& context, diag::Diagnostics& diagnostics,
                            bool warn_unmatched) {
  struct Entry {
    std::string justification, author, expires;
    diag::SourceLocation where;
    bool used = false;
  };
  std::map<std::string, Entry> active;
  for (const auto& s : suppressions) {
    const auto expires = model::parse_date(s.expires);
    if (expires && *expires < as_of) {
      diagnostics.warning(s.where, "the suppression of " + s.fingerprint + " expired on " +
                                       s.expires + "; the finding is reported again");
      continue;
    }
    active.emplace(s.fingerprint, Entry{s.justification, s.author, s.expires, s.where});
  }
  std::vector<rules::Finding> kept;
  std::vector<BaselineState> kept_state;
  for (std::size_t i = 0; i < context.findings.size(); ++i) {
    auto it = active.find(context.findings[i].fingerprint);
    if (it == active.end()) {
      kept.push_back(std::move(context.findings[i]));
      if (!context.baseline.empty()) kept_state.push_back(context.baseline[i]);
      continue;
    }
    it->second.used = true;
    context.suppressed.push_back({std::move(context.findings[i]), it->second.justification,
                                  it->second.author, it->second.expires});
  }
  context.findings = std::move(kept);
  if (!context.baseline.empty()) context.baseline = std::move(kept_state);
  // A suppression that matches nothing is stale or mistyped: say so, in file order.
  std::vector<std::pair<diag::SourceLocation, std::string>> unused;
  for (const auto& [fingerprint, e] : active) {
    if (warn_unmatched && !e.used) unused.emplace_back(e.where, fingerprint);
  }
  std::stable_sort(unused.begin(), unused.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.line, a.first.column) < std::tie(b.first.line, b.first.column);
  });
  for (const auto& [where, fingerprint] : unused) {
    diagnostics.warning(where, "suppression of " + fingerprint +
                                   " matches no finding; remove it, or check the fingerprint "
                                   "against the report");
  }
}

ReviewFileStatus apply_suppressions(const std::string& path, const model::Date& as_of,
                                    ReportContext& context, diag::Diagnostics& diagnostics,
                                    bool warn_unmatched) {
  diag::SourceText source("", "");
  JsonTree tree;
  if (const auto read = read_json(path, "--suppressions", source, tree, diagnostics);
      read != ReviewFileStatus::kOk)
    return read;
  Node list;
  if (!tree.root().value->IsObject() || !tree.find_member(tree.root(), "suppressions", list) ||
      !list.value->IsArray()) {
    diagnostics.error({path, 1, 1},
                      "a suppression file is {\"suppressions\": [{\"fingerprint\", "
                      "\"justification\", \"author\", \"expires\"}]}");
    return ReviewFileStatus::kInvalid;
  }
  std::vector<Suppression> entries;
  bool ok = true;
  tree.for_each_element(list, [&](Node s) {
    const auto where = source.location(tree.offset(s));
    if (!s.value->IsObject()) {
      diagnostics.error(where, "a suppression is an object");
      ok = false;
      return;
    }
    Suppression e{member_string(tree, s, "fingerprint"), member_string(tree, s, "justification"),
                  member_string(tree, s, "author"), member_string(tree, s, "expires"), where};
    if (e.fingerprint.empty() || e.justification.empty() || e.author.empty() || e.expires.empty()) {
      diagnostics.error(where,
                        "a suppression needs \"fingerprint\", \"justification\", \"author\" "
                        "and \"expires\" (a date)");
      ok = false;
      return;
    }
    if (!model::parse_date(e.expires)) {
      diagnostics.error(where, "\"expires\" must be an ISO 8601 date, not '" + e.expires + "'");
      ok = false;
      return;
    }
    entries.push_back(std::move(e));
  });
  if (!ok) return ReviewFileStatus::kInvalid;
  apply_suppression_list(entries, as_of, context, diagnostics, warn_unmatched);
  return ReviewFileStatus::kOk;
}

}  // namespace twinscan::report
