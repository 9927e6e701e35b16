#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/engine/catalogue.h"
#include "analyzer/engine/registry.h"
#include "analyzer/engine/run_options.h"
#include "analyzer/model/graph.h"

/// Follow-up of ties, agreements and projects: counts over the registry as of a date,
/// sitting above the engine (it runs the catalogue's rules) and below the commands and
/// the desk.
namespace twinscan::followup {

/// The rules whose findings decide notification compliance and terms. Compliance is not
/// defined a second time here: it is what these rules of the loaded catalogue find, with
/// the parameters they run with (--param, --params, --home-country).
inline constexpr std::string_view kNotifiedLateRule = "agreement-notified-late";
inline constexpr std::string_view kNotNotifiedRule = "agreement-not-notified";
inline constexpr std::string_view kWithoutSigningDateRule = "agreement-without-signing-date";
inline constexpr std::string_view kNotifiedWithoutDateRule = "agreement-notified-without-date";
inline constexpr std::string_view kComingDueRule = "agreement-notification-coming-due";
inline constexpr std::string_view kPastTermRule = "agreement-past-term";

/// How an agreement subject to notification stands as of the run's date.
enum class Compliance : std::uint8_t {
  kWithinPeriod,  ///< Notified within the period.
  kLate,          ///< Every notification came after the period (agreement-notified-late).
  kNever,         ///< The period has passed with no notification (agreement-not-notified).
  kNotYetDue,     ///< Not notified, and the period has not passed yet.
  kCannotJudge,   ///< No signing date, a date too imprecise, a notification with no date,
                  ///< or no notifications recorded.
};

/// "within-period", "late", "never", "not-yet-due", "cannot-judge".
const char* to_string(Compliance compliance);

/// What the rules say of the registry's agreements.
struct AgreementStanding {
  /// Every agreement of a municipality with a foreign party that the notification rules
  /// place, with its standing.
  std::map<model::VertexId, Compliance> compliance;
  /// Not notified, and the period ends within the coming-due rule's days.
  std::set<model::VertexId> coming_due;
  /// Past its term (valid_until) and still recorded as in force.
  std::set<model::VertexId> past_term;
  bool compliance_known = false;  ///< False: the catalogue lacks a notification rule.
  bool coming_due_known = false;  ///< False: the catalogue lacks the coming-due rule.
  bool past_term_known = false;   ///< False: the catalogue lacks the past-term rule.
  /// What could not be counted, and why (a missing rule, a rule that cannot judge).
  std::vector<std::string> notes;
  std::string home_country;  ///< The code the rules judged "foreign" by; empty: not known.
};

/// Runs the notification and term rules of `catalogue` over the registry and places each
/// agreement. An agreement a rule flags is "late", "never" or "cannot judge" exactly as
/// the rule's findings say; "within the period" and "not yet due" are what the same rules
/// find with the period opened wide (every notified agreement in their scope, every
/// unnotified one), less what they flag. Returns false when a rule fails to run.
bool judge_agreements(const engine::Registry& registry, const engine::Catalogue& catalogue,
                      const engine::RunOptions& options, AgreementStanding& out,
                      diag::Diagnostics& diagnostics);

}  // namespace twinscan::followup
