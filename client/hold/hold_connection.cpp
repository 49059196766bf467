#include "client/hold/hold_connection.hpp"

#include <algorithm>
#include <string>

#include <asio/buffer.hpp>
#include <asio/error.hpp>
#include <asio/write.hpp>

#include "client/failure.hpp"
#include "client/http/response_reader.hpp"
#include "socketlab/http/error.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::client {
namespace {

using asio::ip::tcp;

/// Whether a non-blocking read found nothing to read (rather than an error).
bool nothing_yet(const std::error_code& ec) {
  return ec == asio::error::would_block || ec == asio::error::try_again;
}

/// Feeds @p reader all that @p socket has received, without waiting.
/// @return true when the exchange is over: the response is complete, or r.error says why not
bool take_available(tcp::socket& socket, response_reader& reader, std::span<char> buffer,
                    exchange_result& r) {
  while (true) {
    std::error_code ec;
    const std::size_t n = socket.read_some(asio::buffer(buffer.data(), buffer.size()), ec);
    if (nothing_yet(ec)) return false;
    if (ec == asio::error::eof) {
      const bool whole = reader.feed_eof().status == http::parse_status::done;  // a close-delimited body
      r.bytes = reader.bytes();
      if (whole) r.status = reader.response().status;
      if (!whole) r.error = reader.bytes() == 0 ? ec : reader.error();
      return true;  // keep_alive stays false: the server has closed
    }
    if (ec) {
      r.error = ec;
      return true;
    }
    const auto parsed = reader.feed(std::string_view(buffer.data(), n));
    r.bytes = reader.bytes();
    if (parsed.status == http::parse_status::error) r.error = reader.error();
    if (parsed.status == http::parse_status::done) {
      r.status = reader.response().status;
      r.keep_alive = reader.keep_alive();
    }
    if (parsed.status != http::parse_status::need_more) return true;
  }
}

}  // namespace

asio::awaitable<exchange_result> exchange(tcp::socket& socket, const tcp::endpoint& server,
                                          std::string_view request, bool head, std::span<char> buffer) {
  exchange_result r;
  if (auto [ec] = co_await socket.async_connect(server, net::use_nothrow); ec) {
    r.error = ec;
    co_return r;
  }
  r.connected = true;
  std::error_code ignored;
  socket.non_blocking(true, ignored);  // read_some() below and read_idle() must never block the loop
  if (request.empty()) co_return r;
  if (auto [ec, n] = co_await asio::async_write(socket, asio::buffer(request), net::use_nothrow); ec) {
    r.error = ec;
    co_return r;
  }
  // Wait until readable, then read what is there into the shared buffer (wrk's way, as bench):
  // a pending async_read_some would need a buffer of its own for as long as it waits.
  response_reader reader;
  reader.start(head);
  while (true) {
    if (auto [ec] = co_await socket.async_wait(tcp::socket::wait_read, net::use_nothrow); ec) {
      r.error = ec;
      co_return r;
    }
    if (take_available(socket, reader, buffer, r)) co_return r;
  }
}

idle_check read_idle(tcp::socket& socket, std::span<char> buffer) {
  idle_check check;
  response_reader reader;
  reader.start(false);
  while (true) {
    std::error_code ec;
    const std::size_t n = socket.read_some(asio::buffer(buffer.data(), buffer.size()), ec);
    if (nothing_yet(ec)) return check;
    if (ec) {  // the end of the stream, or a reset
      check.closed = true;
      return check;
    }
    if (reader.feed(std::string_view(buffer.data(), n)).status == http::parse_status::done) {
      check.status = reader.response().status;
    }
  }
}

hold_failure why_not_held(const exchange_result& r, std::chrono::duration<double> timeout) {
  const std::error_code& ec = r.error;
  hold_failure f{.why = {}, .status = exit_status::failed, .error = ec, .connected = r.connected, .count = 1};
  const auto say = [&f](int status, std::string why) {
    f.status = status;
    f.why = std::move(why);
    return f;
  };
  if (!ec) {
    return say(exit_status::failed,
               "answered " + std::to_string(r.status) + " and closed the connection" +
                   (r.status == 503 ? " (the server is full: its --max-connections)" : ""));
  }
  if (ec == asio::error::no_descriptors) {
    return say(exit_status::failed, "too many open files (EMFILE): the client's limit");
  }
  if (ec == std::errc::too_many_files_open_in_system) {
    return say(exit_status::failed, "too many open files in the system (ENFILE)");
  }
  if (ec == std::errc::address_not_available) {
    return say(exit_status::connect,
               "no local port left (EADDRNOTAVAIL): the system's range of local ports is used up");
  }
  if (ec == asio::error::no_buffer_space) return say(exit_status::failed, "no buffer space (ENOBUFS)");
  if (ec == asio::error::connection_refused) return say(exit_status::connect, "refused (ECONNREFUSED)");
  if (ec == asio::error::connection_reset || ec == asio::error::connection_aborted) {
    return say(exit_status::receive, "reset by the server (ECONNRESET)");
  }
  if (ec == asio::error::timed_out) {
    return say(exit_status::timeout, "timed out after " + format_seconds(timeout) +
                                         (r.connected ? " waiting for the response" : " connecting"));
  }
  if (ec == asio::error::eof) return say(exit_status::empty_reply, "closed by the server before answering");
  if (ec == http::error::unexpected_eof) {
    return say(exit_status::partial, "closed by the server in mid-response");
  }
  if (ec.category() == http::category()) {
    return say(exit_status::bad_response, "malformed response: " + ec.message());
  }
  if (ec == asio::error::broken_pipe) {
    return say(exit_status::send, "could not send the request: " + ec.message());
  }
  return say(exit_status::failed, ec.message());
}

void count_failure(std::vector<hold_failure>& tally, const hold_failure& f) {
  const auto same =
      std::find_if(tally.begin(), tally.end(), [&](const hold_failure& t) { return t.why == f.why; });
  if (same != tally.end()) {
    ++same->count;
    return;
  }
  tally.push_back(f);
  tally.back().count = 1;
}

}  // namespace socketlab::client
