#include "analyzer/server/http_server.h"

#include <cctype>
#include <utility>

#include "analyzer/server/html.h"
#include "analyzer/server/http_backend.h"
#include "analyzer/server/http_module.h"
#include "analyzer/server/page_layout.h"

namespace twinscan::server {

const std::vector<std::pair<std::string, std::string>>& security_headers() {
  static const std::vector<std::pair<std::string, std::string>> kHeaders = {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Frame-Options", "DENY"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
  };
  return kHeaders;
}

namespace {

std::string json_quote(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) >= 0x20) {
      out += c;
    }
  }
  return out + "\"";
}

/// What the library says when it refuses a request before the desk sees it.
std::string library_error(int status) {
  switch (status) {
    case 400:
      return "the request could not be read as HTTP";
    case 404:
      return "no such page";
    case 413:
      return "the request body is larger than the desk accepts (8 MiB; a screening request is "
             "a registry document of one agreement and what comes with it)";
    case 414:
      return "the address is too long";
    default:
      return "the request was refused (HTTP " + std::to_string(status) + ")";
  }
}

// The library's refusals (a body too large, say) as a desk page with a way on: the
// desk's own handlers are not reached.
std::string library_error_page(int status) {
  std::string message = library_error(status);
  message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
  return html_page(status, "Cannot do this", nullptr,
                   "<p>" + escape_html(message) +
                       ".</p>\n<p><a href=\"/screen\">Screen a request</a> · <a "
                       "href=\"/findings\">Findings</a></p>\n")
      .body;
}

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<HttpBackend> backend;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>()) {
  HttpBackendSetup setup;
  setup.options = std::move(options);
  setup.headers = security_headers();
  setup.handler = std::move(handler);
  setup.refusal = [](int status, bool html) {
    return html ? library_error_page(status)
                : "{\"error\": " + json_quote(library_error(status)) + "}\n";
  };
  impl_->backend.reset(http_backend_maker()(std::move(setup)));
}

HttpServer::~HttpServer() = default;

bool HttpServer::bind(std::string& error) {
  return impl_->backend->bind(error);
}

int HttpServer::port() const {
  return impl_->backend->port();
}

void HttpServer::run() {
  impl_->backend->run();
}

void HttpServer::stop() {
  impl_->backend->stop();
}

}  // namespace twinscan::server
