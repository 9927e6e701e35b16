// libFuzzer target for the query front end: any input must either parse or
// raise SyntaxError, never crash, hang or overflow the stack.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyzer/diag/caret.h"
#include "analyzer/query/parser.h"
#include "analyzer/query/syntax_error.h"

namespace {

/// Every error must point inside the text and render a caret.
void check_error(std::string_view text, const twinscan::query::SyntaxError& e) {
  if (e.span.begin > e.span.end || e.span.end > text.size()) __builtin_trap();
  (void)twinscan::diag::render_caret(text, e.span.begin, e.span.end);
  (void)twinscan::diag::line_and_column(text, e.span.begin);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    twinscan::query::parse_query(text);
  } catch (const twinscan::query::SyntaxError& e) {
    check_error(text, e);
  }
  try {
    twinscan::query::parse_expression(text);
  } catch (const twinscan::query::SyntaxError& e) {
    check_error(text, e);
  }
  return 0;
}
