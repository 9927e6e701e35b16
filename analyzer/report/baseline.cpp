#include "analyzer/report/baseline.h"

#include <map>
#include <set>

#include "analyzer/io/json_tree.h"

namespace twinscan::report {
namespace {

using io::JsonTree;
using Node = JsonTree::Node;

bool read_json(const std::string& path, io::SourceText& source, JsonTree& tree,
               io::Diagnostics& diagnostics) {
  std::string error;
  if (io::SourceText::read_file(path, source, error) != io::SourceText::ReadStatus::kOk) {
    diagnostics.error({path, 0, 0}, "cannot read: " + error);
    return false;
  }
  std::size_t offset = 0;
  if (!tree.parse(source.text(), error, offset)) {
    diagnostics.error(source.location(offset), error);
    return false;
  }
  return true;
}

std::string member_string(const JsonTree& tree, Node object, std::string_view key) {
  Node n;
  if (!tree.find_member(object, key, n) || !n.value->IsString()) return {};
  return {n.value->GetString(), n.value->GetStringLength()};
}

}  // namespace

bool apply_baseline(const std::string& path, ReportContext& context, io::Diagnostics& diagnostics) {
  io::SourceText source("", "");
  JsonTree tree;
  if (!read_json(path, source, tree, diagnostics)) return false;
  Node findings;
  if (!tree.root().value->IsObject() || !tree.find_member(tree.root(), "findings", findings) ||
      !findings.value->IsArray()) {
    diagnostics.error({path, 1, 1},
                      "a baseline is a JSON report of twinscan scan --format json "
                      "(it needs a \"findings\" list)");
    return false;
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
  return true;
}

bool apply_suppressions(const std::string& path, const model::Date& as_of, ReportContext& context,
                        io::Diagnostics& diagnostics) {
  io::SourceText source("", "");
  JsonTree tree;
  if (!read_json(path, source, tree, diagnostics)) return false;
  Node list;
  if (!tree.root().value->IsObject() || !tree.find_member(tree.root(), "suppressions", list) ||
      !list.value->IsArray()) {
    diagnostics.error({path, 1, 1},
                      "a suppression file is {\"suppressions\": [{\"fingerprint\", "
                      "\"justification\", \"author\", \"expires\"}]}");
    return false;
  }
  struct Entry {
    std::string justification, author, expires;
  };
  std::map<std::string, Entry> active;
  bool ok = true;
  tree.for_each_element(list, [&](Node s) {
    const auto where = source.location(tree.offset(s));
    if (!s.value->IsObject()) {
      diagnostics.error(where, "a suppression is an object");
      ok = false;
      return;
    }
    Entry e{member_string(tree, s, "justification"), member_string(tree, s, "author"),
            member_string(tree, s, "expires")};
    const std::string fingerprint = member_string(tree, s, "fingerprint");
    if (fingerprint.empty() || e.justification.empty() || e.author.empty() || e.expires.empty()) {
      diagnostics.error(where,
                        "a suppression needs \"fingerprint\", \"justification\", \"author\" "
                        "and \"expires\" (a date)");
      ok = false;
      return;
    }
    const auto expires = model::parse_date(e.expires);
    if (!expires) {
      diagnostics.error(where, "\"expires\" must be an ISO 8601 date, not '" + e.expires + "'");
      ok = false;
      return;
    }
    if (*expires < as_of) {
      diagnostics.warning(where, "the suppression of " + fingerprint + " expired on " + e.expires +
                                     "; the finding is reported again");
      return;
    }
    active.emplace(fingerprint, e);
  });
  if (!ok) return false;
  std::vector<rules::Finding> kept;
  std::vector<BaselineState> kept_state;
  for (std::size_t i = 0; i < context.findings.size(); ++i) {
    auto it = active.find(context.findings[i].fingerprint);
    if (it == active.end()) {
      kept.push_back(std::move(context.findings[i]));
      if (!context.baseline.empty()) kept_state.push_back(context.baseline[i]);
      continue;
    }
    context.suppressed.push_back({std::move(context.findings[i]), it->second.justification,
                                  it->second.author, it->second.expires});
  }
  context.findings = std::move(kept);
  if (!context.baseline.empty()) context.baseline = std::move(kept_state);
  return true;
}

}  // namespace twinscan::report
