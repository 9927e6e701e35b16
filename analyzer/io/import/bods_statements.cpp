#include "analyzer/io/import/bods_statements.h"

#include <rapidjson/error/en.h>
#include <simdjson.h>

namespace twinscan::imports {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

constexpr unsigned kStatementFlags =
    rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseValidateEncodingFlag;

// Parses the statement text at `text` (NUL-terminated, `size` bytes) in place. Text that
// is valid UTF-8 throughout (nearly always) is parsed without checking the encoding of
// each string again, which is much faster and gives the same values, errors and offsets:
// the check can only fail on text that is not UTF-8, and that text is parsed with it.
void parse_in_place(rapidjson::Document& document, char* text, std::size_t size,
                    rapidjson::InsituStringStream& in) {
  if (simdjson::validate_utf8(text, size)) {
    document.ParseStream<rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseInsituFlag,
                         rapidjson::UTF8<>>(in);
  } else {
    document.ParseStream<kStatementFlags | rapidjson::kParseInsituFlag, rapidjson::UTF8<>>(in);
  }
}

}  // namespace

void BodsStatementReader::skip_whitespace() {
  while (!stream_.at_end() && is_space(stream_.Peek())) stream_.Take();
}

BodsStatementReader::Next BodsStatementReader::next(const rapidjson::Value*& statement,
                                                    BodsPlace& at, std::string& message) {
  statement = nullptr;
  if (mode_ == Mode::kDone) return Next::kEnd;
  if (mode_ == Mode::kUnknown) {
    // A byte-order mark is allowed before the first value.
    if (stream_.Peek() == '\xEF') {
      stream_.Take();
      if (stream_.Peek() == '\xBB') stream_.Take();
      if (stream_.Peek() == '\xBF') stream_.Take();
    }
    skip_whitespace();
    if (stream_.Peek() == '[') {
      stream_.Take();
      mode_ = Mode::kArray;
    } else {
      // JSON lines when the first line holds a whole value; else values over lines.
      line_.assign(stream_.peek_line());
      rapidjson::Document probe;
      probe.ParseInsitu<kStatementFlags>(line_.data());
      mode_ = probe.HasParseError() && probe.GetErrorOffset() >= line_.size() ? Mode::kValues
                                                                              : Mode::kLines;
    }
  }

  skip_whitespace();
  if (mode_ == Mode::kArray) {
    if (!first_in_array_) {
      at = stream_.place();
      if (stream_.Peek() == ']') {
        stream_.Take();
        skip_whitespace();
        mode_ = Mode::kDone;
        if (!stream_.at_end()) {
          at = stream_.place();
          message =
              "text after the end of the array of statements; a BODS file is one JSON "
              "array or one statement per line";
          return Next::kError;
        }
        return Next::kEnd;
      }
      if (stream_.Peek() != ',') {
        mode_ = Mode::kDone;
        message = stream_.at_end()
                      ? "the file ends inside the array of statements; it was cut short"
                      : "expected ',' or ']' after a statement";
        return Next::kError;
      }
      stream_.Take();
      skip_whitespace();
    } else {
      first_in_array_ = false;
      if (stream_.Peek() == ']') {
        stream_.Take();
        first_in_array_ = false;
        // An empty array: fall through to the end check above on the next call.
        skip_whitespace();
        mode_ = Mode::kDone;
        if (!stream_.at_end()) {
          at = stream_.place();
          message =
              "text after the end of the array of statements; a BODS file is one JSON "
              "array or one statement per line";
          return Next::kError;
        }
        return Next::kEnd;
      }
    }
  } else if (mode_ == Mode::kLines) {
    return next_line(statement, at, message);
  } else if (stream_.at_end()) {
    mode_ = Mode::kDone;
    return Next::kEnd;
  }

  at = stream_.place();
  if (stream_.read_failed()) {
    mode_ = Mode::kDone;
    message = "the file could not be read";
    return Next::kError;
  }
  if (stream_.Peek() == '{') return parse_value_in_place(statement, at, message);
  statement_.SetNull();
  allocator_.Clear();
  statement_.ParseStream<kStatementFlags, rapidjson::UTF8<>>(stream_);
  if (statement_.HasParseError()) {
    at = stream_.place();
    message = std::string(stream_.at_end() ? "the file ends inside a statement (cut short?): "
                                           : "malformed JSON: ") +
              rapidjson::GetParseError_En(statement_.GetParseError());
    mode_ = Mode::kDone;
    return Next::kError;
  }
  statement = &statement_;
  return Next::kStatement;
}

// A statement of an array (or printed over several lines): its bytes are copied up to
// its matching brace, then parsed in place, which is much faster than parsing the stream.
BodsStatementReader::Next BodsStatementReader::parse_value_in_place(
    const rapidjson::Value*& statement, BodsPlace& at, std::string& message) {
  const BodsPlace start = at;
  constexpr std::size_t kLongest = std::size_t{64} << 20;
  const bool whole = stream_.take_value(line_, kLongest);
  if (!whole && line_.size() > kLongest) {
    message =
        "a statement longer than 64 MB: a closing bracket or a quote is probably missing "
        "in it";
    mode_ = Mode::kDone;
    return Next::kError;
  }
  statement_.SetNull();
  allocator_.Clear();
  rapidjson::InsituStringStream in(line_.data());
  parse_in_place(statement_, line_.data(), line_.size(), in);
  if (statement_.HasParseError() || !whole) {
    // The place of the error: from the statement's start, over the bytes before it.
    const std::size_t offset =
        statement_.HasParseError() ? statement_.GetErrorOffset() : line_.size();
    at = start;
    for (std::size_t i = 0; i < offset && i < line_.size(); ++i) {
      const char c = line_[i];
      if (c == '\n') {
        ++at.line;
        at.column = 1;
      } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++at.column;
      }
    }
    const bool cut = offset >= line_.size();
    message =
        std::string(cut ? "the file ends inside a statement (cut short?)" : "malformed JSON: ") +
        (statement_.HasParseError() ? std::string(cut ? ": " : "") +
                                          rapidjson::GetParseError_En(statement_.GetParseError())
                                    : std::string());
    mode_ = Mode::kDone;
    return Next::kError;
  }
  statement = &statement_;
  return Next::kStatement;
}

// JSON lines: one statement a line, each line parsed in place (the strings of the
// statement point into the line), which is several times faster than a stream.
BodsStatementReader::Next BodsStatementReader::next_line(const rapidjson::Value*& statement,
                                                         BodsPlace& at, std::string& message) {
  for (;;) {
    if (stream_.at_end()) {
      mode_ = Mode::kDone;
      return Next::kEnd;
    }
    at = stream_.place();
    stream_.take_line(line_);
    std::size_t first = 0;
    while (first < line_.size() && is_space(line_[first])) ++first;
    if (first == line_.size()) continue;  // a blank line
    auto column = [&](std::size_t byte) {
      std::uint32_t col = at.column;
      for (std::size_t i = 0; i < byte && i < line_.size(); ++i)
        if ((static_cast<unsigned char>(line_[i]) & 0xC0) != 0x80) ++col;
      return col;
    };
    statement_.SetNull();
    allocator_.Clear();
    rapidjson::InsituStringStream in(line_.data() + first);
    parse_in_place(statement_, line_.data() + first, line_.size() - first, in);
    if (statement_.HasParseError()) {
      const std::size_t offset = first + statement_.GetErrorOffset();
      const bool cut = offset >= line_.size();
      message = std::string(cut ? "the line ends inside a statement (cut short?): "
                                : "malformed JSON: ") +
                rapidjson::GetParseError_En(statement_.GetParseError());
      at.column = column(offset);
      return Next::kError;
    }
    std::size_t after = first + in.Tell();
    while (after < line_.size() && is_space(line_[after])) ++after;
    if (after < line_.size()) {
      at.column = column(after);
      message = "more than one JSON value on a line; JSON lines hold one statement per line";
      return Next::kError;
    }
    at.column = column(first);
    statement = &statement_;
    return Next::kStatement;
  }
}

}  // namespace twinscan::imports
