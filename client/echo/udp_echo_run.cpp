#include "client/echo/udp_echo_run.hpp"

#include <asio/error.hpp>

#include "socketlab/net/datagram.hpp"
#include "socketlab/net/endpoint.hpp"
#include "socketlab/net/use_nothrow.hpp"

namespace socketlab::client {

udp_echo_run::udp_echo_run(asio::io_context& io, const echo_options& options, const echo_observer& observer)
    : echo_run(io, echo_transport::udp, options, observer), socket_(io) {}

asio::awaitable<bool> udp_echo_run::connect(const std::vector<asio::ip::tcp::endpoint>& addresses) {
  const asio::ip::udp::endpoint server(addresses.front().address(), addresses.front().port());
  result.tried.push_back(addresses.front());
  std::error_code ec;
  socket_.open(server.protocol(), ec);
  if (!ec) socket_.connect(server, ec);
  if (!ec) socket_.non_blocking(true, ec);  // a send that would wait must not stop the receiver
  if (ec) {
    fail("connect", ec);
    co_return false;
  }
  result.remote = net::to_string(server);
  result.local = net::to_string(socket_.local_endpoint(ec));
  for (auto& d : result.large) {
    if (d.message_size == 0) d.message_size = net::max_udp_payload(server);
  }
  co_return true;
}

asio::awaitable<std::error_code> udp_echo_run::send(const std::string& message) {
  // A send first (the socket is non-blocking: sent, refused, or no room), a wait only when there
  // is no room: a datagram too long is refused by the call itself (message_size). An overlapped
  // send (async_send on Windows) refused that way came back under Wine as "More data available"
  // rather than message_size, and its completion crashed the client's echo run.
  for (;;) {
    std::error_code ec;
    socket_.send(asio::buffer(message), 0, ec);
    if (ec != asio::error::would_block) co_return ec;
    // No room: the datagrams before it wait for the interface (UDP has no flow control, so never
    // for the server). Rare, short, but still not a wait to make on the event loop.
    auto [wait_ec] = co_await socket_.async_wait(asio::ip::udp::socket::wait_write, net::use_nothrow);
    if (wait_ec) co_return wait_ec;
  }
}

asio::awaitable<std::error_code> udp_echo_run::send_back_to_back(const std::string& message) {
  co_return co_await send(message);  // send() never waits while the system takes the datagram
}

asio::awaitable<void> udp_echo_run::receive() {
  std::vector<char> buffer(options_.buffer);
  while (!finished_) {
    auto [wait_ec] = co_await socket_.async_wait(asio::ip::udp::socket::wait_read, net::use_nothrow);
    if (finished_) co_return;
    if (wait_ec) {
      fail("receive", wait_ec);
      co_return;
    }
    for (;;) {
      std::error_code ec;
      const auto got = net::receive_datagram(socket_, buffer, ec);
      if (ec == asio::error::would_block) break;
      if (ec) {
        fail("receive", ec);
        co_return;
      }
      tally_.on_datagram(std::string_view(buffer.data(), got.bytes), got);
      notify();
    }
  }
}

void udp_echo_run::close() {
  std::error_code ignored;
  socket_.close(ignored);
}

}  // namespace socketlab::client
