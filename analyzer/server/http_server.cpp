#include "analyzer/server/http_server.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <semaphore>
#include <utility>

#include <httplib.h>

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
      return "the request body is larger than the desk accepts";
    case 414:
      return "the address is too long";
    default:
      return "the request was refused (HTTP " + std::to_string(status) + ")";
  }
}

HttpRequest to_request(const httplib::Request& in) {
  HttpRequest out;
  out.method = in.method;
  out.path = in.path;
  out.raw_path = in.target.substr(0, in.target.find_first_of("?#"));
  out.headers.assign(in.headers.begin(), in.headers.end());
  out.params.assign(in.params.begin(), in.params.end());
  for (const auto& [name, file] : in.files) {
    out.parts.push_back({name, file.filename, file.content_type, file.content});
  }
  out.body = in.body;
  out.remote_address = in.remote_addr;
  return out;
}

}  // namespace

struct HttpServer::Impl {
  explicit Impl(unsigned workers) : answering(static_cast<std::ptrdiff_t>(workers)) {}
  HttpServerOptions options;
  HttpHandler handler;
  /// Requests being answered: at most `workers` at once, however many connections are read.
  std::counting_semaphore<1024> answering;
  httplib::Server server;
  int port = 0;
  std::atomic<bool> stop_requested{false};
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::clamp(options.workers, 1U, 1024U))) {
  impl_->options = std::move(options);
  impl_->handler = std::move(handler);
  httplib::Server& s = impl_->server;
  const unsigned workers = std::clamp(impl_->options.workers, 1U, 1024U);
  // A thread per connection being read, up to `connections`: a client that sends its
  // headers a line every few seconds holds one of these, not a worker.
  const unsigned threads = std::max(workers, impl_->options.connections);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_payload_max_length(impl_->options.max_body_bytes);
  s.set_read_timeout(impl_->options.read_timeout_seconds, 0);
  s.set_write_timeout(impl_->options.write_timeout_seconds, 0);
  // One request per connection: an idle kept-alive connection would hold a worker of a
  // small pool while the browser waits on another connection for a stylesheet.
  s.set_keep_alive_max_count(1);
  httplib::Headers defaults(security_headers().begin(), security_headers().end());
  s.set_default_headers(defaults);

  auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
    impl_->answering.acquire();
    struct Release {
      std::counting_semaphore<1024>& slots;
      ~Release() { slots.release(); }
    } release{impl_->answering};
    HttpResponse answer = impl_->handler(to_request(req));
    res.status = answer.status;
    for (auto& [name, value] : answer.headers) res.set_header(name.c_str(), value);
    res.set_content(std::move(answer.body), answer.content_type.c_str());
  };
  // Every path reaches the desk, which refuses the bad ones itself (400): ".*" would not
  // match a decoded newline, and the library would answer 404 to "/x%0a".
  const std::string any = "[\\s\\S]*";
  s.Get(any, dispatch);
  s.Post(any, dispatch);
  s.Put(any, dispatch);
  s.Patch(any, dispatch);
  s.Delete(any, dispatch);
  s.Options(any, dispatch);

  s.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        res.set_header("Cache-Control", "no-store");
        res.set_content("{\"error\": " + json_quote(library_error(res.status)) + "}\n",
                        "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  s.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
        res.status = 500;
        res.set_header("Cache-Control", "no-store");
        res.set_content("{\"error\": \"the desk failed to answer; see its log\"}\n",
                        "application/json");
      });
  s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    if (impl_->options.log) impl_->options.log(req.method, req.path, res.status);
  });
}

HttpServer::~HttpServer() = default;

bool HttpServer::bind(std::string& error) {
  httplib::Server& s = impl_->server;
  if (impl_->options.port == 0) {
    impl_->port = s.bind_to_any_port(impl_->options.host);
    if (impl_->port > 0) return true;
  } else if (s.bind_to_port(impl_->options.host, impl_->options.port)) {
    impl_->port = impl_->options.port;
    return true;
  }
  error = "cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port) +
          " (the address is in use, not this machine's, or needs privileges)";
  return false;
}

int HttpServer::port() const {
  return impl_->port;
}

void HttpServer::run() {
  if (impl_->stop_requested) return;
  impl_->server.listen_after_bind();
}

void HttpServer::stop() {
  impl_->stop_requested = true;
  impl_->server.stop();
}

}  // namespace twinscan::server
