#include <catch2/catch.hpp>

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diag/caret.h"
#include "analyzer/query/lexer.h"
#include "analyzer/query/parser.h"
#include "analyzer/query/syntax_error.h"

using namespace twinscan::query;
namespace diag = twinscan::diag;

namespace {

std::string_view op_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "or";
    case BinaryOp::kXor:
      return "xor";
    case BinaryOp::kAnd:
      return "and";
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
      return "in";
    case BinaryOp::kStartsWith:
      return "starts";
    case BinaryOp::kEndsWith:
      return "ends";
    case BinaryOp::kContains:
      return "contains";
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
      return "index";
  }
  return "?";
}

std::string_view op_name(UnaryOp op) {
  switch (op) {
    case UnaryOp::kNot:
      return "not";
    case UnaryOp::kNegate:
      return "neg";
    case UnaryOp::kPlus:
      return "pos";
    case UnaryOp::kIsNull:
      return "isnull";
    case UnaryOp::kIsNotNull:
      return "isnotnull";
  }
  return "?";
}

std::string sexpr(const Expr& e);

std::string children(const Expr& e, std::string_view separator = " ") {
  std::string out;
  for (std::size_t i = 0; i < e.children.size(); ++i) {
    if (i > 0) out += separator;
    out += sexpr(*e.children[i]);
  }
  return out;
}

/// The tree as an S-expression, so that tests state its shape in one line.
std::string sexpr(const Expr& e) {
  std::ostringstream out;
  switch (e.kind) {
    case Expr::Kind::kNull:
      return "null";
    case Expr::Kind::kBool:
      return e.bool_value ? "true" : "false";
    case Expr::Kind::kInt:
      return std::to_string(e.int_value);
    case Expr::Kind::kFloat:
      out << e.float_value << 'f';
      return out.str();
    case Expr::Kind::kString:
      return "'" + e.text + "'";
    case Expr::Kind::kParameter:
      return "$" + e.text;
    case Expr::Kind::kVariable:
      return e.text;
    case Expr::Kind::kProperty:
      return "(. " + sexpr(*e.children[0]) + " " + e.text + ")";
    case Expr::Kind::kList:
      return "[" + children(e) + "]";
    case Expr::Kind::kMap: {
      std::string s = "{";
      for (std::size_t i = 0; i < e.keys.size(); ++i) {
        s += (i > 0 ? " " : "") + e.keys[i] + ":" + sexpr(*e.children[i]);
      }
      return s + "}";
    }
    case Expr::Kind::kUnary:
      return "(" + std::string(op_name(e.unary_op)) + " " + children(e) + ")";
    case Expr::Kind::kBinary:
      return "(" + std::string(op_name(e.binary_op)) + " " + children(e) + ")";
    case Expr::Kind::kCall:
      return e.text + "(" + (e.distinct ? "distinct " : "") + children(e, ", ") + ")";
    case Expr::Kind::kCountStar:
      return "count(*)";
    case Expr::Kind::kExists:
      return "exists{" + std::to_string(e.exists->patterns.size()) +
             (e.exists->where ? " where " + sexpr(*e.exists->where) : "") + "}";
    case Expr::Kind::kQuantifier:
      return "(" + e.text + " " + e.variable + " " + children(e) + ")";
    case Expr::Kind::kComprehension:
      return "[" + e.variable + " in " + children(e) + "]";
    case Expr::Kind::kCase:
      return std::string("(case") + (e.bool_value ? "-simple " : " ") +
             std::to_string(e.int_value) + " " + children(e) + ")";
  }
  return "?";
}

std::string expr(std::string_view text) {
  return sexpr(*parse_expression(text));
}

/// The source text under `span`.
std::string_view source(std::string_view text, SourceSpan span) {
  return text.substr(span.begin, span.end - span.begin);
}

struct Failure {
  std::string message;
  std::string caret;  ///< render_caret's two lines.
};

Failure query_failure(std::string_view text) {
  try {
    parse_query(text);
  } catch (const SyntaxError& e) {
    return {e.what(), diag::render_caret(text, e.span.begin, e.span.end)};
  }
  FAIL("no syntax error for: " << text);
  return {};
}

Failure expression_failure(std::string_view text) {
  try {
    parse_expression(text);
  } catch (const SyntaxError& e) {
    return {e.what(), diag::render_caret(text, e.span.begin, e.span.end)};
  }
  FAIL("no syntax error for: " << text);
  return {};
}

std::vector<TokenKind> kinds(std::string_view text) {
  std::vector<TokenKind> out;
  for (const Token& t : Lexer(text).tokenize()) out.push_back(t.kind);
  return out;
}

Token only_token(std::string_view text) {
  auto tokens = Lexer(text).tokenize();
  REQUIRE(tokens.size() == 2);
  REQUIRE(tokens[1].kind == TokenKind::kEnd);
  return tokens[0];
}

std::string lex_error(std::string_view text) {
  try {
    Lexer(text).tokenize();
  } catch (const SyntaxError& e) {
    return e.what();
  }
  FAIL("no lexer error for: " << text);
  return {};
}

const RelPattern& only_rel(const Query& q) {
  REQUIRE(q.matches.size() == 1);
  REQUIRE(q.matches[0].patterns.size() == 1);
  REQUIRE(q.matches[0].patterns[0].rels.size() == 1);
  return q.matches[0].patterns[0].rels[0];
}

}  // namespace

// ---------------------------------------------------------------------------
// Lexer

TEST_CASE("lexer: keywords are case-insensitive, names are not keywords", "[parser]") {
  using K = TokenKind;
  CHECK(kinds("match WHERE Return as") ==
        std::vector<K>{K::kMatch, K::kWhere, K::kReturn, K::kAs, K::kEnd});
  CHECK(kinds("distinct order by asc ascending desc descending skip limit") ==
        std::vector<K>{K::kDistinct, K::kOrder, K::kBy, K::kAsc, K::kAscending, K::kDesc,
                       K::kDescending, K::kSkip, K::kLimit, K::kEnd});
  CHECK(kinds("and or xor not in starts ends with contains is null true false exists") ==
        std::vector<K>{K::kAnd, K::kOr, K::kXor, K::kNot, K::kIn, K::kStarts, K::kEnds, K::kWith,
                       K::kContains, K::kIs, K::kNull, K::kTrue, K::kFalse, K::kExists, K::kEnd});
  const Token t = only_token("matches");
  CHECK(t.kind == K::kIdentifier);
  CHECK(t.text == "matches");
  CHECK(only_token("MaTcH").text == "MaTcH");
}

TEST_CASE("lexer: back-quoted names and non-ASCII names", "[parser]") {
  Token t = only_token("`weird name`");
  CHECK(t.kind == TokenKind::kQuotedIdentifier);
  CHECK(t.text == "weird name");
  CHECK(t.span.begin == 0);
  CHECK(t.span.end == 12);
  CHECK(only_token("`a``b`").text == "a`b");
  CHECK(only_token("`match`").kind == TokenKind::kQuotedIdentifier);
  t = only_token("société_2");
  CHECK(t.kind == TokenKind::kIdentifier);
  CHECK(t.text == "société_2");
  CHECK(only_token("_x").kind == TokenKind::kIdentifier);
}

TEST_CASE("lexer: string escapes decode to UTF-8", "[parser]") {
  CHECK(only_token(R"('a\nb')").text == "a\nb");
  CHECK(only_token(R"("\t\r\b\f\\\'\"")").text == "\t\r\b\f\\'\"");
  CHECK(only_token(R"('say "hi"')").text == "say \"hi\"");
  CHECK(only_token(R"("it's")").text == "it's");
  CHECK(only_token(R"('\u00e9')").text == "\xC3\xA9");
  CHECK(only_token(R"('\u20AC')").text == "\xE2\x82\xAC");
  CHECK(only_token(R"('\uD83D\uDE00')").text == "\xF0\x9F\x98\x80");
  CHECK(only_token("'héllo'").text == "héllo");
  const Token t = only_token(R"(  'a\n'  )");
  CHECK(t.span.begin == 2);
  CHECK(t.span.end == 7);
}

TEST_CASE("lexer: numbers", "[parser]") {
  Token t = only_token("42");
  CHECK(t.kind == TokenKind::kInteger);
  CHECK(t.int_value == 42);
  CHECK(only_token("0").int_value == 0);
  CHECK(only_token("9223372036854775807").int_value == 9223372036854775807ULL);
  t = only_token("1.5");
  CHECK(t.kind == TokenKind::kFloat);
  CHECK(t.float_value == 1.5);
  CHECK(only_token(".5").float_value == 0.5);
  CHECK(only_token("1e3").float_value == 1000.0);
  CHECK(only_token("1.5e-3").float_value == Approx(0.0015));
  CHECK(only_token("2E+2").float_value == 200.0);
  using K = TokenKind;
  CHECK(kinds("1..4") == std::vector<K>{K::kInteger, K::kDotDot, K::kInteger, K::kEnd});
  CHECK(kinds("*..3") == std::vector<K>{K::kStar, K::kDotDot, K::kInteger, K::kEnd});
  CHECK(kinds("n.x") == std::vector<K>{K::kIdentifier, K::kDot, K::kIdentifier, K::kEnd});
}

TEST_CASE("lexer: parameters, punctuation and comments", "[parser]") {
  const Token p = only_token("$min_share");
  CHECK(p.kind == TokenKind::kParameter);
  CHECK(p.text == "min_share");
  using K = TokenKind;
  CHECK(kinds("( ) [ ] { } , : . .. | - -> <- < > = <> != <= >= + * / % ^ =~ ;") ==
        std::vector<K>{K::kLParen, K::kRParen,     K::kLBracket,   K::kRBracket,  K::kLBrace,
                       K::kRBrace, K::kComma,      K::kColon,      K::kDot,       K::kDotDot,
                       K::kPipe,   K::kMinus,      K::kArrowRight, K::kArrowLeft, K::kLt,
                       K::kGt,     K::kEq,         K::kNe,         K::kNe,        K::kLe,
                       K::kGe,     K::kPlus,       K::kStar,       K::kSlash,     K::kPercent,
                       K::kCaret,  K::kRegexMatch, K::kSemicolon,  K::kEnd});
  CHECK(kinds("-->") == std::vector<K>{K::kMinus, K::kArrowRight, K::kEnd});
  CHECK(kinds("<--") == std::vector<K>{K::kArrowLeft, K::kMinus, K::kEnd});
  CHECK(kinds("a // comment ) (\n b /* ( \n */ c / d") ==
        std::vector<K>{K::kIdentifier, K::kIdentifier, K::kIdentifier, K::kSlash, K::kIdentifier,
                       K::kEnd});
  const auto tokens = Lexer("a /* x */ b").tokenize();
  CHECK(tokens[1].span.begin == 10);
  CHECK(tokens[2].span.begin == 11);
  CHECK(tokens[2].span.end == 11);
}

TEST_CASE("lexer: errors", "[parser]") {
  CHECK(
      lex_error(R"('a\qb')") ==
      R"(invalid escape sequence '\q' in a string; the escapes are \n \t \r \b \f \\ \' \" and \uXXXX)");
  CHECK(lex_error(R"('\u12')") ==
        R"('\u' in a string must be followed by four hexadecimal digits)");
  CHECK(
      lex_error(R"('\uD83D')") ==
      R"(unpaired surrogate in a string: '\uD83D' must be followed by a low surrogate '\uDC00'..'\uDFFF')");
  CHECK(
      lex_error(R"('\uDE00')") ==
      R"(unpaired surrogate in a string: '\uDE00' is a low surrogate without a high surrogate before it)");
  CHECK(lex_error("'abc") == "unterminated string: the closing ' is missing");
  CHECK(lex_error("\"abc") == "unterminated string: the closing \" is missing");
  CHECK(lex_error("`abc") == "unterminated back-quoted name: the closing '`' is missing");
  CHECK(lex_error("``") == "a back-quoted name cannot be empty");
  CHECK(lex_error("/* never closed") == "unterminated comment: '/*' has no matching '*/'");
  CHECK(lex_error("9223372036854775809") ==
        "integer '9223372036854775809' is too large; the largest integer is 9223372036854775807");
  CHECK(lex_error("12abc") ==
        "invalid number '12abc': numbers are decimal and cannot run into letters");
  CHECK(lex_error("0x1F") ==
        "invalid number '0x1F': numbers are decimal and cannot run into letters");
  CHECK(lex_error("007") ==
        "integer '007' has a leading zero; integers are decimal, write it without the zero");
  CHECK(lex_error("1e999") == "number '1e999' is out of range");
  CHECK(lex_error("$ x") == "expected a parameter name after '$'");
  CHECK(lex_error("a # b") == "unexpected character '#'");
  CHECK(lex_error("a ! b") ==
        "unexpected character '!'; use NOT for negation and <> for inequality");
  CHECK(lex_error(std::string("a \x01")) == "unexpected character '\\x01'");
  CHECK(lex_error(std::string(Lexer::kMaxInputBytes + 1, ' ')) ==
        "the query is 1048577 bytes long; the limit is 1 MiB (1048576 bytes)");
  CHECK_NOTHROW(Lexer(std::string(Lexer::kMaxInputBytes, ' ')).tokenize());
}

// ---------------------------------------------------------------------------
// Patterns

TEST_CASE("parser: node patterns", "[parser]") {
  const Query q =
      parse_query("MATCH (), (a), (:Company), (b:Company|Person|:Fund {name: 'x', `odd key`: 1})");
  REQUIRE(q.matches.size() == 1);
  const auto& patterns = q.matches[0].patterns;
  REQUIRE(patterns.size() == 4);
  CHECK(patterns[0].nodes[0].variable.empty());
  CHECK(patterns[0].nodes[0].kinds.empty());
  CHECK(patterns[1].nodes[0].variable == "a");
  CHECK(patterns[2].nodes[0].variable.empty());
  CHECK(patterns[2].nodes[0].kinds == std::vector<std::string>{"Company"});
  const NodePattern& b = patterns[3].nodes[0];
  CHECK(b.variable == "b");
  CHECK(b.kinds == std::vector<std::string>{"Company", "Person", "Fund"});
  REQUIRE(b.properties.size() == 2);
  CHECK(b.properties[0].first == "name");
  CHECK(sexpr(*b.properties[0].second) == "'x'");
  CHECK(b.properties[1].first == "odd key");
  CHECK(sexpr(*b.properties[1].second) == "1");
  const std::string_view text =
      "MATCH (), (a), (:Company), (b:Company|Person|:Fund {name: 'x', `odd key`: 1})";
  REQUIRE(b.kind_spans.size() == 3);
  CHECK(source(text, b.kind_spans[0]) == "Company");
  CHECK(source(text, b.kind_spans[2]) == "Fund");
  REQUIRE(b.property_spans.size() == 2);
  CHECK(source(text, b.property_spans[0]) == "name");
  CHECK(source(text, b.property_spans[1]) == "`odd key`");
  CHECK(source(text, b.span) == "(b:Company|Person|:Fund {name: 'x', `odd key`: 1})");
  CHECK(source(text, patterns[1].nodes[0].span) == "(a)");
}

TEST_CASE("parser: relationship directions", "[parser]") {
  struct Case {
    const char* text;
    Direction direction;
    bool bracketed;
  };
  const Case cases[] = {
      {"MATCH (a)-[r]->(b)", Direction::kOut, true},
      {"MATCH (a)<-[r]-(b)", Direction::kIn, true},
      {"MATCH (a)-[r]-(b)", Direction::kBoth, true},
      {"MATCH (a)-->(b)", Direction::kOut, false},
      {"MATCH (a)<--(b)", Direction::kIn, false},
      {"MATCH (a)--(b)", Direction::kBoth, false},
      {"MATCH (a)<-->(b)", Direction::kBoth, false},
      {"MATCH (a)<-[r]->(b)", Direction::kBoth, true},
      {"MATCH (a) - [r] -> (b)", Direction::kOut, true},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const Query q = parse_query(c.text);
    const RelPattern& rel = only_rel(q);
    CHECK(rel.direction == c.direction);
    CHECK(rel.variable == (c.bracketed ? "r" : ""));
    CHECK_FALSE(rel.variable_length);
    CHECK(rel.min_hops == 1);
    const std::string_view text = c.text;
    const std::string_view rel_text = source(text, rel.span);
    CHECK(rel_text.front() != '(');
    CHECK(rel_text.back() != '(');
    CHECK(text.substr(0, rel.span.begin).back() != '-');
    CHECK(q.matches[0].patterns[0].nodes.size() == 2);
  }
  const std::string_view text = "MATCH (a)<-[r:OWNS]-(b)";
  CHECK(source(text, only_rel(parse_query(text)).span) == "<-[r:OWNS]-");
}

TEST_CASE("parser: relationship types, ranges and properties", "[parser]") {
  const std::string_view text = "MATCH (a)-[r:OWNS|:CONTROLS|FUNDS*1..4 {share: 0.5}]->(b)";
  const Query q = parse_query(text);
  const RelPattern& rel = only_rel(q);
  CHECK(rel.types == std::vector<std::string>{"OWNS", "CONTROLS", "FUNDS"});
  REQUIRE(rel.type_spans.size() == 3);
  CHECK(source(text, rel.type_spans[1]) == "CONTROLS");
  CHECK(rel.variable_length);
  CHECK(rel.min_hops == 1);
  CHECK(rel.max_hops == std::optional<std::uint32_t>(4));
  REQUIRE(rel.properties.size() == 1);
  CHECK(rel.properties[0].first == "share");
  CHECK(source(text, rel.property_spans[0]) == "share");
  CHECK(rel.direction == Direction::kOut);

  struct Range {
    const char* text;
    std::uint32_t min;
    std::optional<std::uint32_t> max;
  };
  const Range ranges[] = {
      {"MATCH (a)-[*]->(b)", 1, std::nullopt},    {"MATCH (a)-[*2]->(b)", 2, 2},
      {"MATCH (a)-[*1..4]->(b)", 1, 4},           {"MATCH (a)-[*..3]->(b)", 1, 3},
      {"MATCH (a)-[*2..]->(b)", 2, std::nullopt}, {"MATCH (a)-[*0..]->(b)", 0, std::nullopt},
      {"MATCH (a)-[:T * 2 .. 5]-(b)", 2, 5},      {"MATCH (a)-[*3..3]->(b)", 3, 3},
  };
  for (const Range& r : ranges) {
    INFO(r.text);
    const Query rq = parse_query(r.text);
    const RelPattern& rr = only_rel(rq);
    CHECK(rr.variable_length);
    CHECK(rr.min_hops == r.min);
    CHECK(rr.max_hops == r.max);
  }
  const Query plain = parse_query("MATCH (a)-[:T]->(b)");
  CHECK_FALSE(only_rel(plain).variable_length);
  CHECK_FALSE(only_rel(plain).max_hops.has_value());
}

TEST_CASE("parser: named paths, several patterns and several MATCH clauses", "[parser]") {
  const std::string_view text =
      "MATCH p = (a:Company)-[:OWNS*1..3]->(b)<-[:OWNS]-(c), (d)\n"
      "WHERE a.id <> c.id\n"
      "MATCH (e) RETURN p";
  const Query q = parse_query(text);
  REQUIRE(q.matches.size() == 2);
  const MatchClause& m = q.matches[0];
  REQUIRE(m.patterns.size() == 2);
  const PathPattern& p = m.patterns[0];
  CHECK(p.path_variable == "p");
  REQUIRE(p.nodes.size() == 3);
  REQUIRE(p.rels.size() == 2);
  CHECK(p.nodes[1].variable == "b");
  CHECK(p.rels[0].direction == Direction::kOut);
  CHECK(p.rels[1].direction == Direction::kIn);
  CHECK(source(text, p.span) == "p = (a:Company)-[:OWNS*1..3]->(b)<-[:OWNS]-(c)");
  CHECK(m.patterns[1].path_variable.empty());
  CHECK(source(text, m.patterns[1].span) == "(d)");
  REQUIRE(m.where);
  CHECK(sexpr(*m.where) == "(<> (. a id) (. c id))");
  CHECK(source(text, m.span) ==
        "MATCH p = (a:Company)-[:OWNS*1..3]->(b)<-[:OWNS]-(c), (d)\nWHERE a.id <> c.id");
  CHECK_FALSE(q.matches[1].where);
  CHECK(source(text, q.matches[1].span) == "MATCH (e)");
  REQUIRE(q.returns);
  CHECK(source(text, q.returns->span) == "RETURN p");
}

TEST_CASE("parser: a query without RETURN, with a semicolon and comments", "[parser]") {
  Query q = parse_query("MATCH (n:Company) WHERE n.country = 'CN';");
  CHECK_FALSE(q.returns);
  CHECK(q.matches.size() == 1);
  q = parse_query("// rule: foreign owner\nMATCH (n) /* any */ RETURN n // done\n");
  CHECK(q.returns);
  q = parse_query("match (n) return n");
  CHECK(q.returns->items[0].text == "n");
}

TEST_CASE("parser: reserved words as property keys, kinds and back-quoted names", "[parser]") {
  const Query q = parse_query(
      "MATCH (`match`:Order {limit: 1})-[`return`:IN]->(x) "
      "WHERE `match`.order = {skip: 2}.skip AND x.`in` IS NULL "
      "RETURN `match`.limit AS `as`");
  const PathPattern& p = q.matches[0].patterns[0];
  CHECK(p.nodes[0].variable == "match");
  CHECK(p.nodes[0].kinds == std::vector<std::string>{"Order"});
  CHECK(p.nodes[0].properties[0].first == "limit");
  CHECK(p.rels[0].variable == "return");
  CHECK(p.rels[0].types == std::vector<std::string>{"IN"});
  CHECK(sexpr(*q.matches[0].where) ==
        "(and (= (. match order) (. {skip:2} skip)) (isnull (. x in)))");
  CHECK(q.returns->items[0].alias == "as");
  CHECK(q.returns->items[0].text == "`match`.limit");
}

// ---------------------------------------------------------------------------
// RETURN

TEST_CASE("parser: RETURN items, DISTINCT, ORDER BY, SKIP and LIMIT", "[parser]") {
  const std::string_view text =
      "MATCH (n)-[r]->(m) RETURN DISTINCT n.name AS name,  ( n.share * 100 ) , count(*) AS c "
      "ORDER BY c DESC, name, n.x ASCENDING, m.y DESCENDING, m.z ASC SKIP $skip LIMIT 10 + 1";
  const Query q = parse_query(text);
  REQUIRE(q.returns);
  const ReturnClause& r = *q.returns;
  CHECK(r.distinct);
  REQUIRE(r.items.size() == 3);
  CHECK(r.items[0].alias == "name");
  CHECK(r.items[0].text == "n.name");
  CHECK(r.items[1].alias.empty());
  CHECK(r.items[1].text == "( n.share * 100 )");
  CHECK(sexpr(*r.items[1].expr) == "(* (. n share) 100)");
  CHECK(r.items[2].text == "count(*)");
  CHECK(r.items[2].expr->kind == Expr::Kind::kCountStar);
  REQUIRE(r.order_by.size() == 5);
  CHECK(sexpr(*r.order_by[0].expr) == "c");
  CHECK(r.order_by[0].descending);
  CHECK_FALSE(r.order_by[1].descending);
  CHECK_FALSE(r.order_by[2].descending);
  CHECK(r.order_by[3].descending);
  CHECK_FALSE(r.order_by[4].descending);
  CHECK(sexpr(*r.skip) == "$skip");
  CHECK(sexpr(*r.limit) == "(+ 10 1)");
  CHECK(source(text, r.span).substr(0, 15) == "RETURN DISTINCT");
  CHECK(r.span.end == text.size());

  const Query plain = parse_query("MATCH (n) RETURN n");
  CHECK_FALSE(plain.returns->distinct);
  CHECK(plain.returns->order_by.empty());
  CHECK_FALSE(plain.returns->skip);
  CHECK_FALSE(plain.returns->limit);
  CHECK(sexpr(*parse_query("MATCH (n) RETURN n LIMIT 3").returns->limit) == "3");
}

// ---------------------------------------------------------------------------
// Expressions

TEST_CASE("parser: literals", "[parser]") {
  CHECK(expr("null") == "null");
  CHECK(expr("NULL") == "null");
  CHECK(expr("true") == "true");
  CHECK(expr("False") == "false");
  CHECK(expr("42") == "42");
  CHECK(expr("-42") == "-42");
  CHECK(expr("1.5") == "1.5f");
  CHECK(expr("-.5") == "-0.5f");
  CHECK(expr("'text'") == "'text'");
  CHECK(expr("\"text\"") == "'text'");
  CHECK(expr("$param") == "$param");
  CHECK(expr("[]") == "[]");
  CHECK(expr("[1, 'a', [true]]") == "[1 'a' [true]]");
  CHECK(expr("{}") == "{}");
  CHECK(expr("{a: 1, b: {c: null}}") == "{a:1 b:{c:null}}");
  CHECK(expr("-9223372036854775808") == "-9223372036854775808");
  CHECK(expr("9223372036854775807") == "9223372036854775807");
  CHECK(expr("- 5") == "-5");
  CHECK(expr("--5") == "5");
  CHECK(expr("-(5)") == "-5");
  CHECK(expr("+5") == "(pos 5)");
  CHECK(expr("-x") == "(neg x)");
  const ExprPtr e = parse_expression("-9223372036854775808");
  CHECK(e->kind == Expr::Kind::kInt);
  CHECK(e->int_value == INT64_MIN);
  CHECK(expr("- -9223372036854775808") == "(neg -9223372036854775808)");
}

TEST_CASE("parser: boolean operator precedence", "[parser]") {
  CHECK(expr("a OR b XOR c AND d") == "(or a (xor b (and c d)))");
  CHECK(expr("a AND b OR c") == "(or (and a b) c)");
  CHECK(expr("a OR b OR c") == "(or (or a b) c)");
  CHECK(expr("a XOR b XOR c") == "(xor (xor a b) c)");
  CHECK(expr("NOT a AND b") == "(and (not a) b)");
  CHECK(expr("NOT NOT a") == "(not (not a))");
  CHECK(expr("NOT a = b") == "(not (= a b))");
  CHECK(expr("(a OR b) AND c") == "(and (or a b) c)");
}

TEST_CASE("parser: comparisons and predicates", "[parser]") {
  CHECK(expr("a = b") == "(= a b)");
  CHECK(expr("a <> b") == "(<> a b)");
  CHECK(expr("a != b") == "(<> a b)");
  CHECK(expr("a < b") == "(< a b)");
  CHECK(expr("a <= b") == "(<= a b)");
  CHECK(expr("a > b") == "(> a b)");
  CHECK(expr("a >= b") == "(>= a b)");
  CHECK(expr("a =~ '^x.*'") == "(=~ a '^x.*')");
  CHECK(expr("a IN [1, 2]") == "(in a [1 2])");
  CHECK(expr("a STARTS WITH 'x'") == "(starts a 'x')");
  CHECK(expr("a ends with 'x'") == "(ends a 'x')");
  CHECK(expr("a CONTAINS 'x'") == "(contains a 'x')");
  CHECK(expr("a.b IS NULL") == "(isnull (. a b))");
  CHECK(expr("a IS NOT NULL") == "(isnotnull a)");
  CHECK(expr("a + 1 < b * 2") == "(< (+ a 1) (* b 2))");
  CHECK(expr("a<-1") == "(< a -1)");
  CHECK(expr("a <- x + 1") == "(< a (+ (neg x) 1))");
  CHECK(expr("a<--1") == "(< a 1)");
  CHECK(expr("(a < b) = true") == "(= (< a b) true)");
  CHECK(expr("a IS NULL OR b IS NOT NULL") == "(or (isnull a) (isnotnull b))");
}

TEST_CASE("parser: arithmetic precedence and associativity", "[parser]") {
  CHECK(expr("1 + 2 * 3") == "(+ 1 (* 2 3))");
  CHECK(expr("1 - 2 - 3") == "(- (- 1 2) 3)");
  CHECK(expr("a - b") == "(- a b)");
  CHECK(expr("8 / 4 / 2") == "(/ (/ 8 4) 2)");
  CHECK(expr("7 % 3 * 2") == "(* (% 7 3) 2)");
  CHECK(expr("2 ^ 3 ^ 2") == "(^ 2 (^ 3 2))");
  CHECK(expr("2 * 3 ^ 2") == "(* 2 (^ 3 2))");
  CHECK(expr("-2 ^ 2") == "(^ -2 2)");
  CHECK(expr("-x ^ 2") == "(^ (neg x) 2)");
  CHECK(expr("2 ^ -1") == "(^ 2 -1)");
  CHECK(expr("(1 + 2) * 3") == "(* (+ 1 2) 3)");
  CHECK(expr("-a.b") == "(neg (. a b))");
  CHECK(expr("1-1") == "(- 1 1)");
}

TEST_CASE("parser: property access and indexing", "[parser]") {
  CHECK(expr("a.b.c") == "(. (. a b) c)");
  CHECK(expr("a[0]") == "(index a 0)");
  CHECK(expr("a.list[1 + 1].name") == "(. (index (. a list) (+ 1 1)) name)");
  CHECK(expr("[1, 2][0]") == "(index [1 2] 0)");
  CHECK(expr("n.`odd key`") == "(. n odd key)");
  CHECK(expr("n.limit + n.order") == "(+ (. n limit) (. n order))");
  CHECK(expr("`weird var`.x") == "(. weird var x)");
}

TEST_CASE("parser: function calls", "[parser]") {
  CHECK(expr("date()") == "date()");
  CHECK(expr("Days_Between(a.signed_on, date())") == "days_between((. a signed_on), date())");
  CHECK(expr("toLower(n.name)") == "tolower((. n name))");
  CHECK(expr("count(*)") == "count(*)");
  CHECK(expr("COUNT(*)") == "count(*)");
  CHECK(expr("count(x)") == "count(x)");
  CHECK(expr("count(DISTINCT x)") == "count(distinct x)");
  CHECK(expr("collect(distinct n.name)") == "collect(distinct (. n name))");
  CHECK(expr("coalesce(a, b, 1)") == "coalesce(a, b, 1)");
  CHECK(expr("path_product(p, 'share') >= 0.5") == "(>= path_product(p, 'share') 0.5f)");
  const ExprPtr e = parse_expression("COUNT(*)");
  CHECK(e->kind == Expr::Kind::kCountStar);
  CHECK_FALSE(parse_expression("count(x)")->distinct);
}

TEST_CASE("parser: quantifiers", "[parser]") {
  CHECK(expr("any(x IN list WHERE x > 1)") == "(any x list (> x 1))");
  CHECK(expr("ALL(s IN n.shares WHERE s < 0.5)") == "(all s (. n shares) (< s 0.5f))");
  CHECK(expr("none(x in [1, 2] where x = 3)") == "(none x [1 2] (= x 3))");
  CHECK(expr("single(x IN xs WHERE x)") == "(single x xs x)");
  CHECK(expr("any(x IN xs)") == "(any x xs)");
  CHECK(expr("any(x)") == "any(x)");  // not a quantifier: a call to a function named any
  const ExprPtr e = parse_expression("all(`v` IN xs WHERE true)");
  CHECK(e->kind == Expr::Kind::kQuantifier);
  CHECK(e->variable == "v");
  CHECK(e->text == "all");
  CHECK(e->children.size() == 2);
}

TEST_CASE("parser: EXISTS subqueries", "[parser]") {
  ExprPtr e = parse_expression("EXISTS { (a)-[:OWNS]->(b:Company) }");
  REQUIRE(e->kind == Expr::Kind::kExists);
  REQUIRE(e->exists);
  REQUIRE(e->exists->patterns.size() == 1);
  CHECK(e->exists->patterns[0].rels[0].types == std::vector<std::string>{"OWNS"});
  CHECK_FALSE(e->exists->where);

  e = parse_expression("exists { MATCH (a)-->(b), (b)<--(c) WHERE c.x = 1 AND b.y }");
  REQUIRE(e->kind == Expr::Kind::kExists);
  CHECK(e->exists->patterns.size() == 2);
  REQUIRE(e->exists->where);
  CHECK(sexpr(*e->exists->where) == "(and (= (. c x) 1) (. b y))");

  CHECK(expr("NOT EXISTS { (a)--(b) } AND x") == "(and (not exists{1}) x)");
  CHECK(expr("EXISTS { (a {k: EXISTS { (b) }}) }") == "exists{1}");

  const std::string_view text = "MATCH (a) WHERE NOT EXISTS { (a)<-[:OWNS]-(:State) } RETURN a";
  const Query q = parse_query(text);
  const Expr& not_expr = *q.matches[0].where;
  CHECK(source(text, not_expr.span) == "NOT EXISTS { (a)<-[:OWNS]-(:State) }");
  CHECK(source(text, not_expr.children[0]->span) == "EXISTS { (a)<-[:OWNS]-(:State) }");
  CHECK(source(text, not_expr.children[0]->exists->patterns[0].span) == "(a)<-[:OWNS]-(:State)");
}

TEST_CASE("parser: expression spans", "[parser]") {
  const std::string_view text = "a.b + f(x, -2) * (c - 1) = [1, 2][0]";
  const ExprPtr e = parse_expression(text);
  CHECK(source(text, e->span) == text);
  const Expr& sum = *e->children[0];
  CHECK(source(text, sum.span) == "a.b + f(x, -2) * (c - 1)");
  CHECK(source(text, sum.children[0]->span) == "a.b");
  CHECK(source(text, sum.children[0]->children[0]->span) == "a");
  const Expr& product = *sum.children[1];
  CHECK(source(text, product.span) == "f(x, -2) * (c - 1)");
  CHECK(source(text, product.children[0]->span) == "f(x, -2)");
  CHECK(source(text, product.children[0]->children[1]->span) == "-2");
  CHECK(source(text, product.children[1]->span) == "c - 1");  // without the parentheses
  const Expr& index = *e->children[1];
  CHECK(source(text, index.span) == "[1, 2][0]");
  CHECK(source(text, index.children[0]->span) == "[1, 2]");

  const std::string_view t2 =
      "NOT x IS NOT NULL AND any(v IN l WHERE v) OR {k: 'é'}.k STARTS WITH $p";
  const ExprPtr e2 = parse_expression(t2);
  CHECK(source(t2, e2->span) == t2);
  CHECK(source(t2, e2->children[0]->span) == "NOT x IS NOT NULL AND any(v IN l WHERE v)");
  CHECK(source(t2, e2->children[0]->children[0]->children[0]->span) == "x IS NOT NULL");
  CHECK(source(t2, e2->children[0]->children[1]->span) == "any(v IN l WHERE v)");
  CHECK(source(t2, e2->children[1]->span) == "{k: 'é'}.k STARTS WITH $p");
  CHECK(source(t2, e2->children[1]->children[1]->span) == "$p");

  const std::string_view t3 = "x <-1";
  CHECK(source(t3, parse_expression(t3)->children[1]->span) == "-1");
}

// ---------------------------------------------------------------------------
// Errors: message and caret

TEST_CASE("parser errors: clauses", "[parser]") {
  Failure f = query_failure("MATCH (n) RETRUN n");
  CHECK(f.message == "unknown keyword 'RETRUN'; did you mean 'RETURN'?");
  CHECK(f.caret == "MATCH (n) RETRUN n\n          ^~~~~~\n");

  f = query_failure("MACTH (n) RETURN n");
  CHECK(f.message == "unknown keyword 'MACTH'; did you mean 'MATCH'?");
  CHECK(f.caret == "MACTH (n) RETURN n\n^~~~~\n");

  f = query_failure("MATCH (n) WHERE n.x = 1 ADN n.y = 2");
  CHECK(f.message == "unknown keyword 'ADN'; did you mean 'AND'?");
  CHECK(f.caret == "MATCH (n) WHERE n.x = 1 ADN n.y = 2\n                        ^~~\n");

  // In terminal columns: a Han character takes two, a combining accent none; the
  // tildes under a wide name are as wide as it is.
  f = query_failure("MATCH (n) WHERE n.name = \"東京都\" ADN n.y = 2");
  CHECK(f.caret ==
        "MATCH (n) WHERE n.name = \"東京都\" ADN n.y = 2\n"
        "                                  ^~~\n");
  f = query_failure("MATCH (n) WHERE n.name = \"Cafe\u0301\" ADN n.y = 2");
  CHECK(f.caret ==
        "MATCH (n) WHERE n.name = \"Cafe\u0301\" ADN n.y = 2\n"
        "                                ^~~\n");
  f = query_failure("MATCH (東京) RETRUN 東京");
  CHECK(f.caret == "MATCH (東京) RETRUN 東京\n             ^~~~~~\n");

  f = query_failure("MATCH (n) RETURN n ORDR BY n.x");
  CHECK(f.message == "unknown keyword 'ORDR'; did you mean 'ORDER'?");

  f = query_failure("1 + 1");
  CHECK(f.message ==
        "a query starts with MATCH, OPTIONAL MATCH, UNWIND, WITH or RETURN, found '1'");
  CHECK(f.caret == "1 + 1\n^\n");

  f = query_failure("  ");
  CHECK(f.message ==
        "a query starts with MATCH, OPTIONAL MATCH, UNWIND, WITH or RETURN, found the end of the "
        "input");

  f = query_failure("MATCH (n) CREATE (m)");
  CHECK(f.message ==
        "twinscan queries read the registry; CREATE writes to a graph and is not supported; "
        "change the registry's source files instead");
  CHECK(f.caret == "MATCH (n) CREATE (m)\n          ^~~~~~\n");

  for (const char* word : {"MERGE", "DELETE", "SET", "REMOVE"}) {
    INFO(word);
    CHECK(query_failure(std::string("MATCH (n) ") + word + " n").message ==
          "twinscan queries read the registry; " + std::string(word) +
              " writes to a graph and is not supported; change the registry's source files "
              "instead");
  }
  CHECK(query_failure("CREATE (n)").message.find("CREATE writes to a graph") != std::string::npos);
  f = query_failure("MATCH (n) WITH n DETACH DELETE n");
  CHECK(f.message.find("DETACH DELETE writes to a graph and is not supported") !=
        std::string::npos);
  CHECK(f.caret == "MATCH (n) WITH n DETACH DELETE n\n                 ^~~~~~~~~~~~~\n");
  f = query_failure("MATCH (n) CALL db.labels()");
  CHECK(f.message.rfind("twinscan queries read the registry; CALL runs a procedure", 0) == 0);
  CHECK(f.caret == "MATCH (n) CALL db.labels()\n          ^~~~\n");
  f = query_failure("LOAD CSV FROM 'x.csv' AS row RETURN row");
  CHECK(f.message.rfind("twinscan queries read the registry; LOAD CSV reads a file", 0) == 0);
  CHECK(f.caret == "LOAD CSV FROM 'x.csv' AS row RETURN row\n^~~~~~~~\n");
  f = query_failure("UNWIND [1] AS x FOREACH (y IN [x] | SET y.a = 1)");
  CHECK(f.message.rfind("twinscan queries read the registry; FOREACH runs writes", 0) == 0);
  CHECK(query_failure("MATCH (n) RETURN n UNION MATCH (m) RETURN m").message ==
        "'UNION' is not supported; run the queries one after the other");

  f = query_failure("MATCH (n) RETURN n MATCH (m)");
  CHECK(f.message == "MATCH cannot follow RETURN: RETURN is the last clause of a query");
  CHECK(f.caret == "MATCH (n) RETURN n MATCH (m)\n                   ^~~~~\n");

  f = query_failure("MATCH (n) WHERE a WHERE b");
  CHECK(f.message == "a MATCH clause has only one WHERE; join the conditions with AND");
  CHECK(f.caret == "MATCH (n) WHERE a WHERE b\n                  ^~~~~\n");

  f = query_failure("MATCH (n) RETURN n LIMIT 1 ORDER BY n");
  CHECK(f.message == "ORDER BY must come before SKIP and LIMIT");
  CHECK(f.caret == "MATCH (n) RETURN n LIMIT 1 ORDER BY n\n                           ^~~~~\n");

  f = query_failure("MATCH (n) LIMIT 1");
  CHECK(f.message ==
        "'LIMIT' belongs to RETURN or WITH: write RETURN ... ORDER BY ... SKIP ... LIMIT ...");

  f = query_failure("MATCH (n) RETURN n; MATCH (m)");
  CHECK(f.message == "expected the end of the query after ';', found 'MATCH'");
  CHECK(f.caret == "MATCH (n) RETURN n; MATCH (m)\n                    ^~~~~\n");

  f = query_failure("MATCH (n) RETURN n ORDER n");
  CHECK(f.message == "expected BY after ORDER, found 'n'");
  CHECK(f.caret == "MATCH (n) RETURN n ORDER n\n                         ^\n");

  f = query_failure("MATCH (n) RETURN *");
  CHECK(f.message == "'RETURN *' is not supported; list the values to return");
  CHECK(f.caret == "MATCH (n) RETURN *\n                 ^\n");

  f = query_failure("MATCH (n) RETURN n AS limit");
  CHECK(f.message == "'limit' is a reserved word; back-quote it to use it as a name: `limit`");

  f = query_failure("MATCH (n) RETURN n foo");
  CHECK(f.message == "expected ',', ORDER BY, SKIP, LIMIT or the end of the query, found 'foo'");

  f = query_failure("MATCH (n) x");
  CHECK(f.message == "expected ',', WHERE, MATCH, WITH, RETURN or the end of the query, found 'x'");

  f = query_failure("MATCH (n) WHERE (n.x = 1))");
  CHECK(f.message == "unbalanced ')': nothing is open for it to close");
  CHECK(f.caret == "MATCH (n) WHERE (n.x = 1))\n                         ^\n");
}

TEST_CASE("parser errors: patterns", "[parser]") {
  Failure f = query_failure("MATCH (n, m)");
  CHECK(f.message == "expected ')' to close the node pattern, found ','");
  CHECK(f.caret == "MATCH (n, m)\n        ^\n");

  f = query_failure("MATCH (n:Company");
  CHECK(f.message == "expected ')' to close the node pattern, found the end of the input");
  CHECK(f.caret == "MATCH (n:Company\n                ^\n");

  f = query_failure("MATCH n");
  CHECK(f.message == "expected '(' to start a node pattern, found 'n'");
  CHECK(f.caret == "MATCH n\n      ^\n");

  f = query_failure("MATCH (limit)");
  CHECK(f.message == "'limit' is a reserved word; back-quote it to use it as a name: `limit`");
  CHECK(f.caret == "MATCH (limit)\n       ^~~~~\n");

  f = query_failure("MATCH (n:A:B)");
  CHECK(f.message ==
        "a node pattern takes one kind or alternatives written ':A|B'; ':A:B' is not supported");
  CHECK(f.caret == "MATCH (n:A:B)\n          ^\n");

  f = query_failure("MATCH (a)-[*3..1]->(b)");
  CHECK(f.message == "the minimum number of hops (3) is larger than the maximum (1)");
  CHECK(f.caret == "MATCH (a)-[*3..1]->(b)\n           ^~~~~\n");

  f = query_failure("MATCH (a)-[*..0]->(b)");
  CHECK(f.message == "the minimum number of hops (1) is larger than the maximum (0)");

  f = query_failure("MATCH (a)-[*4294967296]->(b)");
  CHECK(f.message == "hop count 4294967296 is too large");

  f = query_failure("MATCH (a)-[r:T(b)");
  CHECK(f.message == "expected ']' to close the relationship pattern, found '('");
  CHECK(f.caret == "MATCH (a)-[r:T(b)\n              ^\n");

  f = query_failure("MATCH (a)-[r]>(b)");
  CHECK(f.message == "expected '[', '-' or '->' to continue the relationship pattern, found '>'");
  CHECK(f.caret == "MATCH (a)-[r]>(b)\n             ^\n");

  f = query_failure("MATCH (a)<-[r](b)");
  CHECK(f.message == "expected '-' or '->' to finish the relationship pattern, found '('");

  f = query_failure("MATCH (a)-->");
  CHECK(f.message == "expected '(' to start a node pattern, found the end of the input");
  CHECK(f.caret == "MATCH (a)-->\n            ^\n");

  f = query_failure("MATCH (a {name 'x'})");
  CHECK(f.message == "expected ':' after the property name, found the string 'x'");
  CHECK(f.caret == "MATCH (a {name 'x'})\n               ^~~\n");

  f = query_failure("MATCH (a {name: 'x' age: 3})");
  CHECK(f.message == "expected ',' or '}' to close the property map, found 'age'");

  f = query_failure("MATCH (a:)");
  CHECK(f.message == "expected a kind after ':', found ')'");
}

TEST_CASE("parser errors: expressions", "[parser]") {
  Failure f = query_failure("MATCH (n) WHERE 1 < n.x < 3");
  CHECK(f.message ==
        "comparisons cannot be chained: write 'a < b AND b < c' rather than 'a < b < c', and put "
        "parentheses around a comparison used as a value");
  CHECK(f.caret == "MATCH (n) WHERE 1 < n.x < 3\n                        ^\n");
  CHECK(query_failure("MATCH (n) WHERE a = b = c").message.rfind("comparisons cannot", 0) == 0);
  CHECK(query_failure("MATCH (n) WHERE a IS NULL IS NULL").message.rfind("comparisons", 0) == 0);

  f = query_failure("MATCH (n) WHERE n:Person RETURN n");
  CHECK(f.message ==
        "label predicates such as 'n:Kind' are not supported in expressions; compare the kind: "
        "n.kind = 'Kind'");
  CHECK(f.caret == "MATCH (n) WHERE n:Person RETURN n\n                 ^\n");

  f = query_failure("MATCH (a) WHERE (a)-->(b)");
  CHECK(f.message ==
        "expected an expression, found '->'; pattern predicates are not supported in expressions, "
        "write EXISTS { (a)-->(b) }");
  CHECK(f.caret == "MATCH (a) WHERE (a)-->(b)\n                    ^~\n");

  f = query_failure("MATCH (a) WHERE exists(a.name)");
  CHECK(f.message ==
        "EXISTS(...) is not supported: write EXISTS { (a)-->(b) } for a pattern, or 'x IS NOT "
        "NULL' for a value");
  CHECK(f.caret == "MATCH (a) WHERE exists(a.name)\n                      ^\n");

  f = query_failure("MATCH (a) WHERE EXISTS { (a)-->(b) WHERE b.x");
  CHECK(f.message == "expected '}' to close EXISTS { ... }, found the end of the input");

  f = query_failure("MATCH (a) WHERE a.x IS 3");
  CHECK(f.message == "expected NULL or NOT NULL after IS, found '3'");
  CHECK(f.caret == "MATCH (a) WHERE a.x IS 3\n                       ^\n");

  f = query_failure("MATCH (a) WHERE a.x STARTS 'x'");
  CHECK(f.message == "expected WITH after STARTS, found the string 'x'");

  f = query_failure("MATCH (a) WHERE a.x = ");
  CHECK(f.message == "expected an expression, found the end of the input");
  CHECK(f.caret == "MATCH (a) WHERE a.x = \n                     ^\n");

  f = query_failure("MATCH (a) WHERE f(1, 2");
  CHECK(f.message ==
        "expected ',' or ')' to close the arguments of f(), found the end of the input");

  f = query_failure("MATCH (a) WHERE a.x IN [1, 2");
  CHECK(f.message == "expected ',' or ']' to close the list, found the end of the input");

  f = query_failure("MATCH (a) WHERE any(x IN a.l WHERE x > 1");
  CHECK(f.message == "expected ')' to close any(...), found the end of the input");

  f = query_failure("MATCH (a) WHERE a. = 1");
  CHECK(f.message == "expected a property name after '.', found '='");

  f = query_failure("MATCH (a) RETURN 9223372036854775808");
  CHECK(f.message ==
        "integer '9223372036854775808' is too large; the largest integer is 9223372036854775807");
  CHECK(f.caret == "MATCH (a) RETURN 9223372036854775808\n                 ^~~~~~~~~~~~~~~~~~~\n");

  f = query_failure("MATCH (a) WHERE a.name = 'x\\y'");
  CHECK(f.message.rfind("invalid escape sequence '\\y' in a string", 0) == 0);
  CHECK(f.caret == "MATCH (a) WHERE a.name = 'x\\y'\n                           ^~\n");

  f = query_failure("MATCH (a) WHERE a.name = 'never closed");
  CHECK(f.message == "unterminated string: the closing ' is missing");
  CHECK(f.caret == "MATCH (a) WHERE a.name = 'never closed\n                         ^\n");

  f = query_failure("MATCH (a) /* where");
  CHECK(f.message == "unterminated comment: '/*' has no matching '*/'");
  CHECK(f.caret == "MATCH (a) /* where\n          ^~\n");

  f = expression_failure("a b");
  CHECK(f.message == "expected an operator or the end of the expression, found 'b'");
  CHECK(f.caret == "a b\n  ^\n");
}

TEST_CASE("parser errors: carets on later lines and after multi-byte characters", "[parser]") {
  const std::string text = "MATCH (n:Société)\n\tWHERE n.nom = 'é' AND\n\tRETURN n";
  const Failure f = query_failure(text);
  CHECK(f.message == "expected an expression, found 'RETURN'");
  CHECK(f.caret == "\tRETURN n\n\t^~~~~~\n");

  const std::string text2 = "MATCH (n:Société {x: 1 2})";
  const Failure f2 = query_failure(text2);
  CHECK(f2.message == "expected ',' or '}' to close the property map, found '2'");
  CHECK(f2.caret == "MATCH (n:Société {x: 1 2})\n                       ^\n");
}

TEST_CASE("parser: nesting is limited, never a stack overflow", "[parser]") {
  const auto nested = [](std::size_t depth, const char* open, const char* inner,
                         const char* close) {
    std::string s;
    for (std::size_t i = 0; i < depth; ++i) s += open;
    s += inner;
    for (std::size_t i = 0; i < depth; ++i) s += close;
    return s;
  };
  CHECK(expr(nested(200, "(", "1", ")")) == "1");
  CHECK_NOTHROW(parse_expression(nested(200, "[", "1", "]")));
  const std::string deep = nested(300, "(", "1", ")");
  const Failure f = expression_failure(deep);
  CHECK(f.message ==
        "the query is nested too deeply: more than 256 levels of parentheses, operators or "
        "patterns");
  CHECK(expression_failure(nested(200000, "(", "1", ")")).message.rfind("the query is nested", 0) ==
        0);
  CHECK(expression_failure(nested(100000, "[", "1", "]")).message.rfind("the query is nested", 0) ==
        0);
  CHECK(expression_failure(nested(100000, "{a: ", "1", "}")).message.rfind("the query is", 0) == 0);
  CHECK(expression_failure(nested(100000, "f(", "1", ")")).message.rfind("the query is", 0) == 0);
  CHECK(expression_failure(nested(100000, "NOT ", "x", "")).message.rfind("the query is", 0) == 0);
  CHECK(expression_failure(nested(100000, "-", "x", "")).message.rfind("the query is", 0) == 0);
  CHECK(expression_failure(nested(100000, "2^", "x", "")).message.rfind("the query is", 0) == 0);
  CHECK(expression_failure(nested(100000, "x + ", "x", "")).message.rfind("the query is", 0) == 0);
  CHECK(expression_failure("x" + nested(100000, ".a", "", "")).message.rfind("the query is", 0) ==
        0);
  CHECK(expression_failure(nested(50000, "EXISTS { (a {p: ", "1", "}) }"))
            .message.rfind("the query is", 0) == 0);
  CHECK(query_failure("MATCH (n) WHERE " + nested(100000, "(", "1", ")"))
            .message.rfind("the query", 0) == 0);
  // A long flat list is not deep.
  std::string list = "[1";
  for (int i = 0; i < 10000; ++i) list += ", 1";
  CHECK(parse_expression(list + "]")->children.size() == 10001);
}

// ---------------------------------------------------------------------------
// Carets and positions

TEST_CASE("render_caret and line_and_column", "[parser]") {
  const std::string_view text = "MATCH (a)\n\tWHERE é.x = 1\r\nRETURN a";
  CHECK(diag::line_and_column(text, 0) == std::pair<std::uint32_t, std::uint32_t>{1, 1});
  CHECK(diag::line_and_column(text, 7) == std::pair<std::uint32_t, std::uint32_t>{1, 8});
  const auto e = static_cast<std::uint32_t>(text.find("é"));
  CHECK(diag::line_and_column(text, e) == std::pair<std::uint32_t, std::uint32_t>{2, 8});
  const auto x = static_cast<std::uint32_t>(text.find(".x"));
  CHECK(diag::line_and_column(text, x) == std::pair<std::uint32_t, std::uint32_t>{2, 9});
  const auto r = static_cast<std::uint32_t>(text.find("RETURN"));
  CHECK(diag::line_and_column(text, r) == std::pair<std::uint32_t, std::uint32_t>{3, 1});
  CHECK(diag::line_and_column(text, 100000) == std::pair<std::uint32_t, std::uint32_t>{3, 9});

  CHECK(diag::render_caret(text, x, x + 2) == "\tWHERE é.x = 1\n\t       ^~\n");
  CHECK(diag::render_caret(text, e, x + 2) == "\tWHERE é.x = 1\n\t      ^~~\n");
  CHECK(diag::render_caret(text, r, r + 6) == "RETURN a\n^~~~~~\n");
  // A span running past the end of its line is cut at the line's end (and before "\r").
  CHECK(diag::render_caret(text, x, r + 3) == "\tWHERE é.x = 1\n\t       ^~~~~~\n");
  // An empty span gets a lone caret; the end of the text is a valid place.
  CHECK(diag::render_caret(text, 0, 0) == "MATCH (a)\n^\n");
  const auto end = static_cast<std::uint32_t>(text.size());
  CHECK(diag::render_caret(text, end, end) == "RETURN a\n        ^\n");
  CHECK(diag::render_caret("", 0, 0) == "\n^\n");
}

TEST_CASE("parser: CASE, list comprehensions, COUNT { } and the clauses after MATCH", "[parser]") {
  CHECK(expr("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END") ==
        "(case-simple 2 x 1 'a' 2 'b' 'c')");
  CHECK(expr("case when a > 1 then b end") == "(case 1 (> a 1) b)");
  CHECK(expr("[x IN l WHERE x > 1 | x * 2]") == "[x in l (> x 1) (* x 2)]");
  CHECK(expr("[x IN l]") == "[x in l true x]");
  CHECK(expr("[x IN l | x.name]") == "[x in l true (. x name)]");
  CHECK(expr("[a, b IN l]") == "[a (in b l)]");
  CHECK(expr("COUNT { (a)-->(b) WHERE b.x = 1 } > 2") == "(> exists{1 where (= (. b x) 1)} 2)");
  CHECK(expr("count(x)") == "count(x)");
  CHECK(expr("case.x") == "(. case x)");

  const Query q = parse_query(
      "MATCH (a) WITH a, count(*) AS n ORDER BY n SKIP 1 LIMIT 2 WHERE n > 1 "
      "OPTIONAL MATCH (a)-->(b) UNWIND [1] AS x MATCH (b)-->(c) RETURN a");
  REQUIRE(q.matches.size() == 1);
  REQUIRE(q.clauses.size() == 4);
  CHECK(q.clauses[0].kind == Clause::Kind::kWith);
  CHECK(q.clauses[0].projection.items.size() == 2);
  CHECK(q.clauses[0].projection.order_by.size() == 1);
  CHECK(q.clauses[0].projection.skip);
  CHECK(q.clauses[0].projection.limit);
  CHECK(sexpr(*q.clauses[0].where) == "(> n 1)");
  CHECK(q.clauses[1].kind == Clause::Kind::kOptionalMatch);
  CHECK(q.clauses[2].kind == Clause::Kind::kUnwind);
  CHECK(q.clauses[2].variable == "x");
  CHECK(q.clauses[3].kind == Clause::Kind::kMatch);
  CHECK(parse_query("RETURN 1").returns);
  CHECK(parse_query("UNWIND [1] AS x RETURN x").clauses.size() == 1);

  Failure f = query_failure("MATCH (a) WITH * RETURN a");
  CHECK(f.message == "'WITH *' is not supported; list the values to carry on");
  f = query_failure("MATCH (a) WITH a WHERE x WHERE y RETURN a");
  CHECK(f.message == "a WITH clause has only one WHERE; join the conditions with AND");
  f = query_failure("UNWIND [1] AS x WHERE x > 1 RETURN x");
  CHECK(f.message == "UNWIND takes no WHERE; filter its rows with WITH x WHERE ...");
  f = query_failure("MATCH (a) OPTIONAL (a)-->(b) RETURN a");
  CHECK(f.message == "OPTIONAL is followed by MATCH: OPTIONAL MATCH pattern [WHERE condition]");
  CHECK(f.caret == "MATCH (a) OPTIONAL (a)-->(b) RETURN a\n          ^~~~~~~~\n");
  std::string many;
  for (int i = 0; i < 300; ++i) many += "WITH 1 AS x ";
  f = query_failure(many + "RETURN x");
  CHECK(f.message == "the query has too many clauses: more than 256");
  f = query_failure("UNWIND [1] x RETURN x");
  CHECK(f.message == "expected AS after the list of UNWIND, found 'x'");
}
