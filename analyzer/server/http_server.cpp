#include "analyzer/server/http_server.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <exception>
#include <semaphore>
#include <utility>

#include <httplib.h>

#include "analyzer/server/html.h"
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

  // The library compresses with brotli at its highest quality when a browser accepts
  // it (every browser does): half a second for a page of 50 KB. gzip costs a millisecond.
  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    // The request is the library's own object, not const; only a header is trimmed.
    auto& headers = const_cast<httplib::Request&>(req).headers;
    if (const auto it = headers.find("Accept-Encoding"); it != headers.end()) {
      // The codings offered, but "br" (a coding is a token, maybe with ";q=…").
      std::string accepted;
      std::string_view offered = it->second;
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
      headers.erase(it);
      headers.emplace("Accept-Encoding", accepted);
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        res.set_header("Cache-Control", "no-store");
        // A browser (a form posted too large, say) gets a page to go back from.
        if (req.get_header_value("Accept").find("text/html") != std::string::npos) {
          res.set_content(library_error_page(res.status), "text/html; charset=utf-8");
          return httplib::Server::HandlerResponse::Handled;
        }
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
