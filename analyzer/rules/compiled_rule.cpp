#include "analyzer/rules/compiled_rule.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "analyzer/query/parser.h"
#include "analyzer/query/query_engine.h"
#include "analyzer/rules/shared_params.h"
#include "analyzer/util/country_name.h"

namespace twinscan::rules {
namespace {

struct Placeholder {
  std::string text;
  std::uint32_t offset = 0;  ///< Byte offset of the expression in the message.
};

// Splits "a {x.name} b" into literal pieces and placeholders; "{{" and "}}" are braces.
bool split_template(const std::string& message, std::vector<std::string>& pieces,
                    std::vector<Placeholder>& placeholders, std::string& error) {
  std::string literal;
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    if ((c == '{' || c == '}') && i + 1 < message.size() && message[i + 1] == c) {
      literal += c;
      ++i;
      continue;
    }
    if (c == '}') {
      error = "unmatched '}' in the message (write '}}' for a brace)";
      return false;
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    const std::size_t close = message.find('}', i + 1);
    if (close == std::string::npos) {
      error = "unclosed '{' in the message";
      return false;
    }
    pieces.push_back(std::move(literal));
    literal.clear();
    placeholders.push_back(
        {message.substr(i + 1, close - i - 1), static_cast<std::uint32_t>(i + 1)});
    i = close;
  }
  pieces.push_back(std::move(literal));
  return true;
}

// A rule's texts parsed: the match and the message's placeholders. Parsing depends on
// the texts alone, while compiling depends on the graph; a screening compiles each rule
// once per anchor against its own copy of the registry, so the texts are parsed once per
// process and kept. Only texts that parse are kept: one that does not is parsed again,
// to report where.
struct ParsedRule {
  std::vector<std::string> message_text;
  std::vector<Placeholder> placeholders;
  std::vector<query::ExprPtr> expressions;  // one per placeholder
  query::Query match;
};

std::shared_ptr<const ParsedRule> parse_rule(const Rule& rule) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<const ParsedRule>> parsed;
  std::string key = rule.match;
  key += '\x1f';
  key += rule.message;
  {
    const std::lock_guard lock(mutex);
    if (auto it = parsed.find(key); it != parsed.end()) return it->second;
  }
  auto out = std::make_shared<ParsedRule>();
  std::string error;
  if (!split_template(rule.message, out->message_text, out->placeholders, error)) return nullptr;
  try {
    for (const auto& p : out->placeholders)
      out->expressions.push_back(query::parse_expression(p.text));
    out->match = query::parse_query(rule.match);
  } catch (const query::SyntaxError&) {
    return nullptr;
  }
  const std::lock_guard lock(mutex);
  // Bounded: a process that reads many catalogues (tests) starts afresh past this.
  if (parsed.size() >= 4096) parsed.clear();
  return parsed.emplace(std::move(key), std::move(out)).first->second;
}

std::string message_value(const model::Graph& graph, const query::Value& v) {
  switch (v.type) {
    case query::Type::kNull:
      return "(unknown)";
    case query::Type::kNode:
      return std::string(graph.name(v.node));
    case query::Type::kFloat:
      return message_number(v.number);
    case query::Type::kRange:
      // Never one exact number for what a partial date leaves open.
      return "between " + message_number(v.range().lo) + " and " + message_number(v.range().hi);
    case query::Type::kList: {
      std::string out;
      for (const auto& item : v.list())
        out += (out.empty() ? "" : ", ") + message_value(graph, item);
      return out;
    }
    default:
      return query::to_display(graph, v);
  }
}

// "France (FR)" for a country code ICU knows; the code itself otherwise.
std::string country_text(const query::Value& v) {
  if (v.type != query::Type::kString) return {};
  const std::string name = util::country_name(v.text);
  if (name.empty()) return std::string(v.text);
  return name + " (" + std::string(v.text) + ")";
}

// `x.name` of an entity variable becomes coalesce(x.name, x): an entity without a name
// still shows as its display name (its title, else its id), never as "(unknown)".
query::CompiledExprPtr with_name_fallback(query::CompiledExprPtr e,
                                          const std::vector<query::Variable>& variables) {
  using Op = query::CompiledExpr::Op;
  if (e->op != Op::kProperty || e->key_text != "name" || e->children.empty() ||
      e->children[0]->op != Op::kSlot) {
    return e;
  }
  const query::Slot slot = e->children[0]->slot;
  if (slot < 0 || static_cast<std::size_t>(slot) >= variables.size() ||
      variables[static_cast<std::size_t>(slot)].kind != query::VariableKind::kNode) {
    return e;
  }
  auto variable = std::make_unique<query::CompiledExpr>();
  variable->op = Op::kSlot;
  variable->slot = slot;
  variable->span = e->children[0]->span;
  auto call = std::make_unique<query::CompiledExpr>();
  call->op = Op::kCall;
  call->span = e->span;
  call->function = query::find_function("coalesce");
  call->children.push_back(std::move(e));
  call->children.push_back(std::move(variable));
  return call;
}

// Whether the graph holds anything of each kind the rule's judgement rests on.
std::string missing_data(const Rule& rule, const model::Graph& graph,
                         diag::Diagnostics& diagnostics, bool& ok) {
  for (const auto& name : rule.requires_kinds) {
    if (const auto k = graph.schema().find_kind(name)) {
      if (graph.vertices_of_kind(*k).empty())
        return "the registry holds no " + name +
               " entities, so an absence cannot be told from missing data";
    } else if (const auto r = graph.schema().find_relation(name)) {
      if (graph.relation_count_of_kind(*r) == 0)
        return "the registry holds no " + name +
               " relations, so an absence cannot be told from missing data";
    } else {
      diagnostics.error(
          {rule.file, 0, 0},
          "\"requires\" names '" + name + "', which is neither an entity kind nor a relation kind");
      ok = false;
    }
  }
  return {};
}

}  // namespace

std::optional<CompiledRule> compile_rule(const Rule& rule, const model::Graph& graph,
                                         const ParamOverrides& overrides,
                                         diag::Diagnostics& diagnostics,
                                         const std::vector<query::Slot>& prebound,
                                         RuleQueryUse use) {
  CompiledRule out;
  out.rule = &rule;
  query::Parameters params;
  for (const auto& p : declared_params(rule)) {
    params[p.name] = p.default_value;
    if (auto it = overrides.find(p.name); it != overrides.end()) params[p.name] = it->second;
    if (auto it = overrides.find(rule.id + "." + p.name); it != overrides.end())
      params[p.name] = it->second;
  }
  const auto parsed = parse_rule(rule);
  std::vector<Placeholder> reparsed_placeholders;
  std::vector<query::ExprPtr> reparsed_expressions;
  query::Query reparsed_match;
  std::vector<query::QueryMessage> messages;
  if (parsed) {
    out.message_text = parsed->message_text;
  } else {
    // Parsed again to say what is wrong and where.
    std::string template_error;
    if (!split_template(rule.message, out.message_text, reparsed_placeholders, template_error)) {
      diagnostics.error({rule.file, rule.message_line, rule.message_column}, template_error);
      return std::nullopt;
    }
    bool ok = true;
    for (const auto& p : reparsed_placeholders) {
      try {
        reparsed_expressions.push_back(query::parse_expression(p.text));
      } catch (const query::SyntaxError& e) {
        diagnostics.error(
            {rule.file, rule.message_line, rule.message_column + p.offset + e.span.begin},
            std::string("in the message: ") + e.what());
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    try {
      reparsed_match = query::parse_query(rule.match);
    } catch (const query::SyntaxError& e) {
      messages.push_back({diag::Severity::kError, e.span, e.what()});
    }
  }
  const auto& placeholders = parsed ? parsed->placeholders : reparsed_placeholders;
  const auto& expressions = parsed ? parsed->expressions : reparsed_expressions;
  const query::Query& ast = parsed ? parsed->match : reparsed_match;
  query::CompileOptions options;
  options.allow_return = false;
  options.prebound_slots = prebound;
  options.distinct_matches = use == RuleQueryUse::kFindBindings;
  for (const auto& e : expressions) options.extra_expressions.push_back(e.get());
  if (messages.empty()) {
    out.query = query::compile_query(ast, graph, params, options);
    messages = out.query.messages;
  }
  std::vector<query::QueryMessage> in_match;
  for (const auto& m : messages) {
    if (m.extra < 0) {
      in_match.push_back(m);
      continue;
    }
    const auto& p = placeholders[static_cast<std::size_t>(m.extra)];
    diagnostics.report(
        {m.severity,
         {rule.file, rule.message_line, rule.message_column + p.offset + m.span.begin},
         "in the message: " + m.message,
         {}});
  }
  query::report_query_messages(in_match, rule.match, rule.file, diagnostics, rule.match_line,
                               rule.match_column);
  if (std::any_of(messages.begin(), messages.end(),
                  [](const auto& m) { return m.severity == diag::Severity::kError; })) {
    return std::nullopt;
  }
  // The bindings are the named entities and relations of the match itself; variables
  // that only an EXISTS subquery binds are not part of a finding.
  std::vector<query::Slot> main_slots = out.query.plan.node_slots;
  for (const auto& edge : out.query.plan.edges) main_slots.push_back(edge.relation);
  for (const auto& v : out.query.variables) {
    const bool bound_by_match =
        std::find(main_slots.begin(), main_slots.end(), v.slot) != main_slots.end();
    if (!v.name.empty() && bound_by_match &&
        (v.kind == query::VariableKind::kNode || v.kind == query::VariableKind::kRelation)) {
      out.bindings.emplace_back(v.name, v.slot);
    }
  }
  std::sort(out.bindings.begin(), out.bindings.end());
  for (auto& extra : out.query.extras) {
    out.country_placeholders.push_back(extra->op == query::CompiledExpr::Op::kProperty &&
                                       extra->key_text == "country");
    extra = with_name_fallback(std::move(extra), out.query.variables);
  }
  bool ok = true;
  out.cannot_judge = missing_data(rule, graph, diagnostics, ok);
  if (!ok) return std::nullopt;
  // Without a home country, "foreign" means nothing: a rule that reads it says so rather
  // than judge every party foreign, or none.
  if (out.cannot_judge.empty() && out.query.parameters_read.count(kHomeCountryParam) != 0 &&
      params[std::string(kHomeCountryParam)].type == query::Type::kNull) {
    out.cannot_judge =
        "the home country is not known (give --home-country CC, or name one country on every "
        "municipality)";
  }
  out.params = std::move(params);
  return out;
}

std::string render_message(const CompiledRule& rule, const model::Graph& graph,
                           const std::vector<query::Value>& extras) {
  // Written in a buffer the thread keeps, then copied once at its length: grown piece by
  // piece, a scan's hundreds of thousands of messages each held up to twice their
  // length, in memory that costs most the first time it is touched.
  thread_local std::string out;
  out = rule.message_text[0];
  for (std::size_t i = 0; i < extras.size(); ++i) {
    const bool country = i < rule.country_placeholders.size() && rule.country_placeholders[i] &&
                         extras[i].type == query::Type::kString;
    // Within the template's own parentheses, "(CN)" becomes "(China)", not "(China (CN))".
    const bool in_parentheses =
        rule.message_text[i].ends_with('(') && rule.message_text[i + 1].starts_with(')');
    if (country && in_parentheses) {
      const std::string name = util::country_name(extras[i].text);
      out += name.empty() ? std::string(extras[i].text) : name;
    } else {
      out += country ? country_text(extras[i]) : message_value(graph, extras[i]);
    }
    out += rule.message_text[i + 1];
  }
  return std::string(out);
}

std::string message_number(double value) {
  if (!std::isfinite(value))
    return std::isnan(value) ? "NaN" : value > 0 ? "infinity" : "-infinity";
  // std::to_chars writes as printf's %.0f and %.*f would, without printf's locale and
  // format parsing: most findings' messages show a number.
  char buf[512];
  if (value == std::trunc(value)) {
    const auto written = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 0);
    const std::string out(buf, written.ptr);
    return out == "-0" ? "0" : out;
  }
  // Three significant digits, and at least one decimal; trailing zeros dropped.
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  const int decimals = std::clamp(2 - magnitude, 1, 12);
  const auto written =
      std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  std::string out(buf, written.ptr);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  if (out == "-0") out = "0";
  return out;
}

namespace {

// The text of a compiled expression, as written in the rule's match.
std::string written(const Rule& rule, query::SourceSpan span) {
  if (span.end <= span.begin || span.end > rule.match.size()) return {};
  std::string text = rule.match.substr(span.begin, span.end - span.begin);
  // The match may span lines: show it on one.
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == '\n' || c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Who holds a date: an entity by its display name, a relation by its kind and ends.
std::string holder_text(const model::Graph& graph, const query::Value& holder) {
  if (holder.type == query::Type::kNode) return "'" + std::string(graph.name(holder.node)) + "'";
  if (holder.type == query::Type::kRelation) {
    const auto r = holder.relation;
    return "the " + graph.schema().relation(graph.relation_kind(r)).name + " relation from '" +
           std::string(graph.name(graph.relation_source(r))) + "' to '" +
           std::string(graph.name(graph.relation_target(r))) + "'";
  }
  return "a value";
}

}  // namespace

std::string undecided_message(const CompiledRule& rule, const model::Graph& graph,
                              const std::vector<query::Imprecision>& why,
                              const std::vector<query::Value>& bound) {
  std::vector<std::string> names;
  for (const auto& b : bound) {
    if (b.type == query::Type::kNode) names.emplace_back(graph.name(b.node));
  }
  std::string who;
  for (std::size_t i = 0; i < names.size(); ++i)
    who += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  std::string out = "Cannot judge whether rule " + rule.rule->id + " applies";
  if (!who.empty()) out += " to " + who;
  // The open comparison written first that read a partial date tells the story (the
  // match's own condition before those of its EXISTS subqueries).
  const query::Imprecision* note = nullptr;
  auto begin_of = [](const query::Imprecision& n) { return n.condition.begin; };
  for (const auto& n : why) {
    if (note == nullptr || (n.dates.empty() < note->dates.empty()) ||
        (n.dates.empty() == note->dates.empty() && begin_of(n) < begin_of(note[0]))) {
      note = &n;
    }
  }
  // Without a partial date behind it, the open comparison read a value known only
  // between bounds: a day count between dates written in the rule, or the share of a firm
  // whose cross-holdings are too dense to sum every chain of.
  if (note == nullptr) return out + ": a value it compares is known only between bounds.";
  std::string dated, periods, keys;
  for (std::size_t i = 0; i < note->dates.size(); ++i) {
    const auto& d = note->dates[i];
    const std::string sep = i == 0 ? "" : i + 1 == note->dates.size() ? " and " : ", ";
    dated += sep + holder_text(graph, d.holder) + " is dated only to " + d.date.to_string() +
             " (its " + d.key + ")";
    periods += sep + d.date.to_string();
    keys += sep + d.key;
  }
  out += ": ";
  out += note->dates.empty() ? "a value it compares is known only between bounds" : dated;
  // Parameters as their values, so that the reader need not look them up: "> 30", not
  // "> $notify_within_days".
  auto with_values = [&](std::string text) {
    for (const auto& [name, value] : rule.params) {
      const std::string token = "$" + name;
      for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at)) {
        const std::size_t end = at + token.size();
        const bool whole =
            end == text.size() ||
            !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_');
        if (!whole) {
          at = end;
          continue;
        }
        const std::string shown = message_value(graph, value);
        text.replace(at, token.size(), shown);
        at += shown.size();
      }
    }
    return text;
  };
  const std::string condition = with_values(written(*rule.rule, note->condition));
  if (!condition.empty()) {
    out += "; the rule's condition " + condition;
    out += note->dates.empty() ? " is true for some values between them and false for others"
                               : " is true for some days of " + periods + " and false for others";
    // A range operand: say what it spans.
    for (const auto* side : {&note->left, &note->right}) {
      if (side->type != query::Type::kRange) continue;
      const std::string text = with_values(
          written(*rule.rule, side == &note->left ? note->left_span : note->right_span));
      out += " (" + (text.empty() ? std::string("the day count") : text) + " is " +
             message_value(graph, *side) + ")";
      break;
    }
  }
  out += ".";
  if (!note->dates.empty()) out += " The rule can judge once " + keys + " is known to the day.";
  return out;
}

}  // namespace twinscan::rules
