#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace twinscan::io {

enum class Severity : std::uint8_t { kError, kWarning, kNote };

/// A place in an input file; line and column are 1-based, the column counts
/// characters (Unicode code points), not bytes. Line 0 means "the whole file".
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// One problem found in the input, printed as `FILE:LINE:COL: error: message`.
struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation where;
  std::string message;
  std::string excerpt;  ///< Optional source line shown under the message, with a caret.

  [[nodiscard]] std::string to_string() const;
};

/// Collects every diagnostic of a run so that all problems are reported, not the first.
class Diagnostics {
 public:
  void report(Diagnostic d);
  void error(SourceLocation where, std::string message);
  void warning(SourceLocation where, std::string message);
  void note(SourceLocation where, std::string message);

  [[nodiscard]] bool has_errors() const { return errors_ > 0; }
  [[nodiscard]] std::size_t error_count() const { return errors_; }
  [[nodiscard]] const std::vector<Diagnostic>& all() const { return items_; }
  /// Writes every diagnostic, one per line (plus excerpt lines), in the order found.
  void print(std::ostream& out, bool include_warnings = true) const;
  void clear();

 private:
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
};

}  // namespace twinscan::io
