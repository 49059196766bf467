#include "server/http_session.hpp"

#include <utility>
#include <vector>

#include "server/access_log.hpp"
#include "socketlab/http/date.hpp"
#include "socketlab/http/error.hpp"
#include "socketlab/http/serializer.hpp"
#include "socketlab/http/status.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/per_thread.hpp"
#include "socketlab/net/quoted.hpp"

namespace socketlab::server {
namespace {

constexpr std::string_view server_name = "socketlab/" SOCKETLAB_VERSION;
constexpr std::size_t max_verbose_bytes = 64 * 1024;  // -v shows at most this much of a request

/// The Date field for @p now, formatted once per second per thread rather than per response.
const std::string& http_date(std::chrono::system_clock::time_point now) {
  struct date_field;
  return net::per_thread<http::http_date_cache, date_field>().format(now);
}

/// The access log's line, one per thread, its room reused: logging allocates nothing.
struct log_line {
  std::string text;
};

/// Whether a response with this status carries a body and Content-Length (RFC 9110 §8.6).
bool has_content(int status) {
  return status >= 200 && status != 204 && status != 304;
}

}  // namespace

http_session::http_session(const site& s, const server_config& cfg, std::string peer_address,
                           std::string peer_endpoint, clock::time_point now, std::chrono::milliseconds work)
    : site_(s),
      config_(cfg),
      peer_address_(std::move(peer_address)),
      peer_endpoint_(std::move(peer_endpoint)),
      accepted_(now),
      request_start_(now),
      last_read_(now),
      last_response_(now),
      send_progress_(now),
      work_(work) {}

http_session http_session::for_peer(const site& s, const server_config& cfg,
                                    const asio::ip::tcp::endpoint& peer, clock::time_point now,
                                    std::chrono::milliseconds work) {
  // Each text only where it is written: a new connection costs no formatting the server throws away.
  auto address = cfg.access_log ? net::to_string(peer.address()) : std::string{};
  auto endpoint = cfg.verbose ? net::to_string(peer) : std::string{};
  return {s, cfg, std::move(address), std::move(endpoint), now, work};
}

void http_session::on_bytes(std::string_view data, clock::time_point now) {
  last_read_ = now;
  if (!has_output()) send_progress_ = now;  // what this queues is due within `send` of now
  bool between_requests = false;            // the parser has just finished one and holds nothing of the next
  //! [on-bytes]
  while (!data.empty() && !close_ && !body_) {
    auto& parser = this->parser();
    const bool was_started = parser.started();
    const auto result = parser.feed(data);
    if (config_.verbose && raw_.size() < max_verbose_bytes) {
      raw_.append(data.substr(0, std::min(result.consumed, max_verbose_bytes - raw_.size())));
    }
    data.remove_prefix(result.consumed);
    if (!was_started && parser.started()) request_start_ = now;
    between_requests = result.status == http::parse_status::done;

    if (result.status == http::parse_status::error) {
      answer_parse_error(now);
    } else if (result.status == http::parse_status::done) {
      answer(parser.get(), now);
      parser.reset();
      continue_sent_ = false;
    } else {
      // need_more: a client that sent "Expect: 100-continue" waits for our go-ahead before
      // sending the body. A body too large never gets here: the parser fails at the header.
      if (parser.expects_continue() && !continue_sent_) {
        take_output_buffer();
        output_.append("HTTP/1.1 100 Continue\r\n\r\n");
        continue_sent_ = true;
      }
      break;
    }
  }
  //! [on-bytes]
  if (between_requests) parser_.reset();  // it goes back to the thread's spares until the next request
  if (data.empty()) return;
  if (close_) {
    linger_ = true;  // bytes left after we decided to close are requests we will never answer
  } else {
    held_.append(data);  // behind a file being sent: parsed once it has gone (on_written())
  }
}

void http_session::on_eof() noexcept {
  close_ = true;
  // A half-received request is abandoned: the client gave up, there is no one to answer.
}

void http_session::on_timeout(clock::time_point now) {
  if (close_) return;
  if (started() && !has_output()) {
    // Part of a request arrived but not the rest in time: tell the client, like nginx.
    http::request req = std::move(parser_->get());
    send_progress_ = now;
    send(text_response(408, "Request Timeout: the request did not arrive in time\n"), req, true);
    last_response_ = now;
    linger_ = true;
  }
  close_ = true;
}

void http_session::on_shutdown() noexcept {
  closing_ = true;
  if (idle()) close_ = true;
}

void http_session::on_overload() {
  auto res = text_response(503, "Service Unavailable: the server is serving its maximum of " +
                                    std::to_string(config_.max_connections) +
                                    " connections; try again in a second\n");
  res.headers.add("Retry-After", "1");
  send(std::move(res), http::request{}, true);
  linger_ = true;  // the client may be sending its request already: let it arrive, unread
}

bool http_session::idle() const noexcept {
  return !started() && !has_output() && held_.empty() && !close_;
}

http_session::clock::time_point http_session::deadline() const noexcept {
  const auto& t = config_.timeouts;
  if (has_output()) return send_progress_ + t.send;
  if (!started()) return responses_ == 0 ? accepted_ + t.header : last_response_ + t.idle;
  if (!parser_->header_done()) return request_start_ + t.header;
  return last_read_ + t.body;
}

void http_session::answer(const http::request& req, clock::time_point now) {
  if (config_.verbose) log_verbose();
  send(respond(site_, req), req, !req.keep_alive() || closing_);
  ++pending_answers_;
  last_response_ = now;
}

void http_session::on_written(std::size_t n, clock::time_point now) {
  send_progress_ = now;
  if (sent_ < output_.size()) {
    sent_ += n;
    if (sent_ < output_.size()) return;
    output_.clear();  // its memory is kept for the next response (all_sent() gives it back)
    sent_ = 0;
  } else if (body_) {
    body_->advance(n);
    if (body_->remaining() == 0) body_.reset();
  }
  if (!has_output()) all_sent(now);
}

void http_session::on_file_short() noexcept {
  // The file shrank or failed since the header promised its length: the connection ends here.
  body_.reset();
  close_ = true;
  if (!held_.empty()) linger_ = true;  // requests pipelined behind it are never answered
  held_.clear();
}

void http_session::all_sent(clock::time_point now) {
  pending_answers_ = 0;
  close_header_at_ = std::string::npos;
  if (!started()) last_response_ = now;
  if (!held_.empty() && !close_) {
    const std::string held = std::exchange(held_, {});
    on_bytes(held, now);  // what was pipelined behind a file: its answers become output()
    if (has_output()) return;
  }
  if (closing_ && !started()) close_ = true;
  // An idle connection keeps no buffer: it goes back to the thread's spares, for the next
  // response of any connection (a large one is freed), and ten thousand idle clients hold none.
  give_back_output();
}

void http_session::on_work_done(clock::time_point now) {
  send_progress_ = now;
  pending_answers_ = 0;  // the work is done: writing output() in several pieces waits no more
  if (!closing_ || close_header_at_ == std::string::npos) return;
  // The response waited (--work-ms) through the start of a stop: it becomes the last one. Its
  // header was written for a kept-alive connection (HTTP/1.1 without a Connection field; 1.0
  // with "Connection: keep-alive", then replaced), so the field goes at its end.
  constexpr std::string_view keep_alive = "\r\nConnection: keep-alive\r\n";
  const std::string_view header(output_.data() + header_at_, close_header_at_ - header_at_);
  if (const auto at = header.find(keep_alive); at != std::string_view::npos) {
    output_.replace(header_at_ + at, keep_alive.size(), "\r\nConnection: close\r\n");
  } else {
    output_.insert(close_header_at_, "Connection: close\r\n");
  }
  close_header_at_ = std::string::npos;
  close_ = true;
}

void http_session::answer_parse_error(clock::time_point now) {
  if (config_.verbose) log_verbose();
  const auto ec = parser_->error();
  const int status = http::status_for(static_cast<http::error>(ec.value()));
  std::string body =
      std::to_string(status) + " " + std::string(http::reason_phrase(status)) + ": " + ec.message() + "\n";
  // The framing can no longer be trusted, so nothing after this request can be read: close.
  send(text_response(status, std::move(body)), parser_->get(), true);
  last_response_ = now;
  linger_ = true;
}

void http_session::send(reply res, const http::request& req, bool close) {
  const bool head = req.method == "HEAD";
  // One response per thread is reused for every connection the thread serves: its field list
  // keeps its capacity from one response to the next, and an idle connection holds none of it.
  auto& out = net::per_thread<http::response>();
  out.status = res.status;
  out.headers.clear();
  out.headers.add("Server", server_name);
  const auto now = std::chrono::system_clock::now();  // the Date, and the log's time
  out.headers.add("Date", http_date(now));
  if (!res.content_type.empty()) out.headers.add("Content-Type", res.content_type);
  for (const auto& f : res.headers)
    out.headers.add(f.name, f.value);
  const std::uint64_t length = res.file ? res.file->remaining() : res.body_text().size();
  if (has_content(res.status)) out.headers.set("Content-Length", std::to_string(length));
  if (close) {
    out.headers.set("Connection", "close");
  } else if (req.version == 10) {
    out.headers.set("Connection", "keep-alive");  // HTTP/1.0 closes unless told otherwise
  }
  const std::uint64_t body_bytes = head ? 0 : length;
  out.body.clear();
  if (!head && !res.constant_body.empty()) {
    out.body.assign(res.constant_body);  // into the thread's response: its room is reused
  } else if (!head) {
    out.body.swap(res.body);
  }
  take_output_buffer();
  header_at_ = output_.size();
  http::serialize(out, output_);
  // Where a late `Connection: close` would go: before the blank line ending this header.
  close_header_at_ = close ? std::string::npos : output_.size() - out.body.size() - 2;
  if (res.file && !head && res.file->remaining() > 0) {
    if (res.file->remaining() <= inline_file_max) {
      // A small file goes with its header: the response is one write.
      if (!res.file->read(output_, inline_file_max)) {
        on_file_short();  // it shrank since it was opened: what is queued goes, then the close
        close = true;
      }
    } else {
      body_ = std::make_unique<file_body>(std::move(*res.file));  // sent from the file
    }
  }

  ++responses_;
  close_ = close_ || close;
  if (config_.access_log) {
    auto& line = net::per_thread<log_line>().text;
    line.clear();
    append_access_log(line, peer_address_, now, req, out.status, body_bytes);
    line.push_back('\n');
    config_.access_log(line);
  }
}

void http_session::log_verbose() {
  if (config_.console) {
    // The bytes as they came, as the original's print(request.decode()), but a peer's control
    // characters are shown, not obeyed: they could move the cursor or retitle the terminal.
    config_.console("--- request from " + peer_endpoint_ + " ---\n" + net::printable_lines(raw_) +
                    (raw_.ends_with('\n') ? "" : "\n"));
  }
  raw_.clear();
}

}  // namespace socketlab::server
