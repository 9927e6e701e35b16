#include <string_view>

#include "analyzer/server/routes.h"

namespace twinscan::util {
std::string_view desk_css_text();
std::string_view desk_js_text();
}  // namespace twinscan::util

namespace twinscan::server {
namespace {

struct Asset {
  std::string_view name;
  std::string_view content_type;
  std::string_view (*text)();
};

/// Every file /assets/ serves; nothing else is read.
constexpr Asset kAssets[] = {
    {"desk.css", "text/css; charset=utf-8", util::desk_css_text},
    {"desk.js", "text/javascript; charset=utf-8", util::desk_js_text},
};

}  // namespace

HttpResponse handle_asset(const std::vector<std::string>& segments) {
  HttpResponse r;
  if (segments.size() == 2 && segments[1].find('/') != std::string::npos) {
    // An encoded '/' ("..%2Fetc%2Fpasswd"): never a file name.
    r.status = 400;
    r.body = "an asset is named by one file name\n";
    r.set_header("Cache-Control", "no-store");
    return r;
  }
  if (segments.size() == 2) {
    for (const auto& a : kAssets) {
      if (a.name == segments[1]) {
        r.content_type = std::string(a.content_type);
        r.body = std::string(a.text());
        r.set_header("Cache-Control", "no-cache");
        return r;
      }
    }
  }
  r.status = 404;
  r.body = "no such file\n";
  r.set_header("Cache-Control", "no-store");
  return r;
}

}  // namespace twinscan::server
