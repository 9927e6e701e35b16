#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace twinscan::query {

/// A range of bytes [begin, end) in the query text, for carets under errors.
struct SourceSpan {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;
struct PathPattern;

enum class UnaryOp : std::uint8_t { kNot, kNegate, kPlus, kIsNull, kIsNotNull };

enum class BinaryOp : std::uint8_t {
  kOr,
  kXor,
  kAnd,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,
  kStartsWith,
  kEndsWith,
  kContains,
  kRegexMatch,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kIndex,  ///< list[index]
};

/// `EXISTS { [MATCH] pattern, pattern [WHERE condition] }`.
struct ExistsSubquery {
  std::vector<PathPattern> patterns;
  ExprPtr where;  ///< May be null.
};

/// An expression. One struct for every kind keeps the tree simple to walk; the
/// fields a kind uses are listed next to it.
struct Expr {
  enum class Kind : std::uint8_t {
    kNull,           ///< null
    kBool,           ///< bool_value
    kInt,            ///< int_value
    kFloat,          ///< float_value
    kString,         ///< text
    kParameter,      ///< text: the name after '$'
    kVariable,       ///< text: the variable's name
    kProperty,       ///< children[0].text — object expression and key in `text`
    kList,           ///< children: the elements
    kMap,            ///< keys[i]: children[i]
    kUnary,          ///< unary_op, children[0]
    kBinary,         ///< binary_op, children[0], children[1]
    kCall,           ///< text: function name in lower case; children: arguments; distinct
    kCountStar,      ///< count(*)
    kExists,         ///< exists; `distinct` set: COUNT { … } (the number of matches)
    kQuantifier,     ///< text: any|all|none|single; variable; children[0]: list;
                     ///< children[1]: predicate (may be absent)
    kComprehension,  ///< [variable IN children[0] WHERE children[1] | children[2]]: the
                     ///< predicate (true when absent) and the projection (the variable)
    kCase,           ///< bool_value: simple form, children[0] its subject; then int_value pairs
                     ///< WHEN, THEN; then the ELSE when children are one more
  };

  Kind kind = Kind::kNull;
  SourceSpan span;
  bool bool_value = false;
  std::int64_t int_value = 0;
  double float_value = 0;
  std::string text;
  std::string variable;  ///< kQuantifier: the bound variable.
  UnaryOp unary_op = UnaryOp::kNot;
  BinaryOp binary_op = BinaryOp::kAnd;
  bool distinct = false;  ///< kCall: count(DISTINCT x), collect(DISTINCT x).
  std::vector<ExprPtr> children;
  std::vector<std::string> keys;  ///< kMap.
  std::unique_ptr<ExistsSubquery> exists;
};

enum class Direction : std::uint8_t {
  kOut,   ///< (a)-[]->(b)
  kIn,    ///< (a)<-[]-(b)
  kBoth,  ///< (a)-[]-(b)
};

/// `(v:Kind|Kind2 {prop: value})`.
struct NodePattern {
  std::string variable;            ///< Empty when anonymous.
  std::vector<std::string> kinds;  ///< Alternatives; empty means any kind.
  std::vector<SourceSpan> kind_spans;
  std::vector<std::pair<std::string, ExprPtr>> properties;
  std::vector<SourceSpan> property_spans;  ///< Span of each property key.
  SourceSpan span;
};

/// `-[r:TYPE|TYPE2*1..4 {prop: value}]->`.
struct RelPattern {
  std::string variable;            ///< Empty when anonymous.
  std::vector<std::string> types;  ///< Alternatives; empty means any relation kind.
  std::vector<SourceSpan> type_spans;
  std::vector<std::pair<std::string, ExprPtr>> properties;
  std::vector<SourceSpan> property_spans;
  Direction direction = Direction::kBoth;
  bool variable_length = false;  ///< A `*` was written.
  std::uint32_t min_hops = 1;
  std::optional<std::uint32_t> max_hops;  ///< Absent for `*` and `*2..`: the engine's default cap.
  SourceSpan span;
};

/// How a pattern written inside shortestPath() or allShortestPaths() is matched.
enum class Shortest : std::uint8_t { kNone, kOne, kAll };

/// `p = (a)-[r]->(b)<-[s]-(c)`: nodes.size() == rels.size() + 1.
struct PathPattern {
  std::string path_variable;            ///< Empty when the path is not named.
  Shortest shortest = Shortest::kNone;  ///< shortestPath((a)-[…]-(b)): one relation.
  std::vector<NodePattern> nodes;
  std::vector<RelPattern> rels;
  SourceSpan span;
};

struct MatchClause {
  std::vector<PathPattern> patterns;
  ExprPtr where;  ///< May be null.
  SourceSpan span;
};

struct ReturnItem {
  ExprPtr expr;
  std::string alias;  ///< From AS, or empty.
  std::string text;   ///< The item's source text, the column name when there is no alias.
};

struct OrderItem {
  ExprPtr expr;
  bool descending = false;
};

struct ReturnClause {
  bool distinct = false;
  std::vector<ReturnItem> items;
  std::vector<OrderItem> order_by;
  ExprPtr skip;   ///< May be null.
  ExprPtr limit;  ///< May be null.
  SourceSpan span;
};

/// A clause after the leading MATCH clauses: once a query has one, every later
/// MATCH is one of these too, run for each row that reaches it.
struct Clause {
  enum class Kind : std::uint8_t {
    kMatch,          ///< match
    kOptionalMatch,  ///< match: a row of nulls for its new variables when nothing matches
    kUnwind,         ///< list, variable: one row per element
    kWith,           ///< projection (items, ORDER BY, SKIP, LIMIT), where (may be null)
  };
  Kind kind = Kind::kMatch;
  MatchClause match;
  ReturnClause projection;
  ExprPtr where;
  ExprPtr list;
  std::string variable;
  SourceSpan variable_span;
  SourceSpan span;  ///< The whole clause.
};

/// A whole query: the leading MATCH clauses (planned together), then the other
/// clauses in order, and an optional RETURN.
struct Query {
  std::vector<MatchClause> matches;
  std::vector<Clause> clauses;
  std::optional<ReturnClause> returns;
};

}  // namespace twinscan::query
