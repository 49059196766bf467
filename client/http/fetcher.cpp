#include "client/http/fetcher.hpp"

#include <thread>

#include <asio/error.hpp>

#include "socketlab/http/serializer.hpp"
#include "socketlab/net/endpoint.hpp"

namespace socketlab::client {
namespace {

/// Why a connection cannot carry the next request, from the response that ended it.
std::string close_reason(const http::response& res, bool close_delimited, bool asked_close, bool closed) {
  if (res.status == 101) return "the server switched protocols (101): what follows is not HTTP";
  if (close_delimited) return "the body ended when the server closed the connection";
  if (res.headers.has_token("Connection", "close")) return "the server sent Connection: close";
  if (asked_close) return "the request asked for Connection: close";
  if (closed) return "the server closed the connection";
  return "an HTTP/1.0 response without Connection: keep-alive";
}

/// Whether @p ec says the server closed or reset the connection (Windows says "aborted").
bool closed_by_peer(const std::error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

}  // namespace

fetcher::fetcher(const get_options& options, std::ostream& out, std::ostream& err)
    : options_(options), output_(options, out, err) {}

std::optional<failure> fetcher::fetch(const url& u) {
  const auto start = clock::now();
  output_.start_url(start);
  deadline_ = start + std::chrono::duration_cast<clock::duration>(options_.timeout);
  const http::request req = request_for(u);
  std::string wire;
  const std::string one = http::to_string(req);
  for (int i = 0; i < options_.pipeline; ++i)
    wire += one;

  const bool reuse = conn_.is_open() && reusable_ && same_origin(origin_, u);
  if (conn_.is_open() && !reuse) finish(reusable_ ? "the next URL is on another host" : "");
  if (reuse) {
    output_.info("Re-using connection #" + std::to_string(number_) + " to " + net::to_string(conn_.remote()));
  } else if (auto failed = open(u)) {
    return failed;
  }
  origin_ = u;
  output_.show_request(req);

  std::optional<failure> failed = exchange(wire, req);
  if (failed && reuse && stale_) {
    // An idle keep-alive connection the server closed meanwhile: curl retries once too.
    output_.info("connection #" + std::to_string(number_) +
                 " was closed by the server while idle; opening a new one");
    if (auto not_open = open(u)) return not_open;
    failed = exchange(wire, req);
  }
  if (failed) conn_.close();
  return failed;
}

void fetcher::finish(const std::string& why) {
  if (!conn_.is_open()) return;
  if (!why.empty()) output_.info("Closing connection #" + std::to_string(number_) + ": " + why);
  conn_.close();
}

http::request fetcher::request_for(const url& u) const {
  request_options options = options_.request;
  if (options_.head && options.method.empty()) options.method = "HEAD";
  return make_request(u, options);
}

std::optional<failure> fetcher::open(const url& u) {
  const std::error_code ec = conn_.open(u.host, u.port, deadline_,
                                        [this](std::string_view line) { output_.info(std::string(line)); });
  if (ec) return explain_open(u.host, u.port, conn_.tried(), ec, options_.timeout);
  ++number_;
  sent_ = received_ = 0;
  reusable_ = true;
  output_.info("Connected to " + net::to_string(conn_.remote()) + " from " + net::to_string(conn_.local()) +
               " (connection #" + std::to_string(number_) + ")");
  return std::nullopt;
}

std::error_code fetcher::send(std::string_view bytes) {
  const std::size_t piece = options_.split == 0 ? bytes.size() : options_.split;
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    const std::string_view part = bytes.substr(at, piece);
    if (const auto ec = conn_.write(part, deadline_)) return ec;
    output_.trace(direction::sent, part, sent_);
    sent_ += part.size();
    if (options_.split == 0) continue;
    output_.info("sent bytes " + std::to_string(at) + ".." + std::to_string(at + part.size() - 1) + " (" +
                 std::to_string(part.size()) + " of " + std::to_string(bytes.size()) + ")");
    if (at + piece < bytes.size() && options_.pause.count() > 0) {
      output_.info("pausing " + std::to_string(options_.pause.count()) + " ms");
      std::this_thread::sleep_for(options_.pause);  // the user asked the client itself to wait
      deadline_ += options_.pause;                  // so the pause is not the server's time
    }
  }
  return {};
}

std::optional<failure> fetcher::exchange(const std::string& wire, const http::request& req) {
  stale_ = false;
  pending_.clear();
  if (const auto ec = send(wire)) {
    stale_ = closed_by_peer(ec);
    return explain_send(conn_.remote(), ec, options_.timeout);
  }
  if (options_.pipeline > 1) {
    output_.info(std::to_string(options_.pipeline) +
                 " requests sent in one write (pipelined): " + std::to_string(wire.size()) + " bytes");
  } else {
    output_.info("request sent: " + std::to_string(wire.size()) + " bytes");
  }
  got_first_byte_ = false;
  for (int k = 0; k < options_.pipeline; ++k) {
    bool closed = false;
    if (auto f = read_response(k, req.method == "HEAD", closed)) return f;
    if (auto f = output_.deliver(reader_, k)) return f;
    if (closed || !reader_.keep_alive() || !req.keep_alive()) {
      reusable_ = false;
      const std::string why =
          close_reason(reader_.response(), reader_.close_delimited(), !req.keep_alive(), closed);
      if (k + 1 < options_.pipeline) return unanswered(k + 1, why);
      finish(why);
    }
  }
  if (!pending_.empty()) {  // curl says "Excess found": bytes no request asked for
    output_.info(std::to_string(pending_.size()) + " bytes after the last response were discarded");
  }
  if (conn_.is_open()) {
    output_.info("Connection #" + std::to_string(number_) + " to " + net::to_string(conn_.remote()) +
                 " left open for the next request (keep-alive)");
  }
  return std::nullopt;
}

std::optional<failure> fetcher::read_response(int k, bool head, bool& closed) {
  reader_.start(head);
  while (true) {
    if (!pending_.empty()) {
      const auto r = reader_.feed(pending_);
      pending_.erase(0, r.consumed);
      if (r.status == http::parse_status::done) return std::nullopt;
      if (r.status == http::parse_status::error) {
        return explain_receive(conn_.remote(), reader_.error(), reader_, options_.timeout);
      }
    }
    std::error_code ec;
    const std::size_t n = conn_.read_some(buffer_, deadline_, ec);
    if (ec == asio::error::eof) {
      closed = true;
      if (reader_.feed_eof().status == http::parse_status::done) return std::nullopt;
      stale_ = k == 0 && reader_.bytes() == 0;
      if (k > 0 && reader_.bytes() == 0) return unanswered(k, "the server closed the connection");
      return explain_receive(conn_.remote(), reader_.error(), reader_, options_.timeout);
    }
    if (ec) {
      stale_ = k == 0 && reader_.bytes() == 0 && closed_by_peer(ec);
      if (k > 0 && reader_.bytes() == 0 && closed_by_peer(ec))
        return unanswered(k, "the server reset the connection");
      return explain_receive(conn_.remote(), ec, reader_, options_.timeout);
    }
    if (!got_first_byte_) {
      output_.info("first byte of the response");
      got_first_byte_ = true;
    }
    const std::string_view got(buffer_.data(), n);
    output_.trace(direction::received, got, received_);
    received_ += n;
    pending_ += got;
  }
}

failure fetcher::unanswered(int answered, const std::string& why) const {
  return {exit_status::partial, "only " + std::to_string(answered) + " of " +
                                    std::to_string(options_.pipeline) +
                                    " pipelined requests were answered: " + why};
}

}  // namespace socketlab::client
