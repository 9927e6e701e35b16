#include "analyzer/report/json_finding_text.h"

#include <string_view>

#include "analyzer/report/json_text.h"

namespace twinscan::report {
namespace {

// PrettyWriter's layout with an indent of one space: a member or element starts on a
// new line indented by its depth; a non-empty object or array closes on a line indented
// by its own depth; an empty one is `{}` or `[]`.
class PrettyText {
 public:
  PrettyText(std::string& out, unsigned depth) : out_(out), depth_(depth) {}

  void key(std::string_view name, bool first) {
    if (!first) out_.push_back(',');
    out_.push_back('\n');
    out_.append(depth_ + 1, ' ');
    append_json_string(out_, name);
    out_.append(": ");
  }
  /// A member whose value is a string.
  void member(std::string_view name, std::string_view value, bool first = false) {
    key(name, first);
    append_json_string(out_, value);
  }
  /// An element of an array (or member of an object) one level below the members.
  void nested_prefix(bool first) {
    if (!first) out_.push_back(',');
    out_.push_back('\n');
    out_.append(depth_ + 2, ' ');
  }
  void nested_close(char bracket) {
    out_.push_back('\n');
    out_.append(depth_ + 1, ' ');
    out_.push_back(bracket);
  }
  void close() {
    out_.push_back('\n');
    out_.append(depth_, ' ');
    out_.push_back('}');
  }

  template <typename Items, typename Text>
  void string_array(std::string_view name, const Items& items, Text&& text) {
    key(name, false);
    out_.push_back('[');
    bool first = true;
    for (const auto& item : items) {
      nested_prefix(first);
      first = false;
      append_json_string(out_, text(item));
    }
    if (first) {
      out_.push_back(']');
    } else {
      nested_close(']');
    }
  }

  std::string& out() { return out_; }

 private:
  std::string& out_;
  unsigned depth_;
};

}  // namespace

void append_finding_json(std::string& out, const model::Graph& graph, const rules::Finding& f,
                         BaselineState state, unsigned depth) {
  PrettyText text(out, depth);
  out.push_back('{');
  text.member("rule", f.rule->id, true);
  text.member("category", f.category);
  text.member("severity", rules::to_string(f.severity));
  text.member("precision", rules::to_string(f.rule->precision));
  text.member("title", f.title);
  text.member("message", f.message);
  text.member("fingerprint", f.fingerprint);
  if (state != BaselineState::kNone)
    text.member("baseline", state == BaselineState::kNew ? "new" : "unchanged");
  text.key("bindings", false);
  out.push_back('{');
  bool first = true;
  for (const auto& [name, id] : f.bindings) {
    text.nested_prefix(first);
    first = false;
    append_json_string(out, name);
    out.append(": ");
    append_json_string(out, id);
  }
  if (first) {
    out.push_back('}');
  } else {
    text.nested_close('}');
  }
  text.string_array("entities", f.entities, [&](model::VertexId v) { return graph.id(v); });
  std::string scratch;  // a made relation id, read before the next is made
  text.string_array("relations", f.relations,
                    [&](model::RelationId r) { return graph.relation_id(r, scratch); });
  text.close();
}

}  // namespace twinscan::report
