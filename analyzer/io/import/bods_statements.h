#pragma once

// Reads BODS (Beneficial Ownership Data Standard) statements from a file, streamed: the
// file is either one JSON array of statements (a BODS package) or JSON lines (one
// statement per line). Each statement is parsed on its own into a small DOM, so the
// memory used follows the largest statement, not the file.

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace twinscan::imports {

/// A place in the input: 1-based line and column (the column counts code points).
struct BodsPlace {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

/// A RapidJSON input stream over a file, read in blocks, that keeps the line and column
/// of the next character.
class PlaceTrackingStream {
 public:
  using Ch = char;
  explicit PlaceTrackingStream(std::FILE* file) : file_(file), buffer_(1 << 16) { refill(); }

  Ch Peek() const { return pos_ < end_ ? buffer_[pos_] : '\0'; }
  Ch Take() {
    if (pos_ >= end_) return '\0';
    const char c = buffer_[pos_++];
    if (c == '\n') {
      ++place_.line;
      place_.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++place_.column;
    }
    if (pos_ == end_) refill();
    return c;
  }
  std::size_t Tell() const { return static_cast<std::size_t>(consumed_ + pos_); }
  // Writing is not supported (the DOM is not parsed in situ).
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

  [[nodiscard]] bool at_end() const { return pos_ >= end_; }
  [[nodiscard]] BodsPlace place() const { return place_; }
  [[nodiscard]] bool read_failed() const { return failed_; }

 private:
  void refill() {
    consumed_ += end_;
    pos_ = 0;
    end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
    if (end_ == 0 && std::ferror(file_)) failed_ = true;
  }

  std::FILE* file_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t consumed_ = 0;
  BodsPlace place_;
  bool failed_ = false;
};

/// Yields the statements of one BODS file in order.
class BodsStatementReader {
 public:
  enum class Next { kStatement, kEnd, kError };

  /// Takes an open file (not closed by the reader).
  explicit BodsStatementReader(std::FILE* file) : stream_(file) {}

  /// Parses the next statement into `statement`, with `at` the place where it begins.
  /// On kError, `message` says what is wrong at `at`; in JSON lines the reader then
  /// resumes at the next line, in an array it stops (the next call returns kEnd).
  Next next(rapidjson::Document& statement, BodsPlace& at, std::string& message);

  /// Bytes read so far.
  [[nodiscard]] std::uint64_t bytes_read() const { return stream_.Tell(); }
  /// True when the file is a JSON array of statements (known after the first call).
  [[nodiscard]] bool is_array() const { return mode_ == Mode::kArray; }

 private:
  enum class Mode { kUnknown, kArray, kLines, kDone };
  void skip_whitespace();
  void skip_line();

  PlaceTrackingStream stream_;
  Mode mode_ = Mode::kUnknown;
  bool first_in_array_ = true;
};

}  // namespace twinscan::imports
