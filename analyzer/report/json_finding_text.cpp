#include "analyzer/report/json_finding_text.h"

#include <string_view>

#include "analyzer/report/json_text.h"

namespace twinscan::report {
namespace {

// PrettyWriter's layout with an indent of one space: a member or element starts on a
// new line indented by its depth; a non-empty object or array closes on a line indented
// by its own depth; an empty one is `{}` or `[]`.

// The line break before a member at `indent` and its key: `,\n   "key": `.
std::string member_key(std::string_view key, unsigned indent, bool first = false) {
  std::string text = first ? "\n" : ",\n";
  text.append(indent, ' ');
  append_json_string(text, key);
  text += ": ";
  return text;
}

std::string line_break(std::string_view before, unsigned indent, std::string_view after = {}) {
  std::string text(before);
  text.push_back('\n');
  text.append(indent, ' ');
  text += after;
  return text;
}

}  // namespace

FindingJsonText::FindingJsonText(const model::Graph& graph, unsigned depth)
    : graph_(graph),
      depth_(depth),
      fingerprint_key_(member_key("fingerprint", depth + 1)),
      baseline_key_(member_key("baseline", depth + 1)),
      bindings_key_(member_key("bindings", depth + 1)),
      entities_key_(member_key("entities", depth + 1)),
      relations_key_(member_key("relations", depth + 1)),
      first_nested_(line_break("", depth + 2)),
      next_nested_(line_break(",", depth + 2)),
      close_member_(line_break("", depth + 1)),
      close_(line_break("", depth, "}")) {}

const std::string& FindingJsonText::head_of(const rules::Finding& f) {
  if (f.rule == head_rule_ && f.severity == head_severity_ && f.category == head_category_ &&
      f.title == head_title_ && !head_.empty()) {
    return head_;
  }
  head_rule_ = f.rule;
  head_severity_ = f.severity;
  head_category_ = f.category;
  head_title_ = f.title;
  head_ = "{";
  const unsigned indent = depth_ + 1;
  head_ += member_key("rule", indent, true);
  append_json_string(head_, f.rule->id);
  head_ += member_key("category", indent);
  append_json_string(head_, f.category);
  head_ += member_key("severity", indent);
  append_json_string(head_, rules::to_string(f.severity));
  head_ += member_key("precision", indent);
  append_json_string(head_, rules::to_string(f.rule->precision));
  head_ += member_key("title", indent);
  append_json_string(head_, f.title);
  head_ += member_key("message", indent);
  return head_;
}

void FindingJsonText::append(std::string& out, const rules::Finding& f, BaselineState state) {
  out += head_of(f);
  append_json_string(out, f.message);
  out += fingerprint_key_;
  append_json_string(out, f.fingerprint);
  if (state != BaselineState::kNone) {
    out += baseline_key_;
    out += state == BaselineState::kNew ? "\"new\"" : "\"unchanged\"";
  }
  // An array or object of `items`, each written by `write`.
  auto nested = [&](const std::string& key, char open, char close, const auto& items,
                    auto&& write) {
    out += key;
    out.push_back(open);
    bool first = true;
    for (const auto& item : items) {
      out += first ? first_nested_ : next_nested_;
      first = false;
      write(item);
    }
    if (!first) out += close_member_;
    out.push_back(close);
  };
  nested(bindings_key_, '{', '}', f.bindings, [&](const auto& binding) {
    append_json_string(out, binding.first);
    out += ": ";
    append_json_string(out, binding.second);
  });
  nested(entities_key_, '[', ']', f.entities,
         [&](model::VertexId v) { append_json_string(out, graph_.id(v)); });
  nested(relations_key_, '[', ']', f.relations,
         [&](model::RelationId r) { append_json_string(out, graph_.relation_id(r, scratch_)); });
  out += close_;
}

}  // namespace twinscan::report
