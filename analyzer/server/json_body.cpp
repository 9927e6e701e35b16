#include "analyzer/server/json_body.h"

#include <algorithm>

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "analyzer/util/bounded_json.h"

namespace twinscan::server {

bool parse_json_body(std::string_view body, rapidjson::Document& out, std::string& error,
                     bool as_document) {
  // Bounded: a deeply nested body can exhaust neither the parser's stack nor that of the
  // code that walks the value afterwards.
  constexpr unsigned kStrict = rapidjson::kParseValidateEncodingFlag;
  constexpr unsigned kDocument =
      kStrict | rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag;
  rapidjson::MemoryStream bytes(body.data(), body.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(bytes);
  const util::BoundedParse parse =
      as_document ? util::parse_bounded<kDocument>(out, in) : util::parse_bounded<kStrict>(out, in);
  if (parse.ok()) return true;
  const std::size_t offset = std::min(parse.result.Offset(), body.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (body[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(body[i]) & 0xC0U) != 0x80U) {
      ++column;
    }
  }
  error = "malformed JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
          ": " +
          (parse.too_deep ? "nesting deeper than " + std::to_string(util::kMaxJsonDepth) + " levels"
                          : std::string(rapidjson::GetParseError_En(parse.result.Code())));
  return false;
}

bool string_member(const rapidjson::Value& doc, const char* name, std::string& out,
                   std::string& error) {
  out.clear();
  if (!doc.IsObject()) {
    error = "the body must be a JSON object";
    return false;
  }
  const rapidjson::Value* value = member(doc, name);
  if (value == nullptr || value->IsNull()) return true;
  if (!value->IsString()) {
    error = std::string("\"") + name + "\" must be a string";
    return false;
  }
  out.assign(value->GetString(), value->GetStringLength());
  return true;
}

std::string text_member(const rapidjson::Value& object, const char* name) {
  const rapidjson::Value* value = member(object, name);
  if (value == nullptr || !value->IsString()) return {};
  return {value->GetString(), value->GetStringLength()};
}

const rapidjson::Value* member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject() || !object.HasMember(name)) return nullptr;
  return &object[name];
}

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

HttpResponse json_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  if (r.body.empty() || r.body.back() != '\n') r.body += '\n';
  r.set_header("Cache-Control", "no-store");
  return r;
}

HttpResponse json_error(int status, std::string_view message) {
  rapidjson::Document doc(rapidjson::kObjectType);
  doc.AddMember("error",
                rapidjson::Value(message.data(), static_cast<rapidjson::SizeType>(message.size()),
                                 doc.GetAllocator()),
                doc.GetAllocator());
  return json_response(status, to_json(doc));
}

}  // namespace twinscan::server
