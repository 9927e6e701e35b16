#include "analyzer/server/http_types.h"

#include <algorithm>
#include <cctype>

namespace twinscan::server {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equal_ignoring_case(key, name)) return value;
  }
  return {};
}

std::string HttpRequest::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

const UploadedPart* HttpRequest::part(std::string_view name) const {
  for (const auto& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string HttpRequest::form(std::string_view name) const {
  if (const UploadedPart* p = part(name); p != nullptr && p->filename.empty()) return p->content;
  return param(name);
}

std::string HttpRequest::media_type() const {
  std::string type = header("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

HttpResponse redirect(std::string location) {
  HttpResponse r;
  r.status = 303;
  r.set_header("Location", std::move(location));
  return r;
}

}  // namespace twinscan::server
