#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <unordered_map>
#include <vector>

namespace twinscan::diag {

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

  /// The printed form. The file name and message are escaped for the terminal
  /// (util::escape_for_terminal), so that text echoed from the input cannot forge a line.
  [[nodiscard]] std::string to_string() const;
};

/// Collects every diagnostic of a run so that all problems are reported, not the first.
/// At most limit_per_kind() diagnostics of one kind of problem (the same message but for
/// the quoted names and the numbers in it) are kept or written; the others are counted,
/// and print() ends with one line per kind saying how many were left out.
class Diagnostics {
 public:
  static constexpr std::size_t kDefaultLimitPerKind = 100;

  void report(Diagnostic d);
  void error(SourceLocation where, std::string message);
  void warning(SourceLocation where, std::string message);
  void note(SourceLocation where, std::string message);

  /// From now on, writes each diagnostic to `out` as soon as it is reported (warnings and
  /// notes only when `include_warnings`) instead of keeping it; print() then writes only
  /// the lines about what was left out.
  void stream_to(std::ostream& out, bool include_warnings);
  /// The most diagnostics of one kind that are kept or written; 0 means no limit.
  void set_limit_per_kind(std::size_t limit) { limit_ = limit; }
  [[nodiscard]] std::size_t limit_per_kind() const { return limit_; }

  [[nodiscard]] bool has_errors() const { return errors_ > 0; }
  /// Every error reported, including those left out.
  [[nodiscard]] std::size_t error_count() const { return errors_; }
  /// The diagnostics kept (not those written as they came, nor those left out).
  [[nodiscard]] const std::vector<Diagnostic>& all() const { return items_; }
  /// How many diagnostics were left out for the limit per kind.
  [[nodiscard]] std::size_t left_out() const;
  /// Writes every diagnostic kept, one per line (plus excerpt lines), in the order found,
  /// then one line per kind of problem that went over the limit.
  void print(std::ostream& out, bool include_warnings = true) const;
  void clear();

  /// The kind of problem a message describes: the message with its quoted parts and
  /// numbers blanked out ("relation target 'x' names no entity" and "relation target 'y'
  /// names no entity" are of one kind).
  static std::string kind_of(const std::string& message);

 private:
  struct KindCount {
    std::size_t seen = 0;
    Diagnostic first_left_out;
  };
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
  std::size_t limit_ = kDefaultLimitPerKind;
  std::unordered_map<std::string, KindCount> kinds_;
  std::vector<std::string> overflowing_;  // kinds over the limit, in the order they went over
  std::ostream* stream_ = nullptr;
  bool stream_warnings_ = true;
};

}  // namespace twinscan::diag
