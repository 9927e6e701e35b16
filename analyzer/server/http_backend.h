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

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;       ///< 0: any free port (see HttpServer::port()).
  unsigned workers = 2;  ///< Requests answered at once.
  /// Connections read at once: more than `workers`, so that clients that send their
  /// request slowly (or never) do not keep the others waiting for a worker.
  unsigned connections = 64;
  std::size_t max_body_bytes = 8U << 20U;  ///< Larger bodies are refused with 413.
  int read_timeout_seconds = 10;
  int write_timeout_seconds = 10;
  /// Called once per request answered: method, path, status.
  std::function<void(const std::string&, const std::string&, int)> log;
};

/// Answers one request; runs on a worker thread, several at once.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

/// Everything the module needs to answer requests; it calls nothing of the analyzer but
/// these functions, so it links against the server library alone.
struct HttpBackendSetup {
  HttpServerOptions options;
  std::vector<std::pair<std::string, std::string>> headers;  ///< On every response.
  HttpHandler handler;
  /// The body of a refusal the library makes itself (a body too large, a request it
  /// cannot read): an HTML page when `html`, else JSON.
  std::function<std::string(int status, bool html)> refusal;
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
