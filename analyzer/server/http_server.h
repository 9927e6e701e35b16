#pragma once

#include <memory>
#include <string>

#include "analyzer/server/http_backend.h"

/// The HTTP layer of the desk. The server library (cpp-httplib) is in a module of its own
/// (analyzer/http), loaded when the first server is made (http_module.h).
namespace twinscan::server {

/// An HTTP/1.1 server: `connections` threads read requests, of which `workers` are answered
/// at once. Every response carries the desk's
/// security headers (security_headers()); errors the library raises itself (a body over
/// the limit, a request it cannot parse) are answered as JSON {"error": "..."}.
class HttpServer {
 public:
  /// Throws std::runtime_error when the server module cannot be loaded.
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds the listening socket; false with `error` when the address cannot be used.
  bool bind(std::string& error);
  /// The port bound (the one chosen when options.port was 0).
  [[nodiscard]] int port() const;
  /// Accepts and answers requests until stop(); then waits for the requests in flight.
  void run();
  /// Stops accepting; run() returns once the requests in flight are answered. Safe from
  /// any thread, also before run().
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The headers every response carries: a Content-Security-Policy allowing only the desk's
/// own files (no inline script, no framing), X-Frame-Options, X-Content-Type-Options and
/// Referrer-Policy.
const std::vector<std::pair<std::string, std::string>>& security_headers();

}  // namespace twinscan::server
