#include "client/echo/tcp_echo_run.hpp"

#include <cstddef>

#include <asio/error.hpp>
#include <asio/write.hpp>

#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::client {

tcp_echo_run::tcp_echo_run(asio::io_context& io, const echo_options& options, const echo_observer& observer)
    : echo_run(io, echo_transport::tcp, options, observer), socket_(io) {}

asio::awaitable<bool> tcp_echo_run::connect(const std::vector<asio::ip::tcp::endpoint>& addresses) {
  std::error_code ec;
  for (const auto& server : addresses) {
    result.tried.push_back(server);
    std::error_code ignored;
    socket_.close(ignored);
    connecting_ = true;
    connect_timed_out_ = false;
    wake_.expires_after(options_.timeout);
    wake_.async_wait([this](const std::error_code& e) {
      if (e || !connecting_) return;  // cancelled, or the connect finished first
      connect_timed_out_ = true;
      std::error_code unused;
      socket_.close(unused);  // ends the pending connect with operation_aborted
    });
    const auto start = clock::now();
    auto [connect_ec] = co_await socket_.async_connect(server, net::use_nothrow);
    const auto took = clock::now() - start;
    connecting_ = false;
    wake_.cancel();
    ec = connect_timed_out_ ? std::error_code(asio::error::timed_out) : connect_ec;
    if (!ec) {
      result.setup = took;
      result.ipv6 = net::travels_over_ipv6(server.address());
      result.remote = net::to_string(server);
      result.local = net::to_string(socket_.local_endpoint(ignored));
      // Each message leaves when it is written: Nagle's algorithm would hold one back while an
      // earlier one is unacknowledged, and the round trips measured would be its, not the network's.
      socket_.set_option(asio::ip::tcp::no_delay(true), ec);
      if (!ec) socket_.non_blocking(true, ec);  // a write that would wait must not stop the receiver
      if (!ec) co_return true;
      break;
    }
  }
  fail("connect", ec);
  co_return false;
}

asio::awaitable<std::error_code> tcp_echo_run::send(const std::string& message) {
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(message), net::use_nothrow);
  co_return ec;
}

asio::awaitable<std::error_code> tcp_echo_run::send_back_to_back(const std::string& message) {
  std::error_code ec;
  const std::size_t taken = asio::write(socket_, asio::buffer(message), ec);  // non-blocking: no wait
  if (ec != asio::error::would_block) co_return ec;
  // No room: the server reads no faster than its echoes are read, and a burst larger than the
  // buffers has filled them all. Waiting here in a blocking write would keep the receiver from
  // reading those echoes, and neither side could go on (issue 15); awaiting lets it read.
  auto [wait_ec, n] = co_await asio::async_write(socket_, asio::buffer(message) + taken, net::use_nothrow);
  co_return wait_ec;
}

asio::awaitable<void> tcp_echo_run::receive() {
  std::vector<char> buffer(options_.buffer);
  while (!finished_) {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer), net::use_nothrow);
    if (finished_) co_return;
    if (ec) {
      fail("receive", ec);  // eof: the server closed the connection
      co_return;
    }
    tally_.on_stream(std::string_view(buffer.data(), n));
    notify();
  }
}

void tcp_echo_run::close() {
  std::error_code ignored;
  socket_.close(ignored);
}

}  // namespace socketlab::client
