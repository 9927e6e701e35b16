#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/server/http_types.h"

/// What passes between the desk's HTTP layer (HttpServer) and the module that holds the
/// server library (analyzer/http). The module is loaded only by `twinscan serve`: the
/// server library brings OpenSSL, Brotli and zlib with it, whose loading and start-up
/// would cost every other command a dozen milliseconds and 6 MB.
namespace twinscan::server {

/// Everything the module needs to answer requests; it calls nothing of the analyzer but
/// these functions, so it links against the server library alone.
struct HttpBackendSetup {
  std::string host;
  int port = 0;
  unsigned workers = 1;
  unsigned connections = 1;
  std::size_t max_body_bytes = 0;
  int read_timeout_seconds = 0;
  int write_timeout_seconds = 0;
  std::vector<std::pair<std::string, std::string>> headers;  ///< On every response.
  std::function<HttpResponse(const HttpRequest&)> handler;
  /// The body of a refusal the library makes itself (a body too large, a request it
  /// cannot read): an HTML page when `html`, else JSON.
  std::function<std::string(int status, bool html)> refusal;
  /// Called once per request answered: method, path, status; may be empty.
  std::function<void(const std::string&, const std::string&, int)> log;
};

/// A server of the library, set up and not yet listening.
class HttpBackend {
 public:
  HttpBackend() = default;
  virtual ~HttpBackend() = default;
  HttpBackend(const HttpBackend&) = delete;
  HttpBackend& operator=(const HttpBackend&) = delete;

  virtual bool bind(std::string& error) = 0;
  [[nodiscard]] virtual int port() const = 0;
  virtual void run() = 0;
  virtual void stop() = 0;
};

/// The one function the module exports (as "twinscan_make_http_backend"); the caller owns
/// what it returns.
using MakeHttpBackend = HttpBackend* (*)(HttpBackendSetup&& setup);

}  // namespace twinscan::server
