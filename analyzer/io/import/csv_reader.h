#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace twinscan::io::csv {

/// How a delimited text file is written.
struct Dialect {
  char delimiter = ',';
  char quote = '"';            ///< 0: no quoting at all.
  bool header = true;          ///< The first record names the columns.
  bool trim = false;           ///< Spaces and tabs around unquoted fields are dropped.
  std::size_t skip_lines = 0;  ///< Lines before the header (titles, notes) that are not data.
};

/// A problem found while reading one record: where (1-based line and code-point
/// column) and what.
struct ReadError {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;
};

/// One record (row) of the input: its fields, where each starts, and the problems
/// found in it. Valid until the next call of Reader::next() (or, after
/// Reader::keep_records(), until it is read into again or destroyed; it must not be moved).
class Record {
 public:
  [[nodiscard]] std::size_t size() const { return fields_.size(); }
  [[nodiscard]] std::string_view field(std::size_t i) const { return fields_[i]; }
  /// 1-based line where the record starts.
  [[nodiscard]] std::uint32_t line() const { return line_; }
  /// 1-based line and code-point column where field `i` starts (its opening quote, if
  /// quoted).
  [[nodiscard]] std::uint32_t field_line(std::size_t i) const { return places_[i].line; }
  [[nodiscard]] std::uint32_t field_column(std::size_t i) const;
  /// Line and column just past the record's last field (where a missing field would be).
  [[nodiscard]] std::uint32_t end_line() const { return end_.line; }
  [[nodiscard]] std::uint32_t end_column() const;
  /// Problems of the record's own text (quoting, UTF-8); field counts are the caller's.
  [[nodiscard]] const std::vector<ReadError>& errors() const { return errors_; }

 private:
  friend class Reader;
  struct Place {
    std::uint32_t line = 0;
    std::size_t line_start = 0;  // byte offsets in the reader's buffer
    std::size_t start = 0;
  };
  [[nodiscard]] std::uint32_t column_of(const Place& p) const;

  const char* buffer_ = nullptr;
  std::shared_ptr<const std::string> text_owner_;  // the text read, after keep_records()
  std::uint32_t line_ = 0;
  std::vector<std::string_view> fields_;
  std::vector<Place> places_;
  Place end_;
  std::vector<ReadError> errors_;
  std::string unescaped_;  // quoted fields that needed unescaping, end to end
  std::vector<std::pair<std::size_t, std::size_t>> unescaped_spans_;  // (field, offset)
};

/// Reads delimited text record by record, in chunks (never the whole file), checking
/// that it is UTF-8 (a UTF-8 byte-order mark is skipped; UTF-16 is refused). A first line
/// "sep=X", which spreadsheets write to name the delimiter, is skipped. Quoted
/// fields may hold delimiters, line breaks and doubled quotes. A field is at most
/// kMaxRecordBytes long.
class Reader {
 public:
  static constexpr std::size_t kChunk = std::size_t{1} << 20;
  static constexpr std::size_t kMaxRecordBytes = std::size_t{64} << 20;

  /// Reads from `file` (not owned; not closed), `chunk` bytes at a time (a record that
  /// does not fit is read on; a small chunk is for tests of records cut by a read).
  Reader(std::FILE* file, Dialect dialect, std::size_t chunk = kChunk);
  /// Reads from a string (for tests).
  Reader(std::string_view text, Dialect dialect);

  /// Records read from now on stay valid after the next call of next(), each holding on
  /// to the text it was read from (for readers handing records to other threads).
  void keep_records() { keep_records_ = true; }

  /// The next record, or false at the end of the input (or after a read error, see
  /// io_error()). Blank lines are skipped.
  bool next(Record& record);
  /// Bytes consumed so far (for progress).
  [[nodiscard]] std::uint64_t bytes_read() const { return consumed_ + pos_; }
  /// A problem that stops reading (an unreadable file, UTF-16): empty when none.
  [[nodiscard]] const std::string& io_error() const { return io_error_; }
  /// The line io_error() is at (its column is 1), or 0 when it is about the whole file.
  [[nodiscard]] std::uint32_t io_error_line() const { return io_error_line_; }

 private:
  enum class Parse { kDone, kNeedMore };
  bool fill();
  Parse parse(Record& record);
  /// Drops the pos_ bytes read from the front of the buffer (moved or copied away).
  void drop_front();
  /// Checks the bytes read since the last check as UTF-8 at once (all but a sequence cut
  /// at the end): parse() then scans text in [utf8_from_, utf8_to_) without looking at
  /// each sequence. Text that is not UTF-8 is left to parse() to place byte by byte.
  void check_utf8_ahead();
  void skip_bom();
  /// Skips a first line "sep=X" (a spreadsheet's note of the delimiter X), or stops with an
  /// io_error() when X is not the dialect's delimiter.
  void skip_separator_line();

  std::FILE* file_ = nullptr;
  Dialect dialect_;
  std::size_t chunk_ = kChunk;
  std::array<bool, 256> stops_{};
  struct Span {
    std::size_t start, length;
    bool copied;
  };
  std::vector<Span> spans_;
  std::shared_ptr<std::string> buffer_ = std::make_shared<std::string>();
  /// After keep_records(): buffers read before, used again once no record holds them.
  static constexpr std::size_t kSpareBuffers = 32;
  std::vector<std::shared_ptr<std::string>> spare_buffers_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t consumed_ = 0;  // bytes dropped from the front of the buffer
  std::size_t utf8_from_ = 0;   // buffer offsets of text known to be UTF-8
  std::size_t utf8_to_ = 0;
  std::size_t utf8_looked_ = 0;  // the bytes before it were checked
  std::uint32_t line_ = 1;
  bool eof_ = false;
  bool started_ = false;
  /// Lines end in a lone CR (as "CSV (Macintosh)" files do): each is read as a line feed
  /// as it is read, so that records, and the lines errors name, end where they do.
  bool cr_line_ends_ = false;
  void read_cr_line_ends(std::size_t from, std::size_t to);
  bool keep_records_ = false;
  std::size_t lines_to_skip_ = 0;
  std::string io_error_;
  std::uint32_t io_error_line_ = 0;
};

}  // namespace twinscan::io::csv
