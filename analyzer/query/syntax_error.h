#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "analyzer/query/ast.h"

namespace twinscan::query {

/// An error in the text of a query. The message holds no position: callers turn
/// `span` into `FILE:LINE:COL` and show render_caret() under it.
struct SyntaxError : std::runtime_error {
  SyntaxError(const std::string& message, SourceSpan where)
      : std::runtime_error(message), span(where) {}

  SourceSpan span;
};

}  // namespace twinscan::query
