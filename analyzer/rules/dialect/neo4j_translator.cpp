#include "analyzer/rules/dialect/neo4j_translator.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "analyzer/query/ast.h"
#include "analyzer/query/parser.h"
#include "analyzer/query/syntax_error.h"
#include "analyzer/rules/severity.h"
#include "analyzer/rules/shared_params.h"

namespace twinscan::rules::dialect {
namespace {

using query::BinaryOp;
using query::Expr;
using query::UnaryOp;

/// Functions that read which sources state a fact: the Neo4j export does not carry them.
const std::set<std::string, std::less<>> kProvenanceFunctions = {"source",
                                                                 "sources",
                                                                 "source_roles",
                                                                 "disagreements",
                                                                 "tie_sources",
                                                                 "tie_source_roles",
                                                                 "tie_disagreements",
                                                                 "tie_ended_in",
                                                                 "tie_active_in",
                                                                 "registry_source_roles"};

/// Twinscan's lower-case function names with Neo4j's spelling, where they mean the same.
const std::vector<std::pair<std::string_view, std::string_view>> kSameFunctions = {
    {"size", "size"},
    {"coalesce", "coalesce"},
    {"relationships", "relationships"},
    {"nodes", "nodes"},
    {"length", "length"},
    {"type", "type"},
    {"labels", "labels"},
    {"abs", "abs"},
    {"round", "round"},
    {"tolower", "toLower"},
    {"toupper", "toUpper"},
    {"trim", "trim"},
    {"tostring", "toString"},
    {"tointeger", "toInteger"},
    {"tofloat", "toFloat"},
    {"startnode", "startNode"},
    {"endnode", "endNode"},
    {"count", "count"},
    {"collect", "collect"},
    {"sum", "sum"},
    {"avg", "avg"},
    {"min", "min"},
    {"max", "max"}};

/// Functions whose value is a number, printed in messages as Twinscan prints numbers.
const std::set<std::string, std::less<>> kNumericFunctions = {
    "round", "abs",    "distance_km", "effective_share", "outgoing_sum", "path_product",
    "size",  "length", "tointeger",   "tofloat",         "year"};

/// A rule that cannot be translated faithfully.
struct Untranslatable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string quote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "'";
}

std::string float_text(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  for (int digits = 1; digits <= 17; ++digits) {
    char shorter[64];
    std::snprintf(shorter, sizeof shorter, "%.*g", digits, value);
    if (std::strtod(shorter, nullptr) == value) {
      std::snprintf(buf, sizeof buf, "%s", shorter);
      break;
    }
  }
  std::string out = buf;
  if (out.find_first_of(".eE") == std::string::npos) out += ".0";
  return out;
}

/// A parameter's value as a Cypher literal.
std::string literal(const query::Value& v) {
  switch (v.type) {
    case query::Type::kNull:
      return "null";
    case query::Type::kBool:
      return v.boolean ? "true" : "false";
    case query::Type::kInt:
      return std::to_string(v.integer);
    case query::Type::kFloat:
      return float_text(v.number);
    case query::Type::kString:
      return quote(v.text);
    case query::Type::kList: {
      std::string out = "[";
      for (const auto& item : v.list()) out += (out.size() > 1 ? ", " : "") + literal(item);
      return out + "]";
    }
    default:
      throw std::invalid_argument("a parameter of this type has no Cypher literal");
  }
}

std::string binary_operator(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "OR";
    case BinaryOp::kXor:
      return "XOR";
    case BinaryOp::kAnd:
      return "AND";
    case BinaryOp::kEq:
      return "=";
    case BinaryOp::kNe:
      return "<>";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kIn:
      return "IN";
    case BinaryOp::kStartsWith:
      return "STARTS WITH";
    case BinaryOp::kEndsWith:
      return "ENDS WITH";
    case BinaryOp::kContains:
      return "CONTAINS";
    case BinaryOp::kRegexMatch:
      return "=~";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kPow:
      return "^";
    case BinaryOp::kIndex:
      return "[]";
  }
  return "?";
}

bool is_comparison(BinaryOp op) {
  return op == BinaryOp::kLt || op == BinaryOp::kLe || op == BinaryOp::kGt || op == BinaryOp::kGe;
}

/// The earliest and latest value an expression may have: a partial date is one unknown
/// day of its year or month, and days_between of partial dates a range of counts.
struct Bounds {
  std::string lo;
  std::string hi;
};

class Translator {
 public:
  Translator(const Rule& rule, const model::Schema& schema, const Neo4jSettings& settings)
      : rule_(rule), settings_(settings) {
    auto add = [&](const std::vector<model::PropertySpec>& props) {
      for (const auto& p : props) {
        if (p.type.list) {
          list_properties_.insert(p.name);
        } else if (p.type.scalar == model::ValueType::kDate) {
          date_properties_.insert(p.name);
        } else if (p.type.scalar == model::ValueType::kLocation) {
          location_properties_.insert(p.name);
        } else if (p.type.scalar == model::ValueType::kNumber ||
                   p.type.scalar == model::ValueType::kInt) {
          number_properties_.insert(p.name);
        }
      }
    };
    add(schema.common_entity_properties());
    add(schema.common_relation_properties());
    for (const auto& k : schema.kinds()) add(k.properties);
    for (const auto& r : schema.relations()) add(r.properties);
    for (const auto& k : schema.kinds()) entity_kinds_.insert(k.name);
    for (const auto& p : declared_params(rule)) {
      if (p.default_value.is_number() || p.type == "number") numeric_params_.insert(p.name);
    }
  }

  Neo4jRule run() {
    Neo4jRule out;
    out.id = rule_.id;
    std::string body;
    std::string returns;
    try {
      const query::Query q = query::parse_query(rule_.match);
      if (q.returns) throw Untranslatable("the rule's query has its own RETURN");
      for (const auto& m : q.matches) {
        body += "MATCH ";
        for (std::size_t i = 0; i < m.patterns.size(); ++i) {
          if (i > 0) body += ",\n      ";
          body += pattern(m.patterns[i], true);
        }
        body += '\n';
        if (m.where) body += "WHERE " + expr(*m.where, true) + '\n';
      }
      returns = "RETURN DISTINCT " + quote(rule_.id) + " AS rule";
      for (const auto& v : bindings_) returns += ", " + v + ".id AS " + v;
      returns += ",\n       " + message() + " AS message;\n";
    } catch (const Untranslatable& e) {
      out.untranslatable = e.what();
    } catch (const query::SyntaxError& e) {
      out.untranslatable = std::string("the rule's query does not parse: ") + e.what();
    }
    out.translated = out.untranslatable.empty();
    out.approximations = notes_;
    out.text = header(out);
    if (!out.translated) {
      out.text += "// Twinscan's query, for reference:\n";
      std::string line;
      for (const char c : rule_.match + "\n") {
        if (c == '\n') {
          out.text += "//   " + line + '\n';
          line.clear();
        } else {
          line += c;
        }
      }
      return out;
    }
    out.text += param_line();
    out.text += preamble() + body + returns;
    return out;
  }

 private:
  void note(const std::string& text) {
    if (std::find(notes_.begin(), notes_.end(), text) == notes_.end()) notes_.push_back(text);
  }

  std::string fresh(std::string_view stem) { return std::string(stem) + std::to_string(++fresh_); }

  std::string header(const Neo4jRule& r) const {
    std::string h = "// " + std::string(72, '-') + '\n';
    h += "// rule: " + rule_.id + '\n';
    h += "// title: " + rule_.title + '\n';
    h += "// severity: " + std::string(to_string(rule_.severity)) +
         "; category: " + rule_.category + '\n';
    if (!r.translated) {
      h += "// NOT TRANSLATABLE: " + r.untranslatable + '\n';
      return h;
    }
    if (!rule_.requires_kinds.empty()) {
      std::string kinds;
      for (const auto& k : rule_.requires_kinds) kinds += (kinds.empty() ? "" : ", ") + k;
      h += "// requires: " + kinds +
           " (none in the graph: no rows, where Twinscan says the rule cannot judge)\n";
    }
    if (uses_home_) {
      h += "// home country: $home_country, else the one country of the municipalities "
           "(unknown: no rows, where Twinscan says the rule cannot judge)\n";
    }
    for (const auto& n : r.approximations) h += "// approximation: " + n + '\n';
    return h;
  }

  std::string param_line() const {
    std::vector<std::pair<std::string, std::string>> values;
    if (uses_today_)
      values.emplace_back("as_of", settings_.as_of.empty() ? "null" : quote(settings_.as_of));
    const auto declared = declared_params(rule_);
    for (const auto& p : declared) {
      if (params_.count(p.name) == 0 && !(uses_home_ && p.name == kHomeCountryParam)) continue;
      auto given = settings_.parameters.find(rule_.id + "." + p.name);
      if (given == settings_.parameters.end()) given = settings_.parameters.find(p.name);
      values.emplace_back(
          p.name, given != settings_.parameters.end() ? literal(given->second) : p.default_text);
    }
    for (const auto& name : params_) {
      if (std::none_of(values.begin(), values.end(),
                       [&](const auto& v) { return v.first == name; }))
        values.emplace_back(name, "null");
    }
    std::sort(values.begin(), values.end());
    if (values.empty()) return "";
    std::string line = ":param {";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) line += ", ";
      line += values[i].first + ": " + values[i].second;
    }
    return line + "}\n";
  }

  std::string preamble() const {
    std::string guard;
    for (const auto& k : rule_.requires_kinds) {
      if (!guard.empty()) guard += " AND ";
      guard += entity_kinds_.count(k) != 0 ? "EXISTS { MATCH (:" + k + ") }"
                                           : "EXISTS { MATCH ()-[:" + k + "]->() }";
    }
    std::string out;
    if (uses_home_) {
      out +=
          "OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT "
          "NULL\n"
          "WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 "
          "THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country\n"
          "WHERE home_country IS NOT NULL";
      if (!guard.empty()) out += " AND " + guard;
      out += '\n';
    } else if (!guard.empty()) {
      out += "WITH true AS judged\nWHERE " + guard + '\n';
    }
    return out;
  }

  // ---- patterns ----

  std::string pattern(const query::PathPattern& p, bool top) {
    std::string out;
    if (!p.path_variable.empty()) out += p.path_variable + " = ";
    for (std::size_t i = 0; i < p.nodes.size(); ++i) {
      if (i > 0) out += rel(p.rels[i - 1], top);
      out += node(p.nodes[i], top);
    }
    return out;
  }

  std::string properties(const std::vector<std::pair<std::string, query::ExprPtr>>& props) {
    if (props.empty()) return "";
    std::string out = " {";
    for (std::size_t i = 0; i < props.size(); ++i) {
      if (i > 0) out += ", ";
      if (date_properties_.count(props[i].first) != 0)
        throw Untranslatable("a pattern compares the date '" + props[i].first + "' by equality");
      out += props[i].first + ": " + expr(*props[i].second, true);
    }
    return out + "}";
  }

  void bind(const std::string& name, bool top, bool relation) {
    if (name.empty()) return;
    (relation ? relation_vars_ : node_vars_).insert(name);
    // A finding binds the entities of its pattern, as twinscan scan reports them.
    if (top && !relation && std::find(bindings_.begin(), bindings_.end(), name) == bindings_.end())
      bindings_.push_back(name);
  }

  std::string node(const query::NodePattern& n, bool top) {
    bind(n.variable, top, false);
    std::string out = "(" + n.variable;
    for (std::size_t i = 0; i < n.kinds.size(); ++i) out += (i == 0 ? ":" : "|") + n.kinds[i];
    return out + properties(n.properties) + ")";
  }

  std::string rel(const query::RelPattern& r, bool top) {
    // A variable-length relation is a list in Twinscan and in Neo4j: not a finding's binding.
    bind(r.variable, top && !r.variable_length, true);
    std::string out = r.direction == query::Direction::kIn ? "<-[" : "-[";
    out += r.variable;
    for (std::size_t i = 0; i < r.types.size(); ++i) out += (i == 0 ? ":" : "|") + r.types[i];
    if (r.variable_length) {
      out += "*" + std::to_string(r.min_hops) + "..";
      if (r.max_hops) {
        out += std::to_string(*r.max_hops);
      } else {
        note(
            "a variable-length relation without an upper bound is unbounded in Neo4j; "
            "Twinscan caps it at its hop limit (--max-hops)");
      }
    }
    out += properties(r.properties);
    out += r.direction == query::Direction::kOut ? "]->" : "]-";
    return out;
  }

  // ---- expressions ----

  bool is_date(const Expr& e) const {
    if (e.kind == Expr::Kind::kProperty) return date_properties_.count(e.text) != 0;
    if (e.kind == Expr::Kind::kCall && e.text == "date") return true;
    if (e.kind == Expr::Kind::kCall && e.text == "coalesce" && !e.children.empty()) {
      return std::all_of(e.children.begin(), e.children.end(),
                         [&](const query::ExprPtr& c) { return is_date(*c); });
    }
    return false;
  }

  bool is_ranged(const Expr& e) const {
    return is_date(e) || (e.kind == Expr::Kind::kCall && e.text == "days_between");
  }

  std::string today() {
    uses_today_ = true;
    return "coalesce(date($as_of), date())";
  }

  /// The first and last day a date property of the export may mean: a full date is
  /// `key`, a partial one `key_partial` ("2019", "2019-04").
  static Bounds property_bounds(const std::string& obj, const std::string& key) {
    const std::string full = obj + "." + key;
    const std::string partial = obj + "." + key + "_partial";
    return {"coalesce(" + full + ", date(" + partial + "))",
            "coalesce(" + full + ", date(" + partial + ") + CASE size(" + partial +
                ") WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D'))"};
  }

  /// Cypher for "relation `r` held at some time from `first` to `last`", as
  /// model::relation_held_during decides it: begun by `last`, not ended before `first`.
  static std::string held_during(const std::string& r, const std::string& first,
                                 const std::string& last) {
    return "(coalesce(" + property_bounds(r, "since").lo + " <= " + last + ", true) AND coalesce(" +
           property_bounds(r, "until").hi + " >= " + first + ", true))";
  }

  /// Cypher for "relation `r` is in force on the as-of date".
  std::string in_force(const std::string& r) {
    const std::string t = today();
    return held_during(r, t, t);
  }

  Bounds bounds(const Expr& e) {
    if (e.kind == Expr::Kind::kProperty && date_properties_.count(e.text) != 0) {
      return property_bounds(expr(*e.children[0], true), e.text);
    }
    if (e.kind == Expr::Kind::kCall && e.text == "date") {
      if (e.children.empty()) {
        const std::string t = today();
        return {t, t};
      }
      const std::string d = "date(" + expr(*e.children[0], true) + ")";
      return {d, d};
    }
    if (e.kind == Expr::Kind::kCall && e.text == "coalesce" && is_date(e)) {
      Bounds out{"coalesce(", "coalesce("};
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        const Bounds b = bounds(*e.children[i]);
        out.lo += (i > 0 ? ", " : "") + b.lo;
        out.hi += (i > 0 ? ", " : "") + b.hi;
      }
      out.lo += ")";
      out.hi += ")";
      return out;
    }
    if (e.kind == Expr::Kind::kCall && e.text == "days_between") {
      const Bounds a = bounds(*e.children[0]);
      const Bounds b = bounds(*e.children[1]);
      return {"duration.inDays(" + a.hi + ", " + b.lo + ").days",
              "duration.inDays(" + a.lo + ", " + b.hi + ").days"};
    }
    const std::string x = expr(e, true);
    return {x, x};
  }

  /// A comparison of a partial date or a range of day counts: true when it holds for
  /// every day the dates may mean (`definite`), or for some day (under a negation).
  std::string ranged_comparison(const Expr& e, bool definite) {
    note(
        "a date of year or month precision (NAME_partial) is every day of its period: a "
        "condition holds when it holds for every such day, as Twinscan decides it; matches "
        "Twinscan reports as undecided are not returned");
    const Bounds a = bounds(*e.children[0]);
    const Bounds b = bounds(*e.children[1]);
    const bool greater = e.binary_op == BinaryOp::kGt || e.binary_op == BinaryOp::kGe;
    // definite a > b: a's least above b's greatest; possible: a's greatest above b's least.
    const std::string& left = greater == definite ? a.lo : a.hi;
    const std::string& right = greater == definite ? b.hi : b.lo;
    return left + " " + binary_operator(e.binary_op) + " " + right;
  }

  /// How tightly the Cypher written for `e` binds, after Neo4j's grammar: OR, XOR, AND,
  /// NOT, comparisons, the predicates (IN, STARTS WITH, =~, IS NULL), + -, * / %, ^,
  /// unary minus, then atoms (calls, properties, literals, subqueries).
  static int precedence(const Expr& e) {
    if (e.kind == Expr::Kind::kUnary) {
      switch (e.unary_op) {
        case UnaryOp::kNot:
          return kNotLevel;
        case UnaryOp::kIsNull:
        case UnaryOp::kIsNotNull:
          return kPredicateLevel;
        default:
          return kUnaryLevel;
      }
    }
    if (e.kind == Expr::Kind::kCall && e.text == "distance_km") return kMultiplyLevel;
    if (e.kind != Expr::Kind::kBinary) return kAtomLevel;
    switch (e.binary_op) {
      case BinaryOp::kOr:
        return 1;
      case BinaryOp::kXor:
        return 2;
      case BinaryOp::kAnd:
        return 3;
      case BinaryOp::kEq:
      case BinaryOp::kNe:
      case BinaryOp::kLt:
      case BinaryOp::kLe:
      case BinaryOp::kGt:
      case BinaryOp::kGe:
        return kComparisonLevel;
      case BinaryOp::kIn:
      case BinaryOp::kStartsWith:
      case BinaryOp::kEndsWith:
      case BinaryOp::kContains:
      case BinaryOp::kRegexMatch:
        return kPredicateLevel;
      case BinaryOp::kAdd:
      case BinaryOp::kSub:
        return 7;
      case BinaryOp::kMul:
      case BinaryOp::kDiv:
      case BinaryOp::kMod:
        return kMultiplyLevel;
      case BinaryOp::kPow:
        return 9;
      case BinaryOp::kIndex:
        return kAtomLevel;
    }
    return kAtomLevel;
  }
  static constexpr int kNotLevel = 4;
  static constexpr int kComparisonLevel = 5;
  static constexpr int kPredicateLevel = 6;
  static constexpr int kMultiplyLevel = 8;
  static constexpr int kUnaryLevel = 10;
  static constexpr int kAtomLevel = 11;

  /// `e` as an operand that must bind at least as tightly as `level`.
  std::string child(const Expr& e, bool definite, int level = kAtomLevel) {
    const std::string x = expr(e, definite);
    return precedence(e) < level ? "(" + x + ")" : x;
  }

  std::string expr(const Expr& e, bool definite) {
    switch (e.kind) {
      case Expr::Kind::kNull:
        return "null";
      case Expr::Kind::kBool:
        return e.bool_value ? "true" : "false";
      case Expr::Kind::kInt:
        return std::to_string(e.int_value);
      case Expr::Kind::kFloat:
        return float_text(e.float_value);
      case Expr::Kind::kString:
        return quote(e.text);
      case Expr::Kind::kParameter:
        if (e.text == kHomeCountryParam) {
          uses_home_ = true;
          return "home_country";
        }
        params_.insert(e.text);
        return "$" + e.text;
      case Expr::Kind::kVariable:
        return e.text;
      case Expr::Kind::kProperty:
        return property(e);
      case Expr::Kind::kList: {
        std::string out = "[";
        for (std::size_t i = 0; i < e.children.size(); ++i)
          out += (i > 0 ? ", " : "") + expr(*e.children[i], definite);
        return out + "]";
      }
      case Expr::Kind::kMap: {
        std::string out = "{";
        for (std::size_t i = 0; i < e.children.size(); ++i)
          out += (i > 0 ? ", " : "") + e.keys[i] + ": " + expr(*e.children[i], definite);
        return out + "}";
      }
      case Expr::Kind::kUnary:
        return unary(e, definite);
      case Expr::Kind::kBinary:
        return binary(e, definite);
      case Expr::Kind::kCall:
        return call(e, definite);
      case Expr::Kind::kCountStar:
        return "count(*)";
      case Expr::Kind::kExists:
        // `distinct` marks COUNT { … }, which Neo4j 5 writes the same way.
        return e.distinct ? "COUNT" + exists(*e.exists, definite).substr(6)
                          : exists(*e.exists, definite);
      case Expr::Kind::kComprehension:
        return "[" + e.variable + " IN " + expr(*e.children[0], definite) + " WHERE " +
               expr(*e.children[1], definite) + " | " + expr(*e.children[2], definite) + "]";
      case Expr::Kind::kCase:
        return case_expression(e, definite);
      case Expr::Kind::kQuantifier: {
        // none() is a negation of its predicate; any() and all() are not.
        const bool inner = e.text == "none" ? !definite : definite;
        std::string out = e.text + "(" + e.variable + " IN " + expr(*e.children[0], definite);
        if (e.children.size() > 1) out += " WHERE " + expr(*e.children[1], inner);
        return out + ")";
      }
    }
    return "null";
  }

  std::string property(const Expr& e) {
    const Expr& object = *e.children[0];
    if (e.text == "kind" && object.kind == Expr::Kind::kVariable) {
      if (node_vars_.count(object.text) != 0) return "head(labels(" + object.text + "))";
      if (relation_vars_.count(object.text) != 0) return "type(" + object.text + ")";
    }
    if (date_properties_.count(e.text) != 0) {
      note("a date of year or month precision read as a value is its first day");
      return bounds(e).lo;
    }
    return child(object, true) + "." + e.text;
  }

  std::string unary(const Expr& e, bool definite) {
    const Expr& operand = *e.children[0];
    switch (e.unary_op) {
      case UnaryOp::kNot:
        return "NOT " + child(operand, !definite, kNotLevel);
      case UnaryOp::kNegate:
        return "-" + child(operand, definite, kUnaryLevel);
      case UnaryOp::kPlus:
        return child(operand, definite, kUnaryLevel);
      case UnaryOp::kIsNull:
      case UnaryOp::kIsNotNull: {
        // A date is there when either its day or its partial field is.
        const std::string x = is_date(operand) ? bounds(operand).lo : child(operand, definite);
        return x + (e.unary_op == UnaryOp::kIsNull ? " IS NULL" : " IS NOT NULL");
      }
    }
    return "null";
  }

  std::string binary(const Expr& e, bool definite) {
    const Expr& a = *e.children[0];
    const Expr& b = *e.children[1];
    if (is_comparison(e.binary_op) && (is_ranged(a) || is_ranged(b)))
      return ranged_comparison(e, definite);
    if ((e.binary_op == BinaryOp::kEq || e.binary_op == BinaryOp::kNe) &&
        (is_ranged(a) || is_ranged(b))) {
      throw Untranslatable(
          "a date or day count compared by equality has no faithful Neo4j "
          "form for dates of year or month precision");
    }
    if (e.binary_op == BinaryOp::kIndex) {
      const std::string list = child(a, definite);
      return list + "[" + expr(b, definite) + "]";
    }
    // Parentheses only where Cypher's precedence needs them; AND and OR chains are flat,
    // arithmetic is left-associative, and comparisons and predicates never chain.
    const int level = precedence(e);
    const bool chains = e.binary_op == BinaryOp::kAnd || e.binary_op == BinaryOp::kOr ||
                        e.binary_op == BinaryOp::kXor;
    const bool left_associative = level > kPredicateLevel;
    // In a chain, an operand of the same operator stays flat, another chain (AND under
    // OR) is bracketed for the reader though Cypher would not need it.
    auto operand = [&](const Expr& x, bool left) {
      if (!chains) return child(x, definite, left && left_associative ? level : level + 1);
      const bool same = x.kind == Expr::Kind::kBinary && x.binary_op == e.binary_op;
      return same ? expr(x, definite) : child(x, definite, kNotLevel);
    };
    // Left before right: fresh names and notes are made in the order of the text.
    const std::string left = operand(a, true);
    const std::string right = operand(b, false);
    return left + " " + binary_operator(e.binary_op) + " " + right;
  }

  // CASE in its simple form (a subject compared with each WHEN) or its generic form.
  std::string case_expression(const Expr& e, bool definite) {
    const std::size_t first = e.bool_value ? 1 : 0;
    const auto pairs = static_cast<std::size_t>(e.int_value);
    std::string out = "CASE";
    if (e.bool_value) out += " " + expr(*e.children[0], definite);
    for (std::size_t i = 0; i < pairs; ++i) {
      out += " WHEN " + expr(*e.children[first + 2 * i], definite) + " THEN " +
             expr(*e.children[first + 2 * i + 1], definite);
    }
    if (e.children.size() == first + 2 * pairs + 1)
      out += " ELSE " + expr(*e.children.back(), definite);
    return out + " END";
  }

  std::string exists(const query::ExistsSubquery& s, bool definite) {
    std::string out = "EXISTS { MATCH ";
    for (std::size_t i = 0; i < s.patterns.size(); ++i) {
      if (i > 0) out += ", ";
      out += pattern(s.patterns[i], false);
    }
    if (s.where) out += " WHERE " + expr(*s.where, definite);
    return out + " }";
  }

  std::string string_argument(const Expr& e, const std::string& function) {
    if (e.kind != Expr::Kind::kString)
      throw Untranslatable(function + "() with a computed name has no Neo4j form");
    return e.text;
  }

  std::string call(const Expr& e, bool definite) {
    const std::string& name = e.text;
    if (kProvenanceFunctions.count(name) != 0) {
      throw Untranslatable(
          name +
          "() reads which sources state each fact, which `twinscan export --format neo4j` does "
          "not carry (see twinscan reconcile); run this rule with twinscan scan");
    }
    auto arg = [&](std::size_t i) { return expr(*e.children.at(i), definite); };
    if (name == "date") {
      if (e.children.empty()) return today();
      return "date(" + arg(0) + ")";
    }
    if (name == "days_between") {
      note(
          "days_between() of a date of year or month precision, read as a value, counts from "
          "and to the first day of its period");
      return bounds(e).lo;
    }
    if (name == "year") return "(" + bounds(*e.children.at(0)).lo + ").year";
    if (name == "distance_km") {
      note(
          "distance_km() is point.distance() / 1000 on the WGS-84 points of the export "
          "(stored to single precision; Neo4j's Earth radius is 0.1% above Twinscan's), so a "
          "distance within a few metres of a threshold may fall the other way");
      const std::string from = location(*e.children.at(0));
      return "point.distance(" + from + ", " + location(*e.children.at(1)) + ") / 1000.0";
    }
    if (name == "effective_share") {
      const std::string firm = arg(0);
      return effective_share(firm, arg(1));
    }
    if (name == "outgoing_sum") {
      const std::string kind = string_argument(*e.children.at(1), name);
      const std::string key = string_argument(*e.children.at(2), name);
      const std::string r = fresh("owned");
      const std::string s = fresh("sum");
      return "reduce(" + s + " = 0.0, " + r + " IN [(" + arg(0) + ")-[" + r + "_rel:" + kind +
             "]->() WHERE " + in_force(r + "_rel") + " | coalesce(" + r + "_rel." + key + ", " + r +
             "_rel." + key + "_min)] | " + s + " + coalesce(" + r + ", 0.0))";
    }
    if (name == "in_force") {
      const std::string r = arg(0);
      if (e.children.size() < 2) return in_force(r);
      const Bounds d = bounds(*e.children.at(1));
      return held_during(r, d.lo, d.hi);
    }
    if (name == "path_product") {
      const std::string key = string_argument(*e.children.at(1), name);
      const std::string r = fresh("hop");
      const std::string s = fresh("product");
      return "reduce(" + s + " = 1.0, " + r + " IN relationships(" + arg(0) + ") | " + s + " * " +
             r + "." + key + ")";
    }
    for (const auto& [ours, theirs] : kSameFunctions) {
      if (name != ours) continue;
      std::string out = std::string(theirs) + "(";
      if (e.distinct) out += "DISTINCT ";
      for (std::size_t i = 0; i < e.children.size(); ++i) out += (i > 0 ? ", " : "") + arg(i);
      return out + ")";
    }
    throw Untranslatable(name + "() has no Neo4j translation");
  }

  std::string location(const Expr& e) {
    if (e.kind == Expr::Kind::kVariable) return e.text + ".location";
    return expr(e, true);
  }

  /// The sum over every simple chain of OWNED_BY relations (at most 10, each in force on the
  /// as-of date) from `firm` to `owner` of the product of their shares, capped at 1, as
  /// Twinscan computes it.
  std::string effective_share(const std::string& firm, const std::string& owner) {
    const std::string chain = fresh("chain");
    const std::string n = fresh("n");
    const std::string m = fresh("m");
    const std::string r = fresh("r");
    const std::string share = fresh("share");
    const std::string total = fresh("total");
    const std::string each = fresh("chain_share");
    const std::string capped = fresh("capped");
    const std::string x = fresh("x");
    const std::string held = fresh("held");
    const std::string chains =
        "[" + chain + " = (" + firm + ")-[:OWNED_BY*1..10]->(" + owner + ") WHERE all(" + n +
        " IN nodes(" + chain + ") WHERE single(" + m + " IN nodes(" + chain + ") WHERE " + m +
        " = " + n + ")) AND all(" + held + " IN relationships(" + chain + ") WHERE " +
        in_force(held) + ") | reduce(" + share + " = 1.0, " + r + " IN relationships(" + chain +
        ") | " + share + " * coalesce(" + r + ".share, " + r + ".share_min))]";
    return "reduce(" + capped + " = 1.0, " + x + " IN [reduce(" + total + " = 0.0, " + each +
           " IN " + chains + " | " + total + " + coalesce(" + each + ", 0.0))] | CASE WHEN " + x +
           " < " + capped + " THEN " + x + " ELSE " + capped + " END)";
  }

  // ---- message ----

  bool is_numeric(const Expr& e) const {
    switch (e.kind) {
      case Expr::Kind::kInt:
      case Expr::Kind::kFloat:
        return true;
      case Expr::Kind::kParameter:
        return numeric_params_.count(e.text) != 0;
      case Expr::Kind::kProperty:
        return number_properties_.count(e.text) != 0;
      case Expr::Kind::kCall:
        return kNumericFunctions.count(e.text) != 0;
      case Expr::Kind::kUnary:
        return e.unary_op == UnaryOp::kNegate || e.unary_op == UnaryOp::kPlus;
      case Expr::Kind::kBinary:
        return e.binary_op == BinaryOp::kAdd || e.binary_op == BinaryOp::kSub ||
               e.binary_op == BinaryOp::kMul || e.binary_op == BinaryOp::kDiv ||
               e.binary_op == BinaryOp::kMod || e.binary_op == BinaryOp::kPow;
      default:
        return false;
    }
  }

  /// A number as Twinscan's messages print it: a whole number as it is, another with
  /// three significant digits and at least one decimal.
  std::string number_text(const std::string& number) {
    const std::string v = fresh("number");
    const std::string t = fresh("text");
    const std::string decimals = "2 - toInteger(floor(log10(abs(" + v + "))))";
    return "reduce(" + t + " = null, " + v + " IN [" + number + "] | CASE WHEN " + v +
           " = toInteger(" + v + ") THEN toString(toInteger(" + v + ")) ELSE toString(round(" + v +
           ", CASE WHEN " + decimals + " < 1 THEN 1 ELSE " + decimals + " END)) END)";
  }

  std::string display(const Expr& e) {
    if (e.kind == Expr::Kind::kCall && e.text == "days_between") {
      // A range of day counts prints as "between LO and HI", as in Twinscan's messages.
      const Bounds b = bounds(e);
      const std::string lo = fresh("low");
      const std::string hi = fresh("high");
      const std::string t = fresh("text");
      const std::string u = fresh("text");
      return "reduce(" + t + " = null, " + lo + " IN [" + b.lo + "] | reduce(" + u + " = null, " +
             hi + " IN [" + b.hi + "] | CASE WHEN " + lo + " = " + hi + " THEN toString(" + lo +
             ") ELSE 'between ' + toString(" + lo + ") + ' and ' + toString(" + hi + ") END))";
    }
    if (e.kind == Expr::Kind::kProperty && date_properties_.count(e.text) != 0) {
      // A date prints at its own precision.
      const std::string obj = expr(*e.children[0], true);
      return "coalesce(toString(" + obj + "." + e.text + "), " + obj + "." + e.text + "_partial)";
    }
    if (e.kind == Expr::Kind::kProperty && list_properties_.count(e.text) != 0) {
      // A list prints as its items separated by commas.
      const std::string list = expr(e, true);
      const std::string s = fresh("text");
      const std::string x = fresh("item");
      return "reduce(" + s + " = null, " + x + " IN " + list + " | coalesce(" + s +
             " + ', ', '') + toString(" + x + "))";
    }
    if (e.kind == Expr::Kind::kProperty && e.text == "country") {
      note("a country prints as its code, where Twinscan's message prints its English name");
    }
    if (is_numeric(e)) return number_text(expr(e, true));
    return "toString(" + expr(e, true) + ")";
  }

  std::string message() {
    const std::string& t = rule_.message;
    std::string out;
    std::string literal;
    auto flush = [&] {
      if (literal.empty()) return;
      out += (out.empty() ? "" : " + ") + quote(literal);
      literal.clear();
    };
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] != '{') {
        literal += t[i];
        continue;
      }
      const std::size_t close = t.find('}', i);
      if (close == std::string::npos) {
        literal += t.substr(i);
        break;
      }
      flush();
      const query::ExprPtr e = query::parse_expression(t.substr(i + 1, close - i - 1));
      out += (out.empty() ? "" : " + ") + std::string("coalesce(") + display(*e) + ", '(unknown)')";
      i = close;
    }
    flush();
    return out.empty() ? "''" : out;
  }

  const Rule& rule_;
  const Neo4jSettings& settings_;
  std::set<std::string, std::less<>> date_properties_;
  std::set<std::string, std::less<>> list_properties_;
  std::set<std::string, std::less<>> location_properties_;
  std::set<std::string, std::less<>> number_properties_;
  std::set<std::string, std::less<>> numeric_params_;
  std::set<std::string, std::less<>> entity_kinds_;
  std::set<std::string, std::less<>> node_vars_;
  std::set<std::string, std::less<>> relation_vars_;
  std::vector<std::string> bindings_;
  std::set<std::string> params_;
  std::vector<std::string> notes_;
  bool uses_home_ = false;
  bool uses_today_ = false;
  int fresh_ = 0;
};

}  // namespace

Neo4jRule translate_rule_neo4j(const Rule& rule, const model::Schema& schema,
                               const Neo4jSettings& settings) {
  return Translator(rule, schema, settings).run();
}

std::string neo4j_catalogue(const std::vector<Rule>& rules, const model::Schema& schema,
                            const Neo4jSettings& settings) {
  std::vector<Neo4jRule> translated;
  std::size_t ok = 0;
  std::size_t approximated = 0;
  for (const auto& r : rules) {
    translated.push_back(translate_rule_neo4j(r, schema, settings));
    if (translated.back().translated) {
      ++ok;
      if (!translated.back().approximations.empty()) ++approximated;
    }
  }
  std::string out =
      "// The Twinscan rule catalogue in Neo4j Cypher (twinscan rules export --dialect neo4j).\n"
      "// " +
      std::to_string(rules.size()) + " rules: " + std::to_string(ok) + " translated (" +
      std::to_string(approximated) + " with the approximations each states), " +
      std::to_string(rules.size() - ok) + " not translatable (listed below, as comments).\n" +
      "//\n"
      "// Reads the graph as `twinscan export --format neo4j` writes it and\n"
      "// `neo4j-admin database import full` loads it: the entity kind as the label, the\n"
      "// relation kind as the type, `id` on every entity and relation, dates of day\n"
      "// precision as `date` and the others as text in NAME_partial, locations as WGS-84\n"
      "// points, lists as arrays. Run it with cypher-shell (see docs/scale-out.md):\n"
      "//   cypher-shell -d neo4j --format plain -f catalogue.cypher\n"
      "// Each statement sets its parameters with :param just before it: the rules'\n"
      "// defaults, or what rules export was given (--param, --params, --home-country,\n"
      "// --as-of). Each returns one row per finding: rule, the ids of the bound\n"
      "// entities (the bindings of twinscan scan's findings), message.\n";
  std::string missing;
  for (const auto& t : translated) {
    if (!t.translated) missing += "//   " + t.id + '\n';
  }
  if (!missing.empty()) out += "//\n// Not translatable:\n" + missing;
  for (const auto& t : translated) out += '\n' + t.text;
  return out;
}

const std::vector<std::string>& export_dialects() {
  static const std::vector<std::string> dialects = {"neo4j"};
  return dialects;
}

}  // namespace twinscan::rules::dialect
