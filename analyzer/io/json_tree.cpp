#include "analyzer/io/json_tree.h"

#include <cctype>

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include "analyzer/util/utf8.h"

namespace twinscan::io {

/// A SAX handler that forwards every event to the document being built and records
/// where each value and key starts.
class JsonPositionRecorder {
 public:
  JsonPositionRecorder(JsonTree& tree, rapidjson::InsituStringStream& stream)
      : tree_(tree), stream_(stream), head_(tree.buffer_.data()) {}

  bool Null() { return scalar() && tree_.document_.Null(); }
  bool Bool(bool b) { return scalar() && tree_.document_.Bool(b); }
  bool Int(int i) { return scalar() && tree_.document_.Int(i); }
  bool Uint(unsigned u) { return scalar() && tree_.document_.Uint(u); }
  bool Int64(std::int64_t i) { return scalar() && tree_.document_.Int64(i); }
  bool Uint64(std::uint64_t u) { return scalar() && tree_.document_.Uint64(u); }
  bool Double(double d) { return scalar() && tree_.document_.Double(d); }
  bool RawNumber(const char* str, rapidjson::SizeType length, bool copy) {
    return scalar() && tree_.document_.RawNumber(str, length, copy);
  }
  bool String(const char* str, rapidjson::SizeType length, bool copy) {
    // In situ, a string's text begins right after its opening quote.
    begin_value(static_cast<std::uint32_t>(str - head_ - 1));
    return whole_characters(str, length) && tree_.document_.String(str, length, copy);
  }
  bool Key(const char* str, rapidjson::SizeType length, bool copy) {
    pending_key_ = static_cast<std::uint32_t>(str - head_ - 1);
    return whole_characters(str, length) && tree_.document_.Key(str, length, copy);
  }
  bool StartObject() { return open() && tree_.document_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    close();
    return tree_.document_.EndObject(members);
  }
  bool StartArray() { return open() && tree_.document_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    close();
    return tree_.document_.EndArray(elements);
  }

  [[nodiscard]] bool too_deep() const { return too_deep_; }
  [[nodiscard]] bool half_character() const { return half_character_; }

 private:
  std::uint32_t begin_value(std::uint32_t offset) {
    const auto index = static_cast<std::uint32_t>(tree_.offsets_.size());
    tree_.offsets_.push_back(offset);
    tree_.key_offsets_.push_back(pending_key_);
    tree_.ends_.push_back(index + 1);
    pending_key_ = JsonTree::kNoOffset;
    return index;
  }

  // A scalar event arrives after its token; walk back over the token to its start.
  bool scalar() {
    std::size_t end = stream_.Tell();
    const char* text = tree_.buffer_.data();
    while (end > 0) {
      const auto c = static_cast<unsigned char>(text[end - 1]);
      if (!(std::isalnum(c) || c == '.' || c == '-' || c == '+')) break;
      --end;
    }
    begin_value(static_cast<std::uint32_t>(end));
    return true;
  }

  bool open() {
    if (open_.size() >= JsonTree::kMaxDepth) {
      too_deep_ = true;
      return false;
    }
    // The iterative parser reports an object or array before consuming its bracket.
    open_.push_back(begin_value(static_cast<std::uint32_t>(stream_.Tell())));
    return true;
  }

  void close() {
    tree_.ends_[open_.back()] = static_cast<std::uint32_t>(tree_.offsets_.size());
    open_.pop_back();
  }

  JsonTree& tree_;
  rapidjson::InsituStringStream& stream_;
  const char* head_;
  std::vector<std::uint32_t> open_;
  std::uint32_t pending_key_ = JsonTree::kNoOffset;
  bool too_deep_ = false;
  bool half_character_ = false;

  // RapidJSON decodes a lone low surrogate escape (\uDC00) into bytes that are not UTF-8;
  // refused here, as a lone high one is by RapidJSON.
  bool whole_characters(const char* str, rapidjson::SizeType length) {
    if (!util::holds_surrogate({str, length})) return true;
    half_character_ = true;
    return false;
  }
};

bool JsonTree::parse(std::string_view text, std::string& error, std::size_t& error_offset) {
  buffer_.assign(text);
  offsets_.clear();
  key_offsets_.clear();
  ends_.clear();
  // A UTF-8 byte order mark is allowed: blanked so offsets stay those of the text.
  if (buffer_.starts_with("\xEF\xBB\xBF")) buffer_.replace(0, 3, "   ");
  rapidjson::InsituStringStream stream(buffer_.data());
  JsonPositionRecorder recorder(*this, stream);
  constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseCommentsFlag |
                              rapidjson::kParseTrailingCommasFlag | rapidjson::kParseIterativeFlag |
                              rapidjson::kParseValidateEncodingFlag;
  rapidjson::ParseResult result;
  auto generate = [&](rapidjson::Document&) {
    rapidjson::Reader reader;
    result = reader.Parse<kFlags>(stream, recorder);
    return static_cast<bool>(result);
  };
  document_.Populate(generate);
  if (result) return true;
  if (recorder.too_deep()) {
    error = "nesting deeper than " + std::to_string(kMaxDepth) + " levels";
  } else if (recorder.half_character()) {
    error =
        "malformed JSON: the string before this point holds a \\u escape of a lone surrogate "
        "(\\uDC00 to \\uDFFF without a \\uD800 to \\uDBFF before it), which stands for half "
        "a character; write the character itself, or both halves of its pair";
  } else {
    std::string message = rapidjson::GetParseError_En(result.Code());
    if (!message.empty()) message[0] = static_cast<char>(std::tolower(message[0]));
    if (message.ends_with('.')) message.pop_back();
    error = "malformed JSON: " + message;
  }
  error_offset = result.Offset();
  return false;
}

bool JsonTree::find_member(Node node, std::string_view key, Node& out) const {
  bool found = false;
  for_each_member(node, [&](std::string_view k, Node value) {
    if (!found && k == key) {
      out = value;
      found = true;
    }
  });
  return found;
}

std::string_view json_type_name(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "a list";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "a value";
}

}  // namespace twinscan::io
