#pragma once

#include <string>
#include <string_view>

#include "analyzer/model/graph.h"
#include "analyzer/report/report_context.h"
#include "analyzer/rules/finding.h"

namespace twinscan::report {

/// Appends the findings of a JSON report, one at a time, each as the object RapidJSON's
/// PrettyWriter (indent of one space) writes at nesting depth `depth`: members on lines
/// of their own, indented by depth + 1, the closing brace by `depth`, with no leading
/// line break. Byte for byte the writer's text, so that findings can be rendered on
/// several threads and joined in order (json_report.cpp); tests/unit/json_report_test.cpp
/// compares both.
///
/// A report lists the findings of one rule together, and they share the text from the
/// opening brace to the message (rule, category, severity, precision and title): it is
/// kept from the finding before and copied whole while it stands, and each member's
/// line break, indent and key are written as one piece, rather than escaping the same
/// texts and writing the same spaces again character by character for each finding.
class FindingJsonText {
 public:
  FindingJsonText(const model::Graph& graph, unsigned depth);

  void append(std::string& out, const rules::Finding& f, BaselineState state);

 private:
  // The finding's text up to the message's value, for the findings like `f`.
  const std::string& head_of(const rules::Finding& f);

  const model::Graph& graph_;
  const unsigned depth_;
  // What findings of the head's rule share, as of the finding the head was made for
  // (category and title are views that live as long as their rule).
  const rules::Rule* head_rule_ = nullptr;
  rules::Severity head_severity_ = rules::Severity::kMedium;
  std::string_view head_category_;
  std::string_view head_title_;
  std::string head_;
  // Line breaks, indents and keys, written whole.
  std::string fingerprint_key_;
  std::string baseline_key_;
  std::string bindings_key_;
  std::string entities_key_;
  std::string relations_key_;
  std::string first_nested_;  // before the first element of an array or object
  std::string next_nested_;   // before each further one
  std::string close_member_;  // before the bracket that closes a non-empty one
  std::string close_;         // the finding's closing brace, with its line break
  std::string scratch_;       // a made relation id, read before the next is made
};

}  // namespace twinscan::report
