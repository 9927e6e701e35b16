// util::parse_bounded and the desk's JSON bodies: JSON nested deeper than 512 levels is
// refused at the bracket that opens level 513, however deep the text goes, and anything
// else parses as RapidJSON's own parse does (the same values; the same errors at the same
// offsets).
#include <catch2/catch.hpp>

#include <string>

#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>

#include "analyzer/server/json_body.h"
#include "analyzer/util/bounded_json.h"

namespace {

using twinscan::util::BoundedParse;
using twinscan::util::kMaxJsonDepth;
using twinscan::util::parse_bounded;

BoundedParse parse(const std::string& text, rapidjson::Document& doc) {
  rapidjson::MemoryStream bytes(text.data(), text.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(bytes);
  return parse_bounded<rapidjson::kParseDefaultFlags>(doc, in);
}

std::string nested(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

}  // namespace

TEST_CASE("bounded JSON: 512 levels parse, 513 are refused at the bracket that opens level 513",
          "[bounded_json]") {
  rapidjson::Document doc;
  const BoundedParse at_limit = parse(nested(kMaxJsonDepth), doc);
  CHECK(at_limit.ok());
  CHECK(doc.IsArray());

  const BoundedParse over = parse(nested(kMaxJsonDepth + 1), doc);
  CHECK_FALSE(over.ok());
  CHECK(over.too_deep);
  CHECK(over.result.Offset() == kMaxJsonDepth);  // the 513th bracket, counted from 0
  CHECK(doc.IsNull());

  const std::string object = R"({"a": {"b": )" + nested(kMaxJsonDepth) + "}}";
  const BoundedParse in_object = parse(object, doc);
  CHECK(in_object.too_deep);
  CHECK(in_object.result.Offset() == object.find('[') + kMaxJsonDepth - 2);
}

TEST_CASE("bounded JSON: a million levels are refused without exhausting the stack",
          "[bounded_json]") {
  rapidjson::Document doc;
  const BoundedParse deep = parse(nested(1000000), doc);
  CHECK(deep.too_deep);
  CHECK(deep.result.Offset() == kMaxJsonDepth);
}

TEST_CASE("bounded JSON: other texts give RapidJSON's own values, errors and offsets",
          "[bounded_json]") {
  for (const std::string text :
       {R"({"a": [1, 2.5, "x", true, null], "b": {"c": -3}})", "[1, 2", R"({"a" 1})", "[1, 2] 3",
        "", "  {\"a\": tru}", R"(["\ud800"])", "0012"}) {
    INFO(text);
    rapidjson::Document expected;
    expected.Parse(text.data(), text.size());
    rapidjson::Document got;
    const BoundedParse result = parse(text, got);
    CHECK_FALSE(result.too_deep);
    CHECK(result.ok() == !expected.HasParseError());
    if (expected.HasParseError()) {
      CHECK(result.result.Code() == expected.GetParseError());
      CHECK(result.result.Offset() == expected.GetErrorOffset());
    } else {
      CHECK(got == expected);
    }
  }
}

TEST_CASE("desk: a request body nested too deep is refused with its line and column",
          "[bounded_json]") {
  rapidjson::Document doc;
  std::string error;
  const std::string body = "{\"entities\":\n" + nested(100000) + "}";
  for (const bool as_document : {false, true}) {
    CHECK_FALSE(twinscan::server::parse_json_body(body, doc, error, as_document));
    // Line 2: the object opens level 1 on line 1, so the 512th bracket opens level 513.
    CHECK(error == "malformed JSON at line 2, column 512: nesting deeper than 512 levels");
  }
  CHECK(twinscan::server::parse_json_body("{\"a\": " + nested(100) + "}", doc, error));
}
