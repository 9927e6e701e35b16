#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// The desk's view of HTTP, independent of the server library: a request as received
/// (headers, decoded path, parameters, body, uploaded files) and the response to send.
namespace twinscan::server {

/// A part of a multipart/form-data body (a file input or a plain field).
struct UploadedPart {
  std::string name;
  std::string filename;  ///< Empty for a plain field.
  std::string content_type;
  std::string content;
};

struct HttpRequest {
  std::string method;  ///< "GET", "POST", ...
  std::string path;    ///< Percent-decoded, without the query string.
  /// The path as sent (still percent-encoded), without the query string: split into
  /// segments before decoding, so that an encoded '/' stays inside its segment.
  std::string raw_path;
  /// Header names as received; look them up with header(), which ignores case.
  std::vector<std::pair<std::string, std::string>> headers;
  /// The query string's parameters, and those of an application/x-www-form-urlencoded
  /// body.
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<UploadedPart> parts;  ///< A multipart/form-data body's parts.
  std::string body;
  std::string remote_address;

  /// The first header called `name` (any case), or "".
  [[nodiscard]] std::string header(std::string_view name) const;
  /// The first parameter called `name`, or "".
  [[nodiscard]] std::string param(std::string_view name) const;
  /// The first multipart part called `name`, or nullptr.
  [[nodiscard]] const UploadedPart* part(std::string_view name) const;
  /// A form field, from the url-encoded parameters or a plain multipart part.
  [[nodiscard]] std::string form(std::string_view name) const;
  /// The media type of the body, lowercased, without parameters ("application/json").
  [[nodiscard]] std::string media_type() const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

/// A 303 See Other to `location` (a path of the desk).
HttpResponse redirect(std::string location);

}  // namespace twinscan::server
