#include "analyzer/rules/compiled_rule.h"

#include <algorithm>
#include <cmath>

#include "analyzer/query/parser.h"
#include "analyzer/query/query_engine.h"
#include "analyzer/rules/shared_params.h"

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

std::string message_value(const model::Graph& graph, const query::Value& v) {
  switch (v.type) {
    case query::Type::kNull:
      return "(unknown)";
    case query::Type::kNode:
      return std::string(graph.name(v.node));
    case query::Type::kFloat: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3g", v.number);
      return buf;
    }
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

// Whether the graph holds anything of each kind the rule's judgement rests on.
std::string missing_data(const Rule& rule, const model::Graph& graph, io::Diagnostics& diagnostics,
                         bool& ok) {
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
                                         io::Diagnostics& diagnostics,
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
  std::vector<Placeholder> placeholders;
  std::string template_error;
  if (!split_template(rule.message, out.message_text, placeholders, template_error)) {
    diagnostics.error({rule.file, rule.message_line, rule.message_column}, template_error);
    return std::nullopt;
  }
  std::vector<query::ExprPtr> expressions;
  bool ok = true;
  for (const auto& p : placeholders) {
    try {
      expressions.push_back(query::parse_expression(p.text));
    } catch (const query::SyntaxError& e) {
      diagnostics.error(
          {rule.file, rule.message_line, rule.message_column + p.offset + e.span.begin},
          std::string("in the message: ") + e.what());
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  query::CompileOptions options;
  options.allow_return = false;
  options.prebound_slots = prebound;
  options.distinct_matches = use == RuleQueryUse::kFindBindings;
  for (const auto& e : expressions) options.extra_expressions.push_back(e.get());
  std::vector<query::QueryMessage> messages;
  query::Query ast;
  try {
    ast = query::parse_query(rule.match);
  } catch (const query::SyntaxError& e) {
    messages.push_back({io::Severity::kError, e.span, e.what()});
  }
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
                  [](const auto& m) { return m.severity == io::Severity::kError; })) {
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
  return out;
}

std::string render_message(const CompiledRule& rule, const model::Graph& graph,
                           const std::vector<query::Value>& extras) {
  std::string out = rule.message_text[0];
  for (std::size_t i = 0; i < extras.size(); ++i) {
    out += message_value(graph, extras[i]);
    out += rule.message_text[i + 1];
  }
  return out;
}

}  // namespace twinscan::rules
