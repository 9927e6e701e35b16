#include "analyzer/followup/notification_compliance.h"

#include <algorithm>

#include "analyzer/engine/rule_options.h"
#include "analyzer/rules/scanner.h"

namespace twinscan::followup {
namespace {

// A period no signing date is that far from its notification: the notification rules
// run with it list every agreement of their scope, notified or not.
constexpr std::int64_t kOpenPeriod = -1'000'000'000;

const rules::Rule* find_rule(const engine::Catalogue& catalogue, std::string_view id) {
  for (const auto& r : catalogue.rules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

// The agreements bound as `a` by the findings of `rule_id`: judged ones in `flagged`,
// those a rule could not decide for want of a precise date in `undecided`. A finding
// that stands for the whole rule (it cannot judge this registry) is reported in `whole`.
struct Bound {
  std::set<model::VertexId> flagged;
  std::set<model::VertexId> undecided;
  std::string whole;  ///< The rule's message when it cannot judge the registry at all.
};

Bound bound_agreements(const model::Graph& graph, const rules::FindingList& findings,
                       std::string_view rule_id) {
  Bound out;
  for (const auto& f : findings) {
    if (f.rule == nullptr || f.rule->id != rule_id) continue;
    std::optional<model::VertexId> a;
    for (const auto& [name, id] : f.bindings) {
      if (name == "a") a = graph.find(id);
    }
    if (!a) {
      if (f.cannot_judge || f.incomplete) out.whole = f.message;
      continue;
    }
    (f.cannot_judge ? out.undecided : out.flagged).insert(*a);
  }
  return out;
}

}  // namespace

const char* to_string(Compliance compliance) {
  switch (compliance) {
    case Compliance::kWithinPeriod:
      return "within-period";
    case Compliance::kLate:
      return "late";
    case Compliance::kNever:
      return "never";
    case Compliance::kNotYetDue:
      return "not-yet-due";
    case Compliance::kCannotJudge:
      return "cannot-judge";
  }
  return "cannot-judge";
}

bool judge_agreements(const engine::Registry& registry, const engine::Catalogue& catalogue,
                      const engine::RunOptions& options, AgreementStanding& out,
                      diag::Diagnostics& diagnostics) {
  const model::Graph& graph = registry.graph();
  const rules::ScanOptions scan_options =
      engine::rule_options(registry, catalogue, options, out.home_country, diagnostics);

  // The rules as the catalogue holds them, with the parameters scan runs them with.
  std::vector<rules::Rule> as_given;
  for (const std::string_view id : {kNotifiedLateRule, kNotNotifiedRule, kWithoutSigningDateRule,
                                    kNotifiedWithoutDateRule, kComingDueRule, kPastTermRule}) {
    if (const rules::Rule* r = find_rule(catalogue, id)) as_given.push_back(*r);
  }
  const auto has = [&](std::string_view id) {
    return std::any_of(as_given.begin(), as_given.end(),
                       [&](const rules::Rule& r) { return r.id == id; });
  };
  out.compliance_known =
      has(kNotifiedLateRule) && has(kNotNotifiedRule) && has(kWithoutSigningDateRule);
  out.coming_due_known = has(kComingDueRule);
  out.past_term_known = has(kPastTermRule);
  // Which agreements are foreign ties (the scope of all three counts) depends on the home
  // country: without one, every count would read zero, which a reader takes for a fact.
  if (out.home_country.empty() && !as_given.empty()) {
    out.compliance_known = out.coming_due_known = out.past_term_known = false;
    out.notes.emplace_back(
        "notification compliance, notifications coming due and agreements past their term are "
        "not counted: no home country is known (the municipalities name several countries or "
        "none), so which agreements have a foreign party cannot be told; give --home-country");
    return true;
  }
  if (!out.compliance_known) {
    out.notes.emplace_back("notification compliance is not counted: it is what the rules " +
                           std::string(kNotifiedLateRule) + ", " + std::string(kNotNotifiedRule) +
                           " and " + std::string(kWithoutSigningDateRule) +
                           " find, and the loaded rules lack one of them");
  }
  if (!out.coming_due_known) {
    out.notes.emplace_back("notifications coming due are not counted: the loaded rules lack " +
                           std::string(kComingDueRule));
  }
  if (!out.past_term_known) {
    out.notes.emplace_back("agreements past their term are not counted: the loaded rules lack " +
                           std::string(kPastTermRule));
  }
  if (as_given.empty()) return true;
  const rules::ScanResult given = rules::scan(graph, as_given, scan_options, diagnostics);
  if (!given.ok) return false;

  const auto note_whole = [&](const Bound& b, std::string_view id) {
    if (!b.whole.empty()) out.notes.push_back(std::string(id) + ": " + b.whole);
  };
  if (out.past_term_known) {
    const Bound b = bound_agreements(graph, given.findings, kPastTermRule);
    out.past_term = b.flagged;
    note_whole(b, kPastTermRule);
  }
  if (out.coming_due_known) {
    const Bound b = bound_agreements(graph, given.findings, kComingDueRule);
    out.coming_due = b.flagged;
    note_whole(b, kComingDueRule);
  }
  if (!out.compliance_known) return true;

  const Bound late = bound_agreements(graph, given.findings, kNotifiedLateRule);
  const Bound never = bound_agreements(graph, given.findings, kNotNotifiedRule);
  const Bound undated = bound_agreements(graph, given.findings, kWithoutSigningDateRule);
  note_whole(late, kNotifiedLateRule);
  note_whole(never, kNotNotifiedRule);
  note_whole(undated, kWithoutSigningDateRule);

  // The same two rules with the period opened wide: their scope (a municipality's
  // agreement with a foreign party, signed, not a minor role), notified or not. The
  // not-notified rule's requirement of recorded notifications is lifted here: where it
  // cannot judge, the agreements it would have judged are counted as "cannot judge".
  std::vector<rules::Rule> opened;
  for (const auto& r : as_given) {
    if (r.id == kNotifiedLateRule || r.id == kNotNotifiedRule) opened.push_back(r);
  }
  for (auto& r : opened) r.requires_kinds.clear();
  rules::ScanOptions open_options = scan_options;
  open_options.progress = {};
  for (const auto& r : opened)
    open_options.params[r.id + ".notify_within_days"] = query::Value::of_int(kOpenPeriod);
  const rules::ScanResult wide = rules::scan(graph, opened, open_options, diagnostics);
  if (!wide.ok) return false;
  const Bound notified = bound_agreements(graph, wide.findings, kNotifiedLateRule);
  const Bound unnotified = bound_agreements(graph, wide.findings, kNotNotifiedRule);

  for (const auto a : undated.flagged) out.compliance[a] = Compliance::kCannotJudge;
  for (const auto a : notified.flagged) {
    out.compliance[a] = late.flagged.contains(a)     ? Compliance::kLate
                        : late.undecided.contains(a) ? Compliance::kCannotJudge
                        : late.whole.empty()         ? Compliance::kWithinPeriod
                                                     : Compliance::kCannotJudge;
  }
  for (const auto a : unnotified.flagged) {
    out.compliance[a] = never.flagged.contains(a)     ? Compliance::kNever
                        : never.undecided.contains(a) ? Compliance::kCannotJudge
                        : never.whole.empty()         ? Compliance::kNotYetDue
                                                      : Compliance::kCannotJudge;
  }
  // Notified, but never with a date: neither rule above can place it. The rule is
  // optional, so that a catalogue without it still counts the rest.
  const Bound notified_undated = bound_agreements(graph, given.findings, kNotifiedWithoutDateRule);
  for (const auto a : notified_undated.flagged) out.compliance[a] = Compliance::kCannotJudge;
  for (const auto a : late.undecided) out.compliance[a] = Compliance::kCannotJudge;
  for (const auto a : never.undecided) out.compliance[a] = Compliance::kCannotJudge;
  return true;
}

}  // namespace twinscan::followup
