#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "analyzer/server/http_types.h"

/// JSON in and out of the desk's API.
namespace twinscan::server {

/// Parses `body` into `out`; on malformed JSON returns false with `error` naming the line
/// and column ("malformed JSON at line 3, column 7: ..."). `as_document`: the syntax of
/// registry and request documents, which allows comments and trailing commas.
bool parse_json_body(std::string_view body, rapidjson::Document& out, std::string& error,
                     bool as_document = false);

/// The member `name` of `object`, or nullptr when `object` is not an object or lacks it.
/// (Member iterators are not compared anywhere in the desk: clang reads that comparison as
/// ambiguous under C++20.)
const rapidjson::Value* member(const rapidjson::Value& object, const char* name);

/// The string member `name` of `object`, or "" when it is absent or not a string.
std::string text_member(const rapidjson::Value& object, const char* name);

/// The string member `name` of the object `doc`: "" when absent; false (with `error`) when
/// present but not a string.
bool string_member(const rapidjson::Value& doc, const char* name, std::string& out,
                   std::string& error);

/// `value` serialized compactly.
std::string to_json(const rapidjson::Value& value);

/// A JSON answer with Cache-Control: no-store.
HttpResponse json_response(int status, std::string body);

/// {"error": message} with `status`.
HttpResponse json_error(int status, std::string_view message);

}  // namespace twinscan::server
