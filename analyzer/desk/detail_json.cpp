#include "analyzer/desk/detail_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace twinscan::desk {
namespace {

std::string json_string(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

DetailJson& DetailJson::add(std::string_view key, std::string_view text) {
  texts_.emplace_back(json_string(key), json_string(text));
  return *this;
}

DetailJson& DetailJson::add(std::string_view key, std::int64_t number) {
  texts_.emplace_back(json_string(key), std::to_string(number));
  return *this;
}

DetailJson& DetailJson::add_if(std::string_view key, std::string_view text) {
  if (!text.empty()) add(key, text);
  return *this;
}

std::string DetailJson::str() const {
  std::string out = "{";
  for (const auto& [key, value] : texts_) {
    if (out.size() > 1) out += ", ";
    out += key + ": " + value;
  }
  return out + "}";
}

}  // namespace twinscan::desk
