#include "analyzer/io/import/bods_statements.h"

#include <rapidjson/error/en.h>

namespace twinscan::imports {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

constexpr unsigned kStatementFlags =
    rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseValidateEncodingFlag;

}  // namespace

void BodsStatementReader::skip_whitespace() {
  while (!stream_.at_end() && is_space(stream_.Peek())) stream_.Take();
}

void BodsStatementReader::skip_line() {
  while (!stream_.at_end() && stream_.Peek() != '\n') stream_.Take();
}

BodsStatementReader::Next BodsStatementReader::next(rapidjson::Document& statement, BodsPlace& at,
                                                    std::string& message) {
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
      mode_ = Mode::kLines;
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
  statement.ParseStream<kStatementFlags, rapidjson::UTF8<>>(stream_);
  if (statement.HasParseError()) {
    at = stream_.place();
    message = std::string(stream_.at_end() ? "the file ends inside a statement (cut short?): "
                                           : "malformed JSON: ") +
              rapidjson::GetParseError_En(statement.GetParseError());
    if (mode_ == Mode::kLines && !stream_.at_end()) {
      skip_line();
    } else {
      mode_ = Mode::kDone;
    }
    return Next::kError;
  }
  if (mode_ == Mode::kLines) {
    // The rest of the line holds nothing but spaces.
    while (!stream_.at_end() && stream_.Peek() != '\n' && is_space(stream_.Peek())) stream_.Take();
    if (!stream_.at_end() && stream_.Peek() != '\n') {
      const BodsPlace after = stream_.place();
      skip_line();
      at = after;
      message = "more than one JSON value on a line; JSON lines hold one statement per line";
      return Next::kError;
    }
  }
  return Next::kStatement;
}

}  // namespace twinscan::imports
