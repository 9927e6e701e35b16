#include "analyzer/query/parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/query/lexer.h"
#include "analyzer/query/token.h"
#include "analyzer/util/nearest_name.h"

namespace twinscan::query {
namespace {

/// Why an openCypher clause that Twinscan does not run is refused, by its keyword(s).
std::string unsupported_message(const std::string& clause) {
  const std::string head = "twinscan queries read the registry; ";
  if (clause == "CREATE" || clause == "MERGE" || clause == "SET" || clause == "DELETE" ||
      clause == "DETACH DELETE" || clause == "REMOVE") {
    return head + clause +
           " writes to a graph and is not supported; change the registry's source files "
           "instead";
  }
  if (clause == "DETACH") return head + "DETACH DELETE writes to a graph and is not supported";
  if (clause == "FOREACH") {
    return head +
           "FOREACH runs writes for each element of a list and is not supported; "
           "UNWIND list AS x reads one row per element";
  }
  if (clause == "CALL") {
    return head +
           "CALL runs a procedure and is not supported; the built-in functions are "
           "listed by twinscan query --functions, and twinscan path, neighbours and "
           "metrics run graph algorithms";
  }
  if (clause == "LOAD CSV" || clause == "LOAD") {
    return head +
           "LOAD CSV reads a file into a query and is not supported; bring data in "
           "with twinscan import";
  }
  if (clause == "UNION" || clause == "UNION ALL") {
    return "'" + clause + "' is not supported; run the queries one after the other";
  }
  if (clause == "USE") {
    return "'USE' is not supported: a query runs on the registry given with --registry";
  }
  return "'" + clause + "' is not supported";
}

/// 2^63: the magnitude of INT64_MIN, valid only right after a unary minus.
constexpr std::uint64_t kInt64MinMagnitude =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;

/// A binary operator and the token that spells it.
struct OperatorToken {
  TokenKind token;
  BinaryOp op;
};

constexpr std::array kOrOperators{OperatorToken{TokenKind::kOr, BinaryOp::kOr}};
constexpr std::array kXorOperators{OperatorToken{TokenKind::kXor, BinaryOp::kXor}};
constexpr std::array kAndOperators{OperatorToken{TokenKind::kAnd, BinaryOp::kAnd}};
constexpr std::array kAdditiveOperators{OperatorToken{TokenKind::kPlus, BinaryOp::kAdd},
                                        OperatorToken{TokenKind::kMinus, BinaryOp::kSub}};
constexpr std::array kMultiplicativeOperators{OperatorToken{TokenKind::kStar, BinaryOp::kMul},
                                              OperatorToken{TokenKind::kSlash, BinaryOp::kDiv},
                                              OperatorToken{TokenKind::kPercent, BinaryOp::kMod}};
/// Comparisons spelled by one token; STARTS WITH, ENDS WITH, IS [NOT] NULL and `<-`
/// (read as `< -`) are handled apart.
constexpr std::array kComparisonOperators{
    OperatorToken{TokenKind::kEq, BinaryOp::kEq},
    OperatorToken{TokenKind::kNe, BinaryOp::kNe},
    OperatorToken{TokenKind::kLt, BinaryOp::kLt},
    OperatorToken{TokenKind::kLe, BinaryOp::kLe},
    OperatorToken{TokenKind::kGt, BinaryOp::kGt},
    OperatorToken{TokenKind::kGe, BinaryOp::kGe},
    OperatorToken{TokenKind::kRegexMatch, BinaryOp::kRegexMatch},
    OperatorToken{TokenKind::kIn, BinaryOp::kIn},
    OperatorToken{TokenKind::kContains, BinaryOp::kContains},
};

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_name(TokenKind kind) {
  return kind == TokenKind::kIdentifier || kind == TokenKind::kQuotedIdentifier;
}

bool is_quantifier(std::string_view lower_name) {
  return lower_name == "any" || lower_name == "all" || lower_name == "none" ||
         lower_name == "single";
}

ExprPtr make_expr(Expr::Kind kind, SourceSpan span) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->span = span;
  return e;
}

ExprPtr make_binary(BinaryOp op, ExprPtr lhs, ExprPtr rhs, SourceSpan span) {
  ExprPtr e = make_expr(Expr::Kind::kBinary, span);
  e->binary_op = op;
  e->children.push_back(std::move(lhs));
  e->children.push_back(std::move(rhs));
  return e;
}

ExprPtr make_unary(UnaryOp op, ExprPtr operand, SourceSpan span) {
  ExprPtr e = make_expr(Expr::Kind::kUnary, span);
  e->unary_op = op;
  e->children.push_back(std::move(operand));
  return e;
}

/// Where the parser stands between clauses, to say what could come next.
enum class ClausePosition : std::uint8_t {
  kStart,
  kAfterMatch,
  kAfterWhere,
  kAfterReturnItems,
  kAfterOrderBy,
  kAfterSkip,
  kAfterLimit,
  kAfterUnwind,
  kAfterWith,
  kAfterWithWhere,
  kAfterSemicolon,
};

bool is_in_return(ClausePosition p) {
  return p == ClausePosition::kAfterReturnItems || p == ClausePosition::kAfterOrderBy ||
         p == ClausePosition::kAfterSkip || p == ClausePosition::kAfterLimit;
}

std::string_view expected_after(ClausePosition p) {
  switch (p) {
    case ClausePosition::kAfterMatch:
      return "',', WHERE, MATCH, WITH, RETURN or the end of the query";
    case ClausePosition::kAfterWhere:
      return "an operator, MATCH, WITH, RETURN or the end of the query";
    case ClausePosition::kAfterUnwind:
    case ClausePosition::kAfterWith:
      return "MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN or the end of the query";
    case ClausePosition::kAfterWithWhere:
      return "an operator, MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN or the end of the query";
    case ClausePosition::kAfterReturnItems:
      return "',', ORDER BY, SKIP, LIMIT or the end of the query";
    case ClausePosition::kAfterOrderBy:
      return "',', ASC, DESC, SKIP, LIMIT or the end of the query";
    case ClausePosition::kAfterSkip:
      return "LIMIT or the end of the query";
    case ClausePosition::kAfterLimit:
      return "the end of the query";
    case ClausePosition::kAfterSemicolon:
      return "the end of the query after ';'";
    case ClausePosition::kStart:
      break;
  }
  return "MATCH";
}

/// The clause keyword within edit distance 2 of `word`, for "did you mean".
std::optional<std::string> near_clause_keyword(std::string_view word, bool after_where) {
  static const std::vector<std::string> kClauses{"MATCH", "WHERE", "RETURN", "ORDER",
                                                 "SKIP",  "LIMIT", "UNWIND", "OPTIONAL"};
  static const std::vector<std::string> kOperators{"AND", "XOR"};
  if (word.size() < 3) return std::nullopt;
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  auto consider = [&](const std::vector<std::string>& candidates) {
    for (const auto& candidate : candidates) {
      const std::size_t d = util::edit_distance(word, candidate);
      if (d < best_distance) {
        best_distance = d;
        best = candidate;
      }
    }
  };
  consider(kClauses);
  if (after_where) consider(kOperators);
  return best;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text), lexer_(text) {}

  Query query();
  ExprPtr whole_expression();

 private:
  /// Counts one level of nesting for as long as it lives.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& parser) : parser_(parser) { parser_.enter_level(); }
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };

  /// Counts one level per operator of a left-leaning chain (a + b + c), whose tree
  /// is as deep as the chain is long.
  class ChainDepth {
   public:
    explicit ChainDepth(Parser& parser) : parser_(parser) {}
    ~ChainDepth() { parser_.depth_ -= added_; }
    ChainDepth(const ChainDepth&) = delete;
    ChainDepth& operator=(const ChainDepth&) = delete;
    void add() {
      parser_.enter_level();
      ++added_;
    }

   private:
    Parser& parser_;
    std::uint32_t added_ = 0;
  };

  // Tokens.
  [[nodiscard]] const Token& peek(std::size_t ahead = 0) const;
  [[nodiscard]] bool at(TokenKind kind) const { return peek().kind == kind; }
  Token advance();
  bool accept(TokenKind kind);
  Token expect(TokenKind kind, std::string_view what);
  /// Start of the next expression, including a minus split off a `<-` token.
  [[nodiscard]] std::uint32_t current_begin() const {
    return pending_minus_ ? pending_minus_->begin : peek().span.begin;
  }
  [[nodiscard]] SourceSpan since(std::uint32_t begin) const { return {begin, prev_end_}; }

  // Errors.
  [[noreturn]] void fail(const std::string& message, SourceSpan span) const;
  [[noreturn]] void fail_expected(std::string_view what) const;
  [[nodiscard]] std::string describe(const Token& token) const;
  [[nodiscard]] SourceSpan error_span(const Token& token) const;
  void enter_level();

  // Names.
  std::string variable_name(std::string_view what);
  std::string schema_name(std::string_view what, SourceSpan& span);
  [[noreturn]] void reserved_word_error(const Token& token) const;

  // Clauses.
  MatchClause match_clause();
  ReturnClause return_clause();
  void with_clause(Clause& clause);
  void projection_body(ReturnClause& clause, std::string_view keyword);
  [[nodiscard]] bool at_word(std::string_view upper, std::size_t ahead = 0) const;
  [[nodiscard]] bool at_reading_clause() const;
  ReturnItem return_item();
  void order_by(ReturnClause& clause);
  void finish_query();
  [[noreturn]] void clause_error() const;
  [[nodiscard]] std::optional<std::string> unsupported_clause(SourceSpan& span) const;
  [[nodiscard]] std::optional<std::string> misplaced_keyword() const;

  // Patterns.
  PathPattern path_pattern();
  NodePattern node_pattern();
  RelPattern rel_pattern();
  void rel_body(RelPattern& rel);
  void hop_range(RelPattern& rel);
  std::uint32_t hop_count();
  void names(std::vector<std::string>& out, std::vector<SourceSpan>& spans, std::string_view what);
  std::vector<std::pair<std::string, ExprPtr>> property_map(std::vector<SourceSpan>& key_spans);

  // Expressions, lowest precedence first.
  ExprPtr expression();
  ExprPtr left_chain(ExprPtr (Parser::*operand)(), std::span<const OperatorToken> operators);
  ExprPtr or_expr();
  ExprPtr xor_expr();
  ExprPtr and_expr();
  ExprPtr not_expr();
  ExprPtr comparison();
  ExprPtr comparison_tail(ExprPtr lhs, std::uint32_t begin);
  [[nodiscard]] bool at_comparison() const;
  ExprPtr additive();
  ExprPtr multiplicative();
  ExprPtr power();
  ExprPtr unary();
  ExprPtr negate(ExprPtr operand, std::uint32_t begin);
  ExprPtr postfix();
  ExprPtr atom();
  ExprPtr literal();
  ExprPtr list_literal();
  ExprPtr map_literal();
  ExprPtr parenthesized();
  ExprPtr call();
  ExprPtr quantifier();
  ExprPtr exists_subquery();
  ExprPtr count_subquery();
  ExprPtr subquery_body(std::uint32_t begin, const std::string& keyword);
  [[nodiscard]] bool starts_case() const;
  ExprPtr case_expression();
  ExprPtr comprehension(std::uint32_t begin);

  std::string_view text_;
  /// Tokens are read on demand, so that an error early in a huge input is found
  /// without lexing all of it; peek() may look up to four tokens ahead.
  mutable Lexer lexer_;
  mutable std::deque<Token> lookahead_;
  std::uint32_t prev_end_ = 0;  ///< End of the last token consumed.
  std::uint32_t depth_ = 0;
  /// A `<-` read as `<` leaves its `-` here for the operand that follows (`a<-1`).
  std::optional<SourceSpan> pending_minus_;
  ClausePosition position_ = ClausePosition::kStart;
  bool in_with_ = false;  ///< Between WITH and the end of its projection.
};

// ---------------------------------------------------------------------------
// Tokens and errors

const Token& Parser::peek(std::size_t ahead) const {
  while (lookahead_.size() <= ahead) {
    if (!lookahead_.empty() && lookahead_.back().kind == TokenKind::kEnd) return lookahead_.back();
    lookahead_.push_back(lexer_.next());
  }
  return lookahead_[ahead];
}

Token Parser::advance() {
  if (peek().kind == TokenKind::kEnd) return peek();
  Token token = std::move(lookahead_.front());
  lookahead_.pop_front();
  prev_end_ = token.span.end;
  return token;
}

bool Parser::accept(TokenKind kind) {
  if (!at(kind)) return false;
  advance();
  return true;
}

Token Parser::expect(TokenKind kind, std::string_view what) {
  if (!at(kind)) fail_expected(what);
  return advance();
}

void Parser::fail(const std::string& message, SourceSpan span) const {
  throw SyntaxError(message, span);
}

void Parser::fail_expected(std::string_view what) const {
  fail("expected " + std::string(what) + ", found " + describe(peek()), error_span(peek()));
}

std::string Parser::describe(const Token& token) const {
  if (token.kind == TokenKind::kEnd) return "the end of the input";
  constexpr std::size_t kMaxShown = 40;
  std::string_view source = text_.substr(token.span.begin, token.span.end - token.span.begin);
  std::string suffix;
  if (source.size() > kMaxShown) {
    std::size_t cut = kMaxShown;
    while (cut > 0 && (static_cast<unsigned char>(source[cut]) & 0xC0) == 0x80) --cut;
    source = source.substr(0, cut);
    suffix = "...";
  }
  if (token.kind == TokenKind::kString) return "the string " + std::string(source) + suffix;
  return "'" + std::string(source) + suffix + "'";
}

SourceSpan Parser::error_span(const Token& token) const {
  // Point just after the last token rather than at trailing blanks or comments.
  if (token.kind == TokenKind::kEnd) return {prev_end_, prev_end_};
  return token.span;
}

void Parser::enter_level() {
  if (++depth_ > kMaxNestingDepth) {
    fail("the query is nested too deeply: more than " + std::to_string(kMaxNestingDepth) +
             " levels of parentheses, operators or patterns",
         error_span(peek()));
  }
}

// ---------------------------------------------------------------------------
// Names

std::string Parser::variable_name(std::string_view what) {
  if (is_name(peek().kind)) return advance().text;
  if (is_keyword(peek().kind)) reserved_word_error(peek());
  fail_expected(what);
}

void Parser::reserved_word_error(const Token& token) const {
  fail("'" + token.text + "' is a reserved word; back-quote it to use it as a name: `" +
           token.text + "`",
       token.span);
}

/// Kinds, relation types and property keys may also be reserved words.
std::string Parser::schema_name(std::string_view what, SourceSpan& span) {
  if (!is_name(peek().kind) && !is_keyword(peek().kind)) fail_expected(what);
  span = peek().span;
  return advance().text;
}

// ---------------------------------------------------------------------------
// Clauses

bool Parser::at_word(std::string_view upper, std::size_t ahead) const {
  return peek(ahead).kind == TokenKind::kIdentifier && to_upper(peek(ahead).text) == upper;
}

bool Parser::at_reading_clause() const {
  return at(TokenKind::kMatch) || at(TokenKind::kWith) ||
         (at_word("OPTIONAL") && peek(1).kind == TokenKind::kMatch) || at_word("UNWIND");
}

Query Parser::query() {
  Query query;
  if (!at_reading_clause() && !at(TokenKind::kReturn)) clause_error();
  while (at_reading_clause()) {
    // The clauses after the leading MATCH clauses run nested one in the other: their
    // number is bounded like nesting.
    if (query.clauses.size() >= kMaxNestingDepth) {
      fail("the query has too many clauses: more than " + std::to_string(kMaxNestingDepth),
           peek().span);
    }
    if (at(TokenKind::kMatch) && query.clauses.empty()) {
      query.matches.push_back(match_clause());
      continue;
    }
    Clause clause;
    const std::uint32_t begin = peek().span.begin;
    if (at(TokenKind::kMatch)) {
      clause.match = match_clause();
    } else if (at(TokenKind::kWith)) {
      clause.kind = Clause::Kind::kWith;
      with_clause(clause);
    } else if (at_word("OPTIONAL")) {
      clause.kind = Clause::Kind::kOptionalMatch;
      advance();
      clause.match = match_clause();
      clause.match.span.begin = begin;
    } else {
      clause.kind = Clause::Kind::kUnwind;
      advance();
      clause.list = expression();
      expect(TokenKind::kAs, "AS after the list of UNWIND");
      clause.variable_span = peek().span;
      clause.variable = variable_name("a variable name after AS");
      position_ = ClausePosition::kAfterUnwind;
    }
    clause.span = since(begin);
    query.clauses.push_back(std::move(clause));
  }
  if (at(TokenKind::kReturn)) query.returns = return_clause();
  finish_query();
  return query;
}

/// `WITH [DISTINCT] items [ORDER BY ...] [SKIP n] [LIMIT n] [WHERE condition]`.
void Parser::with_clause(Clause& clause) {
  advance();
  in_with_ = true;
  projection_body(clause.projection, "WITH");
  if (accept(TokenKind::kWhere)) {
    clause.where = expression();
    position_ = ClausePosition::kAfterWithWhere;
  }
  in_with_ = false;
  if (position_ != ClausePosition::kAfterWithWhere) position_ = ClausePosition::kAfterWith;
}

ExprPtr Parser::whole_expression() {
  ExprPtr e = expression();
  if (!at(TokenKind::kEnd)) fail_expected("an operator or the end of the expression");
  return e;
}

MatchClause Parser::match_clause() {
  MatchClause clause;
  const std::uint32_t begin = advance().span.begin;
  clause.patterns.push_back(path_pattern());
  while (accept(TokenKind::kComma)) clause.patterns.push_back(path_pattern());
  position_ = ClausePosition::kAfterMatch;
  if (accept(TokenKind::kWhere)) {
    clause.where = expression();
    position_ = ClausePosition::kAfterWhere;
  }
  clause.span = since(begin);
  return clause;
}

ReturnClause Parser::return_clause() {
  ReturnClause clause;
  advance();
  projection_body(clause, "RETURN");
  return clause;
}

/// What follows RETURN or WITH: `[DISTINCT] items [ORDER BY ...] [SKIP n] [LIMIT n]`.
void Parser::projection_body(ReturnClause& clause, std::string_view keyword) {
  const std::uint32_t begin = prev_end_ - static_cast<std::uint32_t>(keyword.size());
  clause.distinct = accept(TokenKind::kDistinct);
  if (at(TokenKind::kStar)) {
    fail("'" + std::string(keyword) + " *' is not supported; list the values to " +
             (keyword == "WITH" ? "carry on" : "return"),
         peek().span);
  }
  do {
    clause.items.push_back(return_item());
  } while (accept(TokenKind::kComma));
  position_ = ClausePosition::kAfterReturnItems;
  if (accept(TokenKind::kOrder)) order_by(clause);
  if (accept(TokenKind::kSkip)) {
    clause.skip = expression();
    position_ = ClausePosition::kAfterSkip;
  }
  if (accept(TokenKind::kLimit)) {
    clause.limit = expression();
    position_ = ClausePosition::kAfterLimit;
  }
  clause.span = since(begin);
}

ReturnItem Parser::return_item() {
  ReturnItem item;
  const std::uint32_t begin = current_begin();
  item.expr = expression();
  item.text = std::string(text_.substr(begin, prev_end_ - begin));
  if (accept(TokenKind::kAs)) item.alias = variable_name("a column name after AS");
  return item;
}

void Parser::order_by(ReturnClause& clause) {
  expect(TokenKind::kBy, "BY after ORDER");
  do {
    OrderItem item;
    item.expr = expression();
    if (accept(TokenKind::kDesc) || accept(TokenKind::kDescending)) {
      item.descending = true;
    } else if (!accept(TokenKind::kAsc)) {
      accept(TokenKind::kAscending);
    }
    clause.order_by.push_back(std::move(item));
  } while (accept(TokenKind::kComma));
  position_ = ClausePosition::kAfterOrderBy;
}

void Parser::finish_query() {
  if (accept(TokenKind::kSemicolon)) position_ = ClausePosition::kAfterSemicolon;
  if (!at(TokenKind::kEnd)) clause_error();
}

/// Explains a token found where a clause (or the end of the query) should be.
void Parser::clause_error() const {
  const Token& token = peek();
  SourceSpan span = token.span;
  if (auto clause = unsupported_clause(span)) fail(unsupported_message(*clause), span);
  if (position_ == ClausePosition::kAfterSemicolon) fail_expected(expected_after(position_));
  if (auto message = misplaced_keyword()) fail(*message, token.span);
  if (token.kind == TokenKind::kIdentifier && to_upper(token.text) == "OPTIONAL") {
    fail("OPTIONAL is followed by MATCH: OPTIONAL MATCH pattern [WHERE condition]", token.span);
  }
  if (token.kind == TokenKind::kIdentifier) {
    const bool after_where = position_ == ClausePosition::kAfterWhere;
    if (auto keyword = near_clause_keyword(token.text, after_where)) {
      fail("unknown keyword '" + token.text + "'; did you mean '" + *keyword + "'?", token.span);
    }
  }
  if (at(TokenKind::kRParen) || at(TokenKind::kRBracket) || at(TokenKind::kRBrace)) {
    fail("unbalanced '" + token.text + "': nothing is open for it to close", token.span);
  }
  if (position_ == ClausePosition::kStart) {
    fail("a query starts with MATCH, OPTIONAL MATCH, UNWIND, WITH or RETURN, found " +
             describe(token),
         error_span(token));
  }
  fail_expected(expected_after(position_));
}

/// The openCypher clause that Twinscan does not support at the next token, if any;
/// `span` then covers its keywords.
std::optional<std::string> Parser::unsupported_clause(SourceSpan& span) const {
  if (!at(TokenKind::kIdentifier)) return std::nullopt;
  static const std::array<std::string_view, 11> kUnsupported{
      "CREATE", "MERGE", "DELETE",  "DETACH", "SET", "REMOVE",
      "CALL",   "UNION", "FOREACH", "LOAD",   "USE"};
  std::string word = to_upper(peek().text);
  if (std::find(kUnsupported.begin(), kUnsupported.end(), word) == kUnsupported.end()) {
    return std::nullopt;
  }
  const Token& next = peek(1);
  const std::string next_word = to_upper(next.text);
  const bool two_words = (word == "DETACH" && next_word == "DELETE") ||
                         (word == "UNION" && next_word == "ALL") ||
                         (word == "LOAD" && next_word == "CSV");
  if (two_words) {
    word += " " + next_word;
    span.end = next.span.end;
  }
  return word;
}

/// A message for a clause keyword in the wrong place, such as MATCH after RETURN.
std::optional<std::string> Parser::misplaced_keyword() const {
  const bool in_return = is_in_return(position_);
  const TokenKind kind = peek().kind;
  if (kind == TokenKind::kMatch && in_return) {
    return "MATCH cannot follow RETURN: RETURN is the last clause of a query";
  }
  if (kind == TokenKind::kReturn && in_return) return "a query has only one RETURN clause";
  if (kind == TokenKind::kWhere && in_return) {
    return "WHERE cannot follow RETURN: put the condition in the WHERE of a MATCH clause";
  }
  if (kind == TokenKind::kWhere && position_ == ClausePosition::kAfterWhere) {
    return "a MATCH clause has only one WHERE; join the conditions with AND";
  }
  if (kind == TokenKind::kWhere && position_ == ClausePosition::kAfterWithWhere) {
    return "a WITH clause has only one WHERE; join the conditions with AND";
  }
  if (kind == TokenKind::kWhere && position_ == ClausePosition::kAfterUnwind) {
    return "UNWIND takes no WHERE; filter its rows with WITH x WHERE ...";
  }
  const bool projection =
      kind == TokenKind::kOrder || kind == TokenKind::kSkip || kind == TokenKind::kLimit;
  if (projection && !in_return) {
    return "'" + peek().text +
           "' belongs to RETURN or WITH: write RETURN ... ORDER BY ... SKIP ... LIMIT ...";
  }
  if (kind == TokenKind::kOrder && in_return) return "ORDER BY must come before SKIP and LIMIT";
  if (kind == TokenKind::kSkip && in_return) return "SKIP must come before LIMIT";
  if (kind == TokenKind::kLimit && in_return) return "a RETURN clause has only one LIMIT";
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Patterns

PathPattern Parser::path_pattern() {
  DepthGuard guard(*this);
  PathPattern path;
  const std::uint32_t begin = peek().span.begin;
  if (is_name(peek().kind) && peek(1).kind == TokenKind::kEq) {
    path.path_variable = advance().text;
    advance();
  }
  const bool one = at_word("SHORTESTPATH"), all = at_word("ALLSHORTESTPATHS");
  if ((one || all) && peek(1).kind == TokenKind::kLParen) {
    const Token name = advance();
    advance();  // '('
    path.shortest = one ? Shortest::kOne : Shortest::kAll;
    path.nodes.push_back(node_pattern());
    if (!at(TokenKind::kMinus) && !at(TokenKind::kArrowLeft)) {
      fail_expected("a relationship pattern in " + name.text + "()");
    }
    path.rels.push_back(rel_pattern());
    path.nodes.push_back(node_pattern());
    if (at(TokenKind::kMinus) || at(TokenKind::kArrowLeft)) {
      fail(name.text + "() takes one relationship pattern, such as (a)-[:KIND*..6]-(b)",
           peek().span);
    }
    expect(TokenKind::kRParen, "')' to close " + name.text + "(...)");
    path.span = since(begin);
    return path;
  }
  path.nodes.push_back(node_pattern());
  while (at(TokenKind::kMinus) || at(TokenKind::kArrowLeft)) {
    path.rels.push_back(rel_pattern());
    path.nodes.push_back(node_pattern());
  }
  path.span = since(begin);
  return path;
}

NodePattern Parser::node_pattern() {
  NodePattern node;
  const std::uint32_t begin = expect(TokenKind::kLParen, "'(' to start a node pattern").span.begin;
  if (is_name(peek().kind)) {
    node.variable = advance().text;
  } else if (is_keyword(peek().kind)) {
    reserved_word_error(peek());
  }
  if (accept(TokenKind::kColon)) names(node.kinds, node.kind_spans, "a kind after ':'");
  if (at(TokenKind::kColon)) {
    fail("a node pattern takes one kind or alternatives written ':A|B'; ':A:B' is not supported",
         peek().span);
  }
  if (at(TokenKind::kLBrace)) node.properties = property_map(node.property_spans);
  expect(TokenKind::kRParen, "')' to close the node pattern");
  node.span = since(begin);
  return node;
}

RelPattern Parser::rel_pattern() {
  RelPattern rel;
  const std::uint32_t begin = peek().span.begin;
  const bool left = advance().kind == TokenKind::kArrowLeft;
  if (accept(TokenKind::kLBracket)) {
    rel_body(rel);
    expect(TokenKind::kRBracket, "']' to close the relationship pattern");
  }
  bool right = false;
  if (accept(TokenKind::kArrowRight)) {
    right = true;
  } else if (!accept(TokenKind::kMinus)) {
    fail_expected(left ? "'-' or '->' to finish the relationship pattern"
                       : "'[', '-' or '->' to continue the relationship pattern");
  }
  if (left == right) {
    rel.direction = Direction::kBoth;  // `--`, `-[]-`, and `<-->` read as undirected.
  } else {
    rel.direction = right ? Direction::kOut : Direction::kIn;
  }
  rel.span = since(begin);
  return rel;
}

/// `r:TYPE|TYPE2*1..4 {prop: value}`, every part optional, in that order.
void Parser::rel_body(RelPattern& rel) {
  if (is_name(peek().kind)) {
    rel.variable = advance().text;
  } else if (is_keyword(peek().kind)) {
    reserved_word_error(peek());
  }
  if (accept(TokenKind::kColon)) names(rel.types, rel.type_spans, "a relation type after ':'");
  if (at(TokenKind::kStar)) hop_range(rel);
  if (at(TokenKind::kLBrace)) rel.properties = property_map(rel.property_spans);
}

/// `*`, `*2`, `*1..4`, `*..3`, `*2..`.
void Parser::hop_range(RelPattern& rel) {
  const std::uint32_t begin = advance().span.begin;
  rel.variable_length = true;
  if (at(TokenKind::kInteger)) {
    rel.min_hops = hop_count();
    if (!accept(TokenKind::kDotDot)) {
      rel.max_hops = rel.min_hops;
      return;
    }
  } else if (!accept(TokenKind::kDotDot)) {
    return;
  }
  if (at(TokenKind::kInteger)) rel.max_hops = hop_count();
  if (rel.max_hops && *rel.max_hops < rel.min_hops) {
    fail("the minimum number of hops (" + std::to_string(rel.min_hops) +
             ") is larger than the maximum (" + std::to_string(*rel.max_hops) + ")",
         since(begin));
  }
}

std::uint32_t Parser::hop_count() {
  const Token token = advance();
  if (token.int_value > std::numeric_limits<std::uint32_t>::max()) {
    fail("hop count " + token.text + " is too large", token.span);
  }
  return static_cast<std::uint32_t>(token.int_value);
}

/// `A|B|:C` after the first ':'.
void Parser::names(std::vector<std::string>& out, std::vector<SourceSpan>& spans,
                   std::string_view what) {
  while (true) {
    SourceSpan span;
    out.push_back(schema_name(what, span));
    spans.push_back(span);
    if (!accept(TokenKind::kPipe)) return;
    accept(TokenKind::kColon);
  }
}

std::vector<std::pair<std::string, ExprPtr>> Parser::property_map(
    std::vector<SourceSpan>& key_spans) {
  std::vector<std::pair<std::string, ExprPtr>> properties;
  advance();  // '{'
  if (accept(TokenKind::kRBrace)) return properties;
  do {
    SourceSpan span;
    std::string key = schema_name("a property name", span);
    expect(TokenKind::kColon, "':' after the property name");
    properties.emplace_back(std::move(key), expression());
    key_spans.push_back(span);
  } while (accept(TokenKind::kComma));
  expect(TokenKind::kRBrace, "',' or '}' to close the property map");
  return properties;
}

// ---------------------------------------------------------------------------
// Expressions

ExprPtr Parser::expression() {
  DepthGuard guard(*this);
  return or_expr();
}

ExprPtr Parser::left_chain(ExprPtr (Parser::*operand)(), std::span<const OperatorToken> operators) {
  const std::uint32_t begin = current_begin();
  ExprPtr lhs = (this->*operand)();
  ChainDepth chain(*this);
  while (true) {
    const auto found = std::find_if(operators.begin(), operators.end(),
                                    [this](const OperatorToken& o) { return at(o.token); });
    if (found == operators.end()) return lhs;
    advance();
    chain.add();
    ExprPtr rhs = (this->*operand)();
    lhs = make_binary(found->op, std::move(lhs), std::move(rhs), since(begin));
  }
}

ExprPtr Parser::or_expr() {
  return left_chain(&Parser::xor_expr, kOrOperators);
}
ExprPtr Parser::xor_expr() {
  return left_chain(&Parser::and_expr, kXorOperators);
}
ExprPtr Parser::and_expr() {
  return left_chain(&Parser::not_expr, kAndOperators);
}

ExprPtr Parser::not_expr() {
  if (!at(TokenKind::kNot)) return comparison();
  const std::uint32_t begin = advance().span.begin;
  DepthGuard guard(*this);
  ExprPtr operand = not_expr();
  return make_unary(UnaryOp::kNot, std::move(operand), since(begin));
}

bool Parser::at_comparison() const {
  const TokenKind kind = peek().kind;
  if (kind == TokenKind::kStarts || kind == TokenKind::kEnds || kind == TokenKind::kIs ||
      kind == TokenKind::kArrowLeft) {
    return true;
  }
  return std::any_of(kComparisonOperators.begin(), kComparisonOperators.end(),
                     [kind](const OperatorToken& o) { return o.token == kind; });
}

/// Comparisons do not chain: `a < b < c` is an error rather than a surprise.
ExprPtr Parser::comparison() {
  const std::uint32_t begin = current_begin();
  ExprPtr lhs = additive();
  if (!at_comparison()) return lhs;
  lhs = comparison_tail(std::move(lhs), begin);
  if (at_comparison()) {
    fail(
        "comparisons cannot be chained: write 'a < b AND b < c' rather than 'a < b < c', and "
        "put parentheses around a comparison used as a value",
        peek().span);
  }
  return lhs;
}

ExprPtr Parser::comparison_tail(ExprPtr lhs, std::uint32_t begin) {
  const Token op = advance();
  BinaryOp binary_op = BinaryOp::kEq;
  switch (op.kind) {
    case TokenKind::kIs: {
      const bool negated = accept(TokenKind::kNot);
      expect(TokenKind::kNull, negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
      return make_unary(negated ? UnaryOp::kIsNotNull : UnaryOp::kIsNull, std::move(lhs),
                        since(begin));
    }
    case TokenKind::kStarts:
      expect(TokenKind::kWith, "WITH after STARTS");
      binary_op = BinaryOp::kStartsWith;
      break;
    case TokenKind::kEnds:
      expect(TokenKind::kWith, "WITH after ENDS");
      binary_op = BinaryOp::kEndsWith;
      break;
    case TokenKind::kArrowLeft:
      // `a<-1` is `a < -1`: the lexer read "<-" as one token.
      pending_minus_ = SourceSpan{op.span.begin + 1, op.span.end};
      binary_op = BinaryOp::kLt;
      break;
    default:
      for (const auto& o : kComparisonOperators) {
        if (o.token == op.kind) binary_op = o.op;
      }
      break;
  }
  ExprPtr rhs = additive();
  return make_binary(binary_op, std::move(lhs), std::move(rhs), since(begin));
}

ExprPtr Parser::additive() {
  return left_chain(&Parser::multiplicative, kAdditiveOperators);
}

ExprPtr Parser::multiplicative() {
  return left_chain(&Parser::power, kMultiplicativeOperators);
}

/// `^` is right-associative: 2^3^2 is 2^(3^2).
ExprPtr Parser::power() {
  const std::uint32_t begin = current_begin();
  ExprPtr base = unary();
  if (!accept(TokenKind::kCaret)) return base;
  DepthGuard guard(*this);
  ExprPtr exponent = power();
  return make_binary(BinaryOp::kPow, std::move(base), std::move(exponent), since(begin));
}

ExprPtr Parser::unary() {
  const bool minus = pending_minus_.has_value() || at(TokenKind::kMinus);
  if (!minus && !at(TokenKind::kPlus)) return postfix();
  const std::uint32_t begin = current_begin();
  if (pending_minus_) {
    pending_minus_.reset();
  } else {
    advance();
  }
  if (minus && at(TokenKind::kInteger) && peek().int_value == kInt64MinMagnitude) {
    advance();
    ExprPtr e = make_expr(Expr::Kind::kInt, since(begin));
    e->int_value = std::numeric_limits<std::int64_t>::min();
    return e;
  }
  DepthGuard guard(*this);
  ExprPtr operand = unary();
  if (!minus) return make_unary(UnaryOp::kPlus, std::move(operand), since(begin));
  return negate(std::move(operand), begin);
}

/// A minus before a number literal is folded into it: `-5` is the integer -5.
ExprPtr Parser::negate(ExprPtr operand, std::uint32_t begin) {
  const bool int_literal = operand->kind == Expr::Kind::kInt &&
                           operand->int_value != std::numeric_limits<std::int64_t>::min();
  if (int_literal) {
    operand->int_value = -operand->int_value;
    operand->span = since(begin);
    return operand;
  }
  if (operand->kind == Expr::Kind::kFloat) {
    operand->float_value = -operand->float_value;
    operand->span = since(begin);
    return operand;
  }
  return make_unary(UnaryOp::kNegate, std::move(operand), since(begin));
}

/// Property access `.key` and indexing `[i]`, applied left to right.
ExprPtr Parser::postfix() {
  const std::uint32_t begin = current_begin();
  ExprPtr e = atom();
  ChainDepth chain(*this);
  while (true) {
    if (accept(TokenKind::kDot)) {
      chain.add();
      SourceSpan key_span;
      std::string key = schema_name("a property name after '.'", key_span);
      ExprPtr property = make_expr(Expr::Kind::kProperty, since(begin));
      property->text = std::move(key);
      property->children.push_back(std::move(e));
      e = std::move(property);
    } else if (accept(TokenKind::kLBracket)) {
      chain.add();
      ExprPtr index = expression();
      expect(TokenKind::kRBracket, "']' to close the index");
      e = make_binary(BinaryOp::kIndex, std::move(e), std::move(index), since(begin));
    } else if (at(TokenKind::kColon)) {
      fail(
          "label predicates such as 'n:Kind' are not supported in expressions; compare the kind: "
          "n.kind = 'Kind'",
          peek().span);
    } else {
      return e;
    }
  }
}

ExprPtr Parser::atom() {
  switch (peek().kind) {
    case TokenKind::kNull:
    case TokenKind::kTrue:
    case TokenKind::kFalse:
    case TokenKind::kInteger:
    case TokenKind::kFloat:
    case TokenKind::kString:
    case TokenKind::kParameter:
      return literal();
    case TokenKind::kLBracket:
      return list_literal();
    case TokenKind::kLBrace:
      return map_literal();
    case TokenKind::kLParen:
      return parenthesized();
    case TokenKind::kExists:
      return exists_subquery();
    case TokenKind::kIdentifier:
      if (peek(1).kind == TokenKind::kLBrace && at_word("COUNT")) return count_subquery();
      if (at_word("CASE") && starts_case()) return case_expression();
      if (peek(1).kind == TokenKind::kLParen) {
        const bool binds = is_name(peek(2).kind) && peek(3).kind == TokenKind::kIn;
        return binds && is_quantifier(to_lower(peek().text)) ? quantifier() : call();
      }
      [[fallthrough]];
    case TokenKind::kQuotedIdentifier: {
      const Token name = advance();
      ExprPtr e = make_expr(Expr::Kind::kVariable, name.span);
      e->text = name.text;
      return e;
    }
    case TokenKind::kArrowRight:
      fail(
          "expected an expression, found '->'; pattern predicates are not supported in "
          "expressions, write EXISTS { (a)-->(b) }",
          peek().span);
    default:
      fail_expected("an expression");
  }
}

/// null, true, false, numbers, strings and $parameters.
ExprPtr Parser::literal() {
  const Token token = advance();
  ExprPtr e = make_expr(Expr::Kind::kNull, token.span);
  switch (token.kind) {
    case TokenKind::kTrue:
    case TokenKind::kFalse:
      e->kind = Expr::Kind::kBool;
      e->bool_value = token.kind == TokenKind::kTrue;
      break;
    case TokenKind::kInteger:
      if (token.int_value == kInt64MinMagnitude) {
        fail("integer '" + token.text + "' is too large; the largest integer is " +
                 std::to_string(std::numeric_limits<std::int64_t>::max()),
             token.span);
      }
      e->kind = Expr::Kind::kInt;
      e->int_value = static_cast<std::int64_t>(token.int_value);
      break;
    case TokenKind::kFloat:
      e->kind = Expr::Kind::kFloat;
      e->float_value = token.float_value;
      break;
    case TokenKind::kString:
      e->kind = Expr::Kind::kString;
      e->text = token.text;
      break;
    case TokenKind::kParameter:
      e->kind = Expr::Kind::kParameter;
      e->text = token.text;
      break;
    default:
      break;  // kNull
  }
  return e;
}

ExprPtr Parser::list_literal() {
  const std::uint32_t begin = advance().span.begin;
  ExprPtr list = make_expr(Expr::Kind::kList, {});
  if (!at(TokenKind::kRBracket)) {
    // `[x IN list WHERE … | …]` is a list comprehension, and so is `[x IN list]`.
    if (is_name(peek().kind) && peek(1).kind == TokenKind::kIn) return comprehension(begin);
    do {
      list->children.push_back(expression());
    } while (accept(TokenKind::kComma));
  }
  expect(TokenKind::kRBracket, "',' or ']' to close the list");
  list->span = since(begin);
  return list;
}

ExprPtr Parser::map_literal() {
  const std::uint32_t begin = peek().span.begin;
  std::vector<SourceSpan> key_spans;
  auto properties = property_map(key_spans);
  ExprPtr map = make_expr(Expr::Kind::kMap, since(begin));
  for (auto& [key, value] : properties) {
    map->keys.push_back(std::move(key));
    map->children.push_back(std::move(value));
  }
  return map;
}

/// The span of a parenthesised expression is that of what is inside.
ExprPtr Parser::parenthesized() {
  advance();
  ExprPtr inner = expression();
  expect(TokenKind::kRParen, "')' to close the parenthesis");
  return inner;
}

/// `name(args)`, `name(DISTINCT arg)` and `count(*)`; the name is kept in lower case.
ExprPtr Parser::call() {
  const Token name = advance();
  const std::uint32_t begin = name.span.begin;
  std::string lower = to_lower(name.text);
  advance();  // '('
  if (lower == "count" && accept(TokenKind::kStar)) {
    expect(TokenKind::kRParen, "')' to close count(*)");
    ExprPtr e = make_expr(Expr::Kind::kCountStar, since(begin));
    e->text = std::move(lower);
    return e;
  }
  ExprPtr e = make_expr(Expr::Kind::kCall, {});
  e->distinct = accept(TokenKind::kDistinct);
  if (e->distinct || !at(TokenKind::kRParen)) {
    do {
      e->children.push_back(expression());
    } while (accept(TokenKind::kComma));
  }
  expect(TokenKind::kRParen, "',' or ')' to close the arguments of " + lower + "()");
  e->text = std::move(lower);
  e->span = since(begin);
  return e;
}

/// `any|all|none|single(x IN list [WHERE predicate])`.
ExprPtr Parser::quantifier() {
  const Token name = advance();
  const std::uint32_t begin = name.span.begin;
  ExprPtr e = make_expr(Expr::Kind::kQuantifier, {});
  e->text = to_lower(name.text);
  advance();  // '('
  e->variable = advance().text;
  advance();  // IN
  e->children.push_back(expression());
  const bool has_predicate = accept(TokenKind::kWhere);
  if (has_predicate) e->children.push_back(expression());
  expect(TokenKind::kRParen, has_predicate ? "')' to close " + e->text + "(...)"
                                           : "WHERE or ')' to close " + e->text + "(...)");
  e->span = since(begin);
  return e;
}

/// Whether `CASE` at the next token starts a CASE expression rather than naming a
/// variable `case`.
bool Parser::starts_case() const {
  switch (peek(1).kind) {
    case TokenKind::kDot:
    case TokenKind::kRParen:
    case TokenKind::kRBracket:
    case TokenKind::kRBrace:
    case TokenKind::kComma:
    case TokenKind::kEnd:
    case TokenKind::kAs:
    case TokenKind::kSemicolon:
    case TokenKind::kEq:
      return false;
    default:
      return true;
  }
}

/// `CASE [subject] WHEN a THEN b [WHEN …] [ELSE c] END`.
ExprPtr Parser::case_expression() {
  const std::uint32_t begin = advance().span.begin;
  DepthGuard guard(*this);
  ExprPtr e = make_expr(Expr::Kind::kCase, {});
  if (!at_word("WHEN")) {
    e->bool_value = true;
    e->children.push_back(expression());
  }
  if (!at_word("WHEN")) fail_expected("WHEN in CASE");
  while (at_word("WHEN")) {
    advance();
    e->children.push_back(expression());
    if (!at_word("THEN")) fail_expected("THEN after the WHEN condition");
    advance();
    e->children.push_back(expression());
    ++e->int_value;
  }
  if (at_word("ELSE")) {
    advance();
    e->children.push_back(expression());
  }
  if (!at_word("END")) fail_expected(e->int_value > 0 ? "WHEN, ELSE or END in CASE" : "END");
  advance();
  e->span = since(begin);
  return e;
}

/// `[x IN list [WHERE predicate] [| expression]]`, after the '['.
ExprPtr Parser::comprehension(std::uint32_t begin) {
  DepthGuard guard(*this);
  ExprPtr e = make_expr(Expr::Kind::kComprehension, {});
  const Token name = advance();
  e->variable = name.text;
  advance();  // IN
  e->children.push_back(expression());
  if (accept(TokenKind::kWhere)) {
    e->children.push_back(expression());
  } else {
    ExprPtr yes = make_expr(Expr::Kind::kBool, name.span);
    yes->bool_value = true;
    e->children.push_back(std::move(yes));
  }
  if (accept(TokenKind::kPipe)) {
    e->children.push_back(expression());
  } else {
    ExprPtr same = make_expr(Expr::Kind::kVariable, name.span);
    same->text = name.text;
    e->children.push_back(std::move(same));
  }
  expect(TokenKind::kRBracket, "WHERE, '|' or ']' to close the list comprehension");
  e->span = since(begin);
  return e;
}

/// `COUNT { [MATCH] pattern, pattern [WHERE condition] }`: the number of matches.
ExprPtr Parser::count_subquery() {
  const std::uint32_t begin = advance().span.begin;
  ExprPtr e = subquery_body(begin, "COUNT");
  e->distinct = true;
  return e;
}

/// `EXISTS { [MATCH] pattern, pattern [WHERE condition] }`.
ExprPtr Parser::exists_subquery() {
  const std::uint32_t begin = advance().span.begin;
  if (at(TokenKind::kLParen)) {
    fail(
        "EXISTS(...) is not supported: write EXISTS { (a)-->(b) } for a pattern, or "
        "'x IS NOT NULL' for a value",
        peek().span);
  }
  expect(TokenKind::kLBrace, "'{' after EXISTS");
  return subquery_body(begin, "EXISTS");
}

/// The patterns and WHERE of `EXISTS { … }` or `COUNT { … }`, from the '{'.
ExprPtr Parser::subquery_body(std::uint32_t begin, const std::string& keyword) {
  if (keyword == "COUNT") advance();  // '{'
  auto subquery = std::make_unique<ExistsSubquery>();
  accept(TokenKind::kMatch);
  do {
    subquery->patterns.push_back(path_pattern());
  } while (accept(TokenKind::kComma));
  if (accept(TokenKind::kWhere)) {
    subquery->where = expression();
    expect(TokenKind::kRBrace, "'}' to close " + keyword + " { ... }");
  } else {
    expect(TokenKind::kRBrace, "',', WHERE or '}' to close " + keyword + " { ... }");
  }
  ExprPtr e = make_expr(Expr::Kind::kExists, since(begin));
  e->exists = std::move(subquery);
  return e;
}

}  // namespace

Query parse_query(std::string_view text) {
  return Parser(text).query();
}

ExprPtr parse_expression(std::string_view text) {
  return Parser(text).whole_expression();
}

}  // namespace twinscan::query
