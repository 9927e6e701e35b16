#pragma once

#include <cstdint>
#include <string_view>

#include "analyzer/query/ast.h"
#include "analyzer/query/syntax_error.h"

namespace twinscan::query {

/// Deepest nesting of expressions and patterns accepted (parentheses, lists,
/// operators chained one after another, EXISTS inside EXISTS). Deeper input is a
/// SyntaxError, so neither the parser nor a walk over the tree can overflow the stack.
inline constexpr std::uint32_t kMaxNestingDepth = 256;

/// Parses a whole query, `MATCH ... [WHERE ...] [MATCH ...] [RETURN ...] [;]`.
/// Throws SyntaxError (and nothing else but std::bad_alloc).
Query parse_query(std::string_view text);

/// Parses `text` as one expression, for instance a rule's message placeholder.
/// Throws SyntaxError.
ExprPtr parse_expression(std::string_view text);

}  // namespace twinscan::query
