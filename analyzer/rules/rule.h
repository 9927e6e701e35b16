#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/query/value.h"
#include "analyzer/rules/severity.h"

namespace twinscan::rules {

/// A parameter a rule's query reads as $name, with its default.
struct RuleParam {
  std::string name;
  query::Value default_value;
  std::string default_text;  ///< As written, for docs.
  std::string description;
  /// The value's type when the default does not show it (a null default): "string",
  /// "number", "boolean" or "list"; empty otherwise.
  std::string type;
};

/// One fixture run of `twinscan rules test`: a registry and the findings expected on it,
/// each given by its bindings (variable → entity id).
struct RuleTest {
  std::string registry;  ///< Path, resolved against the rule file's folder.
  std::string as_of;     ///< Empty: the test's default date.
  std::vector<std::pair<std::string, std::string>> params;  ///< Overrides, as NAME, JSON text.
  std::vector<std::vector<std::pair<std::string, std::string>>> expect;
};

/// A rule: a compiled query plus the metadata that explains its findings.
struct Rule {
  std::string id;
  std::string title;
  std::string category;
  Severity severity = Severity::kMedium;
  Precision precision = Precision::kMedium;
  std::string rationale;
  std::vector<std::string> references;
  std::string remediation;
  std::vector<RuleParam> params;
  std::vector<std::string> requires_kinds;  ///< Entity or relation kinds the judgement needs.
  std::string match;                        ///< The query text (lines joined by newlines).
  std::string message;                      ///< Template with {expression} placeholders.
  std::vector<RuleTest> tests;

  std::string file;              ///< The rule file.
  std::uint32_t match_line = 0;  ///< Where the match text starts in the file.
  std::uint32_t match_column = 0;
  std::uint32_t message_line = 0;
  std::uint32_t message_column = 0;
};

}  // namespace twinscan::rules
