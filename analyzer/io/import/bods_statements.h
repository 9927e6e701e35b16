#pragma once

// Reads BODS (Beneficial Ownership Data Standard) statements from a file, streamed: the
// file is either one JSON array of statements (a BODS package) or JSON lines (one
// statement per line). Each statement is parsed on its own into a small DOM, so the
// memory used follows the largest statement, not the file.

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
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

  /// Takes the rest of the current line, without its \n, into `line` (a \r before the
  /// \n is kept). The place moves to the start of the next line.
  void take_line(std::string& line) {
    line.clear();
    while (pos_ < end_) {
      const char* start = buffer_.data() + pos_;
      const void* nl = std::memchr(start, '\n', end_ - pos_);
      const std::size_t n = nl != nullptr
                                ? static_cast<std::size_t>(static_cast<const char*>(nl) - start)
                                : end_ - pos_;
      line.append(start, n);
      pos_ += n;
      if (nl != nullptr) {
        ++pos_;
        ++place_.line;
        place_.column = 1;
        if (pos_ == end_) refill();
        return;
      }
      refill();
    }
  }
  /// Copies one JSON object or array, from the `{` or `[` at the current place to its
  /// matching end (brackets in strings skipped), into `out`. False when the file ends
  /// first, or when the value grows past `limit` bytes (`out` then holds what there was).
  bool take_value(std::string& out, std::size_t limit) {
    out.clear();
    int depth = 0;
    bool in_string = false;
    bool escape = false;
    while (pos_ < end_) {
      const char* p = buffer_.data() + pos_;
      const char* e = buffer_.data() + end_;
      const char* q = p;
      bool done = false;
      for (; q < e && !done; ++q) {
        const char c = *q;
        if (c == '\n') {
          ++place_.line;
          place_.column = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
          ++place_.column;
        }
        if (in_string) {
          if (escape) {
            escape = false;
          } else if (c == '\\') {
            escape = true;
          } else if (c == '"') {
            in_string = false;
          }
        } else if (c == '"') {
          in_string = true;
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
          done = true;
        }
      }
      out.append(p, static_cast<std::size_t>(q - p));
      pos_ += static_cast<std::size_t>(q - p);
      if (pos_ == end_) refill();
      if (done) return true;
      if (out.size() > limit) return false;
    }
    return false;
  }

  /// The rest of the current line as far as it is in the buffer (without the \n).
  [[nodiscard]] std::string_view peek_line() const {
    const char* start = buffer_.data() + pos_;
    const void* nl = std::memchr(start, '\n', end_ - pos_);
    return {start, nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - start)
                                 : end_ - pos_};
  }
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
  explicit BodsStatementReader(std::FILE* file)
      : stream_(file),
        arena_(1 << 16),
        allocator_(arena_.data(), arena_.size()),
        statement_(&allocator_) {}
  BodsStatementReader(const BodsStatementReader&) = delete;
  BodsStatementReader& operator=(const BodsStatementReader&) = delete;

  /// From the next call on, parses into `document` (in place in `text`) instead of the
  /// reader's own: the statement then stays valid after the next call, for as long as
  /// `document`, `text` and `document`'s allocator are left alone (BodsReadAhead).
  void parse_into(rapidjson::Document& document, std::string& text) {
    doc_ = &document;
    text_ = &text;
  }

  /// Parses the next statement, with `at` the place where it begins; `statement` is valid
  /// until the next call.
  /// On kError, `message` says what is wrong at `at`; in JSON lines the reader then
  /// resumes at the next line, in an array it stops (the next call returns kEnd).
  Next next(const rapidjson::Value*& statement, BodsPlace& at, std::string& message);

  /// Bytes read so far.
  [[nodiscard]] std::uint64_t bytes_read() const { return stream_.Tell(); }
  /// True when the file is a JSON array of statements (known after the first call).
  [[nodiscard]] bool is_array() const { return mode_ == Mode::kArray; }

 private:
  // kValues: JSON values that span lines (a pretty-printed statement, or a document
  // that is not BODS), parsed from the stream one after the other.
  enum class Mode { kUnknown, kArray, kLines, kValues, kDone };
  void skip_whitespace();

  PlaceTrackingStream stream_;
  // Each statement is parsed into the same document, its memory taken from an arena
  // that is cleared before the next one, so memory follows the largest statement.
  std::vector<char> arena_;
  rapidjson::MemoryPoolAllocator<> allocator_;
  rapidjson::Document statement_;
  std::string line_;                        ///< JSON lines: the current line, parsed in place
  rapidjson::Document* doc_ = &statement_;  ///< where the next statement is parsed
  std::string* text_ = &line_;              ///< and the text it is parsed from, in place
  void reset() {
    if (doc_ != &statement_) return;  // a document of the caller: its allocator is theirs
    statement_.SetNull();
    allocator_.Clear();
  }
  Next next_line(const rapidjson::Value*& statement, BodsPlace& at, std::string& message);
  Next parse_value_in_place(const rapidjson::Value*& statement, BodsPlace& at,
                            std::string& message);

  Mode mode_ = Mode::kUnknown;
  bool first_in_array_ = true;
};

/// The statements of a BodsStatementReader, read and parsed ahead on a thread of its own
/// while the caller maps the ones before: the same statements, places, errors and end, in
/// the same order. Statements travel in batches (of `batch` statements, or fewer when
/// their text passes 4 MB), three batches at most in flight, so the memory used follows
/// the batches, not the file.
class BodsReadAhead {
 public:
  using Next = BodsStatementReader::Next;
  /// Takes an open file (not closed here); starts reading it.
  explicit BodsReadAhead(std::FILE* file, std::size_t batch = 512);
  BodsReadAhead(const BodsReadAhead&) = delete;
  BodsReadAhead& operator=(const BodsReadAhead&) = delete;
  /// Stops the reading thread (when the caller stops early) and waits for it.
  ~BodsReadAhead();

  /// As BodsStatementReader::next(); `statement` is valid until the next call.
  Next next(const rapidjson::Value*& statement, BodsPlace& at, std::string& message);
  /// Bytes read up to the end of the statement last returned.
  [[nodiscard]] std::uint64_t bytes_read() const { return bytes_; }

 private:
  struct Batch;
  void produce();

  BodsStatementReader reader_;
  std::size_t batch_size_;
  std::vector<std::unique_ptr<Batch>> batches_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch*> free_;   ///< batches the reader may fill
  std::deque<Batch*> ready_;  ///< filled, in order
  bool stop_ = false;
  Batch* current_ = nullptr;  ///< the batch being handed out
  std::size_t position_ = 0;  ///< its next item
  bool ended_ = false;
  std::uint64_t bytes_ = 0;
  std::thread thread_;
};

}  // namespace twinscan::imports
