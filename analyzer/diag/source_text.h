#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diag/diagnostics.h"

namespace twinscan::diag {

/// The text of one input file with an index of its line starts, so that byte
/// offsets turn into line and column cheaply. The index is made when first asked for
/// (a registry document read without a problem never needs it), once, by whichever
/// thread asks first.
class SourceText {
 public:
  enum class ReadStatus { kOk, kMissing, kUnreadable, kTooLarge };
  /// Room a text read from a file is given past its end: the registry loader's simdjson
  /// parser reads up to 64 bytes beyond the last, and reads the text in place when the
  /// room is there.
  static constexpr std::size_t kPadding = 64;

  SourceText(std::string name, std::string text);
  /// A copy has the text and name; it makes its own index when asked.
  SourceText(const SourceText& other);
  SourceText& operator=(const SourceText& other);
  SourceText(SourceText&&) noexcept = default;
  SourceText& operator=(SourceText&&) noexcept = default;
  ~SourceText() = default;
  /// Reads `path` whole. On failure returns the status and leaves `error` set. The text is
  /// read into `buffer`'s memory: a loader reading document after document passes the
  /// text of one it has done with (take_text), so that memory is not faulted in afresh.
  ///
  /// With `protect_as_input`, a file read whole is recorded as an input of the process
  /// (util::protect_input): the file as opened.
  static ReadStatus read_file(const std::string& path, SourceText& out, std::string& error,
                              std::string buffer = {}, bool protect_as_input = false);
  /// Gives up the text (for read_file to reuse); the source is empty after.
  [[nodiscard]] std::string take_text() &&;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& text() const { return text_; }
  /// 1-based line and code-point column of byte `offset`, in time that does not grow
  /// with the length of the line.
  [[nodiscard]] SourceLocation location(std::size_t offset) const;

  /// Turns offsets into lines and columns cheaply when they mostly increase, as they do
  /// while a document is read from top to bottom: each step scans only the bytes since
  /// the previous offset.
  class Cursor {
   public:
    explicit Cursor(const SourceText& source) : source_(source) {}
    /// Line and column of `offset`, without the file name.
    void locate(std::size_t offset, std::uint32_t& line, std::uint32_t& column);

   private:
    const SourceText& source_;
    std::size_t offset_ = 0;
    std::uint32_t line_ = 1;
    std::uint32_t column_ = 1;
  };
  /// The text of 1-based line `line`, without its line break.
  [[nodiscard]] std::string_view line_text(std::uint32_t line) const;
  /// The line holding `offset` and a caret under it, for a diagnostic excerpt.
  [[nodiscard]] std::string caret_excerpt(std::size_t offset) const;

 private:
  /// Code points in the bytes before `offset`.
  [[nodiscard]] std::size_t code_points_before(std::size_t offset) const;

  static constexpr std::size_t kBlock = 4096;
  struct Index {
    std::once_flag built;
    std::vector<std::uint32_t> line_starts;
    // block_code_points[b]: code points in the bytes before b * kBlock, so that a column
    // on a very long line is found without counting from the start of the line.
    std::vector<std::uint32_t> block_code_points;
  };
  /// The index, made on first use (an empty one for a source moved from).
  [[nodiscard]] const Index& index() const;

  std::string name_;
  std::string text_;
  std::unique_ptr<Index> index_;  // apart, so that a source stays movable
};

/// Offset of the first byte that is not valid UTF-8 (overlongs, surrogates and
/// code points past U+10FFFF are invalid), or npos when the whole text is valid.
std::size_t find_invalid_utf8(std::string_view text);

/// Number of code points in valid UTF-8 `text` (continuation bytes are not counted).
std::size_t count_code_points(std::string_view text);

/// Moves a 1-based line and code-point column over `text`: past each line break the line
/// grows and the column starts again at 1; every other code point moves the column on.
void advance_position(std::string_view text, std::uint32_t& line, std::uint32_t& column);

}  // namespace twinscan::diag
