#pragma once

#include <cstdint>

#include <rapidjson/document.h>
#include <rapidjson/reader.h>

namespace twinscan::util {

/// JSON nested deeper than this is refused wherever it comes from: deeper than any input
/// of ours needs, and shallow enough that code walking a value recursively (writing it
/// back, validating it against a schema, converting it) cannot exhaust a thread's stack.
inline constexpr std::uint32_t kMaxJsonDepth = 512;

/// A SAX handler that passes every event on to `Next` and stops the parse where objects
/// and arrays open deeper than kMaxJsonDepth (the reader then reports
/// kParseErrorTermination just past the bracket that opened one level too many).
template <typename Next>
class DepthLimitedHandler {
 public:
  using Ch = typename Next::Ch;
  explicit DepthLimitedHandler(Next& next) : next_(next) {}

  [[nodiscard]] bool too_deep() const { return too_deep_; }

  bool Null() { return next_.Null(); }
  bool Bool(bool b) { return next_.Bool(b); }
  bool Int(int i) { return next_.Int(i); }
  bool Uint(unsigned i) { return next_.Uint(i); }
  bool Int64(std::int64_t i) { return next_.Int64(i); }
  bool Uint64(std::uint64_t i) { return next_.Uint64(i); }
  bool Double(double d) { return next_.Double(d); }
  bool RawNumber(const Ch* text, rapidjson::SizeType length, bool copy) {
    return next_.RawNumber(text, length, copy);
  }
  bool String(const Ch* text, rapidjson::SizeType length, bool copy) {
    return next_.String(text, length, copy);
  }
  bool Key(const Ch* text, rapidjson::SizeType length, bool copy) {
    return next_.Key(text, length, copy);
  }
  bool StartObject() { return open() && next_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return next_.EndObject(members);
  }
  bool StartArray() { return open() && next_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return next_.EndArray(elements);
  }

 private:
  bool open() {
    if (depth_ >= kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    ++depth_;
    return true;
  }

  Next& next_;
  std::uint32_t depth_ = 0;
  bool too_deep_ = false;
};

/// What parse_bounded() found.
struct BoundedParse {
  rapidjson::ParseResult result;
  bool too_deep = false;  ///< the error is nesting deeper than kMaxJsonDepth
  [[nodiscard]] bool ok() const { return !result.IsError(); }
};

/// Parses `in` into `document` as Document::ParseStream<kFlags> does (the same values, and
/// the same errors at the same offsets), refusing nesting deeper than kMaxJsonDepth: the
/// parser's own recursion stops there too. On an error the document is left null; the
/// result gives the error and its offset.
template <unsigned kFlags, typename Stream>
BoundedParse parse_bounded(rapidjson::Document& document, Stream& in) {
  BoundedParse parse;
  document.SetNull();
  const auto generate = [&](rapidjson::Document& handler) {
    DepthLimitedHandler<rapidjson::Document> limited(handler);
    // Given an allocator, the reader does not make one on the heap for each parse.
    rapidjson::CrtAllocator stack_allocator;
    rapidjson::Reader reader(&stack_allocator);
    parse.result = reader.Parse<kFlags>(in, limited);
    parse.too_deep = limited.too_deep();
    if (parse.too_deep && parse.result.Offset() > 0) {
      // The parser stopped just past the bracket that opened one level too many.
      parse.result.Set(parse.result.Code(), parse.result.Offset() - 1);
    }
    return !parse.result.IsError();
  };
  document.Populate(generate);
  return parse;
}

}  // namespace twinscan::util
