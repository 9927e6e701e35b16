#include "analyzer/io/import/bods_statements.h"

#include <algorithm>

#include <rapidjson/error/en.h>
#include <simdjson.h>

#include "analyzer/util/bounded_json.h"

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
util::BoundedParse parse_in_place(rapidjson::Document& document, char* text, std::size_t size,
                                  rapidjson::InsituStringStream& in) {
  if (simdjson::validate_utf8(text, size)) {
    return util::parse_bounded<rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseInsituFlag>(
        document, in);
  }
  return util::parse_bounded<kStatementFlags | rapidjson::kParseInsituFlag>(document, in);
}

// What is wrong with the text a parse stopped in.
std::string parse_problem(const util::BoundedParse& parse) {
  if (parse.too_deep) {
    return "nesting deeper than " + std::to_string(util::kMaxJsonDepth) +
           " levels (a BODS statement nests a few levels at most)";
  }
  return rapidjson::GetParseError_En(parse.result.Code());
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
    if (!stream_.at_end() && stream_.Peek() != '[' && stream_.Peek() != '{') {
      // Not JSON at all (a binary file, a device of zeros): said at once, before a line
      // that may never end is read.
      at = stream_.place();
      mode_ = Mode::kDone;
      message =
          "the input does not start as JSON ('{' or '['); a BODS file is one JSON array of "
          "statements or one statement per line";
      return Next::kError;
    }
    if (stream_.Peek() == '[') {
      stream_.Take();
      mode_ = Mode::kArray;
    } else {
      // JSON lines when the first line holds a whole value; else values over lines.
      text_->assign(stream_.peek_line());
      rapidjson::Document probe;
      rapidjson::InsituStringStream in(text_->data());
      const util::BoundedParse parse =
          util::parse_bounded<kStatementFlags | rapidjson::kParseInsituFlag>(probe, in);
      mode_ = !parse.ok() && !parse.too_deep && parse.result.Offset() >= text_->size()
                  ? Mode::kValues
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
  reset();
  const util::BoundedParse parse = util::parse_bounded<kStatementFlags>(*doc_, stream_);
  if (!parse.ok()) {
    at = stream_.place();
    // The stream stopped just past the bracket that opened one level too many.
    if (parse.too_deep && at.column > 1) --at.column;
    message = std::string(stream_.at_end() && !parse.too_deep
                              ? "the file ends inside a statement (cut short?): "
                              : "malformed JSON: ") +
              parse_problem(parse);
    mode_ = Mode::kDone;
    return Next::kError;
  }
  statement = doc_;
  return Next::kStatement;
}

// A statement of an array (or printed over several lines): its bytes are copied up to
// its matching brace, then parsed in place, which is much faster than parsing the stream.
BodsStatementReader::Next BodsStatementReader::parse_value_in_place(
    const rapidjson::Value*& statement, BodsPlace& at, std::string& message) {
  const BodsPlace start = at;
  constexpr std::size_t kLongest = std::size_t{64} << 20;
  const bool whole = stream_.take_value(*text_, kLongest);
  if (!whole && text_->size() > kLongest) {
    message =
        "a statement longer than 64 MB: a closing bracket or a quote is probably missing "
        "in it";
    mode_ = Mode::kDone;
    return Next::kError;
  }
  reset();
  rapidjson::InsituStringStream in(text_->data());
  const util::BoundedParse parse = parse_in_place(*doc_, text_->data(), text_->size(), in);
  if (!parse.ok() || !whole) {
    // The place of the error: from the statement's start, over the bytes before it.
    const std::size_t offset = !parse.ok() ? parse.result.Offset() : text_->size();
    at = start;
    for (std::size_t i = 0; i < offset && i < text_->size(); ++i) {
      const char c = (*text_)[i];
      if (c == '\n') {
        ++at.line;
        at.column = 1;
      } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++at.column;
      }
    }
    const bool cut = offset >= text_->size() && !parse.too_deep;
    message =
        std::string(cut ? "the file ends inside a statement (cut short?)" : "malformed JSON: ") +
        (!parse.ok() ? std::string(cut ? ": " : "") + parse_problem(parse) : std::string());
    mode_ = Mode::kDone;
    return Next::kError;
  }
  statement = doc_;
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
    stream_.take_line(*text_);
    std::size_t first = 0;
    while (first < text_->size() && is_space((*text_)[first])) ++first;
    if (first == text_->size()) continue;  // a blank line
    auto column = [&](std::size_t byte) {
      std::uint32_t col = at.column;
      for (std::size_t i = 0; i < byte && i < text_->size(); ++i)
        if ((static_cast<unsigned char>((*text_)[i]) & 0xC0) != 0x80) ++col;
      return col;
    };
    reset();
    rapidjson::InsituStringStream in(text_->data() + first);
    const util::BoundedParse parse =
        parse_in_place(*doc_, text_->data() + first, text_->size() - first, in);
    if (!parse.ok()) {
      const std::size_t offset = first + parse.result.Offset();
      const bool cut = offset >= text_->size() && !parse.too_deep;
      message = std::string(cut ? "the line ends inside a statement (cut short?): "
                                : "malformed JSON: ") +
                parse_problem(parse);
      at.column = column(offset);
      return Next::kError;
    }
    std::size_t after = first + in.Tell();
    while (after < text_->size() && is_space((*text_)[after])) ++after;
    if (after < text_->size()) {
      at.column = column(after);
      message = "more than one JSON value on a line; JSON lines hold one statement per line";
      return Next::kError;
    }
    at.column = column(first);
    statement = doc_;
    return Next::kStatement;
  }
}

}  // namespace twinscan::imports

namespace twinscan::imports {

struct BodsReadAhead::Batch {
  struct Item {
    std::string text;
    rapidjson::Document doc;
    BodsPlace at;
    Next next = Next::kEnd;
    std::string message;
    std::uint64_t bytes = 0;
    explicit Item(rapidjson::MemoryPoolAllocator<>* pool) : doc(pool) {}
  };
  explicit Batch(std::size_t size) : arena(std::size_t{1} << 20), pool(arena.data(), arena.size()) {
    items.reserve(size);
    for (std::size_t i = 0; i < size; ++i) items.push_back(std::make_unique<Item>(&pool));
  }
  // The values of the batch's statements, emptied when the batch is filled again.
  std::vector<char> arena;
  rapidjson::MemoryPoolAllocator<> pool;
  std::vector<std::unique_ptr<Item>> items;  ///< each in place, as values point into its text
  std::size_t count = 0;
};

BodsReadAhead::BodsReadAhead(std::FILE* file, std::size_t batch)
    : reader_(file), batch_size_(std::max<std::size_t>(1, batch)) {
  for (int i = 0; i < 3; ++i) {
    batches_.push_back(std::make_unique<Batch>(batch_size_));
    free_.push_back(batches_.back().get());
  }
  thread_ = std::thread([this] { produce(); });
}

BodsReadAhead::~BodsReadAhead() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void BodsReadAhead::produce() {
  constexpr std::size_t kBatchText = std::size_t{4} << 20;
  for (;;) {
    Batch* batch = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return stop_ || !free_.empty(); });
      if (stop_) return;
      batch = free_.front();
      free_.pop_front();
    }
    batch->count = 0;
    batch->pool.Clear();
    std::size_t text = 0;
    bool end = false;
    while (batch->count < batch_size_ && text < kBatchText) {
      Batch::Item& item = *batch->items[batch->count++];
      reader_.parse_into(item.doc, item.text);
      const rapidjson::Value* statement = nullptr;
      item.next = reader_.next(statement, item.at, item.message);
      item.bytes = reader_.bytes_read();
      text += item.text.size();
      if (item.next == Next::kEnd) {
        end = true;
        break;
      }
    }
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      ready_.push_back(batch);
    }
    changed_.notify_all();
    if (end) return;
  }
}

BodsReadAhead::Next BodsReadAhead::next(const rapidjson::Value*& statement, BodsPlace& at,
                                        std::string& message) {
  statement = nullptr;
  if (ended_) return Next::kEnd;
  if (current_ == nullptr || position_ == current_->count) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (current_ != nullptr) {
      free_.push_back(current_);
      current_ = nullptr;
      changed_.notify_all();
    }
    changed_.wait(lock, [this] { return !ready_.empty(); });
    current_ = ready_.front();
    ready_.pop_front();
    position_ = 0;
  }
  Batch::Item& item = *current_->items[position_++];
  at = item.at;
  bytes_ = item.bytes;
  switch (item.next) {
    case Next::kEnd:
      ended_ = true;
      return Next::kEnd;
    case Next::kError:
      message = item.message;
      return Next::kError;
    case Next::kStatement:
      statement = &item.doc;
      return Next::kStatement;
  }
  return Next::kEnd;
}

}  // namespace twinscan::imports
