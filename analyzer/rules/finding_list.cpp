#include "analyzer/rules/finding_list.h"

#include <cassert>
#include <string>

namespace twinscan::rules {

void FindingList::add_slice(std::size_t run, std::size_t begin, std::size_t end) {
  assert(run < runs_.size() && begin <= end && end <= runs_[run].size());
  if (begin == end) return;
  // A slice that goes on from where the last one ended in the same run extends it.
  if (!slices_.empty() && slices_.back().run == run && slices_.back().end == begin) {
    slices_.back().end = end;
  } else {
    slices_.push_back({run, begin, end, size_});
  }
  size_ += end - begin;
}

std::size_t FindingList::keep_run(std::vector<Finding> findings) {
  runs_.push_back(std::move(findings));
  return runs_.size() - 1;
}

std::size_t FindingList::add_run(std::vector<Finding> findings) {
  const std::size_t count = findings.size();
  const std::size_t run = keep_run(std::move(findings));
  add_slice(run, 0, count);
  return run;
}

void FindingList::push_back(Finding finding) {
  // Into the last run when the list ends with its end, so that a list filled one finding
  // at a time stays one run; otherwise a run of its own.
  if (!runs_.empty() && !slices_.empty() && slices_.back().run == runs_.size() - 1 &&
      slices_.back().end == runs_.back().size()) {
    runs_.back().push_back(std::move(finding));
    add_slice(runs_.size() - 1, runs_.back().size() - 1, runs_.back().size());
    return;
  }
  std::vector<Finding> run;
  run.push_back(std::move(finding));
  add_run(std::move(run));
}

std::vector<Finding> FindingList::take_vector() {
  std::vector<Finding> out;
  if (slices_.size() == 1 && slices_[0].begin == 0 &&
      slices_[0].end == runs_[slices_[0].run].size()) {
    out = std::move(runs_[slices_[0].run]);
  } else {
    out.reserve(size_);
    for (Finding& f : *this) out.push_back(std::move(f));
  }
  clear();
  return out;
}

FindingList join_sorted_findings(std::vector<std::vector<Finding>>& runs) {
  std::vector<std::size_t> by_rule;  // the non-empty runs, in order of their rule's id
  bool one_rule_each = true;
  bool worst_first = true;  // each run's severities come worst first, as sort_findings puts them
  std::vector<int> severities;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].empty()) continue;
    by_rule.push_back(i);
    const std::string& id = runs[i].front().rule->id;
    Severity before = runs[i].front().severity;
    for (const Finding& f : runs[i]) {
      if (f.rule != runs[i].front().rule && f.rule->id != id) one_rule_each = false;
      if (f.severity > before) worst_first = false;
      before = f.severity;
      const int severity = static_cast<int>(f.severity);
      if (std::find(severities.begin(), severities.end(), severity) == severities.end())
        severities.push_back(severity);
    }
  }
  const auto id_of = [&](std::size_t run) -> const std::string& {
    return runs[run].front().rule->id;
  };
  std::stable_sort(by_rule.begin(), by_rule.end(),
                   [&](std::size_t a, std::size_t b) { return id_of(a) < id_of(b); });
  const bool distinct_rules =
      std::adjacent_find(by_rule.begin(), by_rule.end(), [&](std::size_t a, std::size_t b) {
        return id_of(a) == id_of(b);
      }) == by_rule.end();
  FindingList out;
  if (!one_rule_each || !distinct_rules || !worst_first) {
    std::vector<Finding> all;
    std::size_t total = 0;
    for (const auto& run : runs) total += run.size();
    all.reserve(total);
    for (auto& run : runs) {
      for (auto& f : run) all.push_back(std::move(f));
      run = {};
    }
    sort_findings(all);
    out.add_run(std::move(all));
    return out;
  }
  // Each run is sorted by severity (worst first), then bindings: its findings of one
  // severity are consecutive, and come after those of every worse severity.
  std::vector<std::size_t> kept(runs.size());
  for (const std::size_t i : by_rule) kept[i] = out.keep_run(std::move(runs[i]));
  for (auto& run : runs) run = {};
  std::sort(severities.rbegin(), severities.rend());
  std::vector<std::size_t> next(kept.size(), 0);
  for (const int severity : severities) {
    for (const std::size_t i : by_rule) {
      std::size_t& at = next[i];
      const std::size_t begin = at;
      const std::vector<Finding>& run = out.run(kept[i]);
      while (at < run.size() && static_cast<int>(run[at].severity) == severity) ++at;
      out.add_slice(kept[i], begin, at);
    }
  }
  return out;
}

}  // namespace twinscan::rules
