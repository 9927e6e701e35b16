// The desk's server on cpp-httplib, built as a module of its own (see
// server/http_backend.h): the only file that includes the library.
#include "analyzer/server/http_backend.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <semaphore>
#include <string_view>
#include <utility>

#include <httplib.h>

namespace twinscan::server {
namespace {

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

// The codings of an Accept-Encoding header but "br" (a coding is a token, maybe with
// ";q=…"): the library compresses with brotli at its highest quality when a browser
// accepts it (every browser does), half a second for a page of 50 KB; gzip costs a
// millisecond.
std::string without_brotli(std::string_view offered) {
  std::string accepted;
  while (!offered.empty()) {
    const std::size_t comma = offered.find(',');
    const std::string_view item = offered.substr(0, comma);
    offered = comma == std::string_view::npos ? std::string_view{} : offered.substr(comma + 1);
    std::string_view coding = item.substr(0, item.find(';'));
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding == "br" || coding.empty()) continue;
    accepted += (accepted.empty() ? "" : ", ") + std::string(item);
  }
  return accepted;
}

class LibraryBackend final : public HttpBackend {
 public:
  explicit LibraryBackend(HttpBackendSetup setup)
      : setup_(std::move(setup)),
        answering_(static_cast<std::ptrdiff_t>(std::clamp(setup_.options.workers, 1U, 1024U))) {
    httplib::Server& s = server_;
    const unsigned workers = std::clamp(setup_.options.workers, 1U, 1024U);
    // A thread per connection being read, up to `connections`: a client that sends its
    // headers a line every few seconds holds one of these, not a worker.
    const unsigned threads = std::max(workers, setup_.options.connections);
    s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    s.set_payload_max_length(setup_.options.max_body_bytes);
    s.set_read_timeout(setup_.options.read_timeout_seconds, 0);
    s.set_write_timeout(setup_.options.write_timeout_seconds, 0);
    // One request per connection: an idle kept-alive connection would hold a worker of a
    // small pool while the browser waits on another connection for a stylesheet.
    s.set_keep_alive_max_count(1);
    s.set_default_headers(httplib::Headers(setup_.headers.begin(), setup_.headers.end()));

    auto dispatch = [this](const httplib::Request& req, httplib::Response& res) {
      answering_.acquire();
      struct Release {
        std::counting_semaphore<1024>& slots;
        ~Release() { slots.release(); }
      } release{answering_};
      HttpResponse answer = setup_.handler(to_request(req));
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

    s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
      // The request is the library's own object, not const; only a header is trimmed.
      auto& headers = const_cast<httplib::Request&>(req).headers;
      if (const auto it = headers.find("Accept-Encoding"); it != headers.end()) {
        std::string accepted = without_brotli(it->second);
        headers.erase(it);
        headers.emplace("Accept-Encoding", std::move(accepted));
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    s.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          res.set_header("Cache-Control", "no-store");
          // A browser (a form posted too large, say) gets a page to go back from.
          const bool html = req.get_header_value("Accept").find("text/html") != std::string::npos;
          res.set_content(setup_.refusal(res.status, html),
                          html ? "text/html; charset=utf-8" : "application/json");
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
      if (setup_.options.log) setup_.options.log(req.method, req.path, res.status);
    });
  }

  bool bind(std::string& error) override {
    if (setup_.options.port == 0) {
      port_ = server_.bind_to_any_port(setup_.options.host);
      if (port_ > 0) return true;
    } else if (server_.bind_to_port(setup_.options.host, setup_.options.port)) {
      port_ = setup_.options.port;
      return true;
    }
    error = "cannot listen on " + setup_.options.host + ":" + std::to_string(setup_.options.port) +
            " (the address is in use, not this machine's, or needs privileges)";
    return false;
  }
  [[nodiscard]] int port() const override { return port_; }
  void run() override {
    if (stop_requested_) return;
    server_.listen_after_bind();
  }
  void stop() override {
    stop_requested_ = true;
    server_.stop();
  }

 private:
  HttpBackendSetup setup_;
  /// Requests being answered: at most `workers` at once, however many connections are read.
  std::counting_semaphore<1024> answering_;
  httplib::Server server_;
  int port_ = 0;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace
}  // namespace twinscan::server

extern "C" __attribute__((visibility("default"))) twinscan::server::HttpBackend*
twinscan_make_http_backend(twinscan::server::HttpBackendSetup&& setup) {
  return new twinscan::server::LibraryBackend(std::move(setup));
}
