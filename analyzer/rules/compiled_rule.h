#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/diag/diagnostics.h"
#include "analyzer/query/compiled_query.h"
#include "analyzer/query/executor.h"
#include "analyzer/rules/rule.h"

namespace twinscan::rules {

/// Parameter values given on the command line: `NAME=VALUE` applies to every rule
/// with that parameter, `RULE-ID.NAME=VALUE` to one rule.
using ParamOverrides = query::Parameters;

/// A rule compiled for one graph: its query, its message template and what it binds.
struct CompiledRule {
  const Rule* rule = nullptr;
  query::CompiledQuery query;
  std::vector<std::string> message_text;  ///< Literal pieces around the placeholders.
  /// Named node and relation variables, sorted by name, and their slots.
  std::vector<std::pair<std::string, query::Slot>> bindings;
  /// Empty when the registry holds the data the rule needs; else why it cannot judge.
  std::string cannot_judge;
  /// The parameter values the query was compiled with.
  query::Parameters params;
  /// Per placeholder: it reads a `.country` property, shown as "France (FR)".
  std::vector<bool> country_placeholders;
};

/// What a compiled rule is run for: finding the distinct binding sets (each far end of
/// an unread walk once), or gathering a finding's evidence (every path, so that every
/// relation walked is shown).
enum class RuleQueryUse : std::uint8_t { kFindBindings, kGatherEvidence };

/// Compiles `rule` for `graph`. Query and template errors are reported at their place in
/// the rule file; returns nothing on error. `prebound` anchors the plan (screening).
std::optional<CompiledRule> compile_rule(const Rule& rule, const model::Graph& graph,
                                         const ParamOverrides& overrides,
                                         diag::Diagnostics& diagnostics,
                                         const std::vector<query::Slot>& prebound = {},
                                         RuleQueryUse use = RuleQueryUse::kFindBindings);

/// The message of a match: the template with each placeholder's value.
std::string render_message(const CompiledRule& rule, const model::Graph& graph,
                           const std::vector<query::Value>& extras);

/// A number as a message shows it: whole numbers without decimals, others with three
/// significant digits (at least one decimal), never in exponent form: 0.51, 3.2, 1234.5.
std::string message_number(double value);

/// The message of a "cannot judge" finding for a match left undecided by date
/// imprecision: which date is too coarse, what the condition needs, and `bound` (the
/// display names of the match's bindings) for whom.
std::string undecided_message(const CompiledRule& rule, const model::Graph& graph,
                              const std::vector<query::Imprecision>& why,
                              const std::vector<query::Value>& bound);

}  // namespace twinscan::rules
