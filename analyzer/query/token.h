#pragma once

#include <cstdint>
#include <string>

#include "analyzer/query/ast.h"

namespace twinscan::query {

/// What a token is. Keywords have their own kinds (matched case-insensitively);
/// a back-quoted name is never a keyword.
enum class TokenKind : std::uint8_t {
  kEnd,               ///< End of input; repeated forever once reached.
  kIdentifier,        ///< text: the name as written.
  kQuotedIdentifier,  ///< text: the name between back-quotes, with `` decoded.
  kString,            ///< text: the decoded value.
  kInteger,           ///< int_value.
  kFloat,             ///< float_value.
  kParameter,         ///< text: the name after '$'.

  // Keywords.
  kMatch,
  kWhere,
  kReturn,
  kAs,
  kDistinct,
  kOrder,
  kBy,
  kAsc,
  kAscending,
  kDesc,
  kDescending,
  kSkip,
  kLimit,
  kAnd,
  kOr,
  kXor,
  kNot,
  kIn,
  kStarts,
  kEnds,
  kWith,
  kContains,
  kIs,
  kNull,
  kTrue,
  kFalse,
  kExists,

  // Punctuation.
  kLParen,      ///< (
  kRParen,      ///< )
  kLBracket,    ///< [
  kRBracket,    ///< ]
  kLBrace,      ///< {
  kRBrace,      ///< }
  kComma,       ///< ,
  kColon,       ///< :
  kDot,         ///< .
  kDotDot,      ///< ..
  kPipe,        ///< |
  kMinus,       ///< -
  kArrowRight,  ///< ->
  kArrowLeft,   ///< <-  (also `<` then `-` in an expression: `a<-1`)
  kLt,          ///< <
  kGt,          ///< >
  kEq,          ///< =
  kNe,          ///< <> or !=
  kLe,          ///< <=
  kGe,          ///< >=
  kPlus,        ///< +
  kStar,        ///< *
  kSlash,       ///< /
  kPercent,     ///< %
  kCaret,       ///< ^
  kRegexMatch,  ///< =~
  kSemicolon,   ///< ;
};

/// The first and last keyword kinds, for range checks.
inline constexpr TokenKind kFirstKeyword = TokenKind::kMatch;
inline constexpr TokenKind kLastKeyword = TokenKind::kExists;

inline bool is_keyword(TokenKind kind) {
  return kind >= kFirstKeyword && kind <= kLastKeyword;
}

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  ///< See TokenKind; for keywords and punctuation, the source spelling.
  SourceSpan span;
  /// kInteger: the value. It may be 2^63, one past INT64_MAX, which is only valid
  /// right after a unary minus (-9223372036854775808); the parser checks that.
  std::uint64_t int_value = 0;
  double float_value = 0;  ///< kFloat.
};

}  // namespace twinscan::query
