// net::accept_ready() and net::accepted_socket on real loopback sockets: a connection is taken
// without waiting and comes non-blocking; it is read and written by its handle with no event
// loop, joins the loop only in waitable(), and closes either way; tcp_listener::defer_accept()
// keeps a connection from accept() until its first bytes (Linux) or says it cannot.
// (accept_next(): accept_next_test.cpp.)
#include "socketlab/net/accepted_socket.hpp"

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <system_error>

#include <asio/io_context.hpp>
#include <asio/write.hpp>

#include "support/accepting.hpp"
#include "support/catch.hpp"

namespace net = socketlab::net;
using namespace std::chrono_literals;
using asio::ip::tcp;

using socketlab::test::accepting;
using socketlab::test::readable;

TEST_CASE("accept_ready: nothing waiting is would_block, not a wait", "[integration][net][accepted-socket]") {
  accepting l;
  tcp::endpoint peer;
  std::error_code ec;
  (void)net::accept_ready(l.listener.acceptor(), peer, ec);
  CHECK(ec == asio::error::would_block);
}

TEST_CASE("accepted_socket: read and written by its handle, never registered, closed by its owner",
          "[integration][net][accepted-socket]") {
  accepting l;
  auto s = l.accept();
  CHECK(s.is_open());
  CHECK_FALSE(s.registered());

  std::array<char, 64> buffer{};
  std::error_code ec;
  CHECK(s.read_some(buffer, ec) == 0);  // non-blocking from accept: nothing yet, and no wait
  CHECK(ec == asio::error::would_block);

  asio::write(l.client, asio::buffer(std::string_view("hello")));
  REQUIRE(readable(s.native_handle()));
  const auto n = s.read_some(buffer, ec);
  REQUIRE_FALSE(ec);
  CHECK(std::string_view(buffer.data(), n) == "hello");

  const std::string_view answer = "world";
  CHECK(net::write_now(s.native_handle(), answer, ec) == answer.size());
  REQUIRE_FALSE(ec);
  CHECK_FALSE(s.registered());  // served without the event loop

  s.close();
  CHECK_FALSE(s.is_open());
  s.close();  // twice is harmless
  CHECK(l.read_to_end() == "world");
}

TEST_CASE("accepted_socket: waitable() joins the event loop at the first wait; cancel and close work there",
          "[integration][net][accepted-socket]") {
  accepting l;
  auto first = l.accept();
  auto s = std::move(first);  // the moved-from one owns nothing
  CHECK_FALSE(first.is_open());
  REQUIRE(s.is_open());

  auto& waitable = s.waitable();
  CHECK(s.registered());
  CHECK(waitable.native_handle() == s.native_handle());
  CHECK(&s.waitable() == &waitable);  // registered once

  std::error_code waited = asio::error::timed_out;  // set by the handler
  waitable.async_wait(tcp::socket::wait_read, [&](const std::error_code& ec) { waited = ec; });
  asio::write(l.client, asio::buffer(std::string_view("x")));
  l.io.run();
  CHECK_FALSE(waited);
  std::array<char, 8> buffer{};
  std::error_code ec;
  CHECK(s.read_some(buffer, ec) == 1);

  waitable.async_wait(tcp::socket::wait_read, [&](const std::error_code& e) { waited = e; });
  s.cancel();
  l.io.restart();
  l.io.run();
  CHECK(waited == asio::error::operation_aborted);

  s.shutdown_send();  // the client reads the end of the stream; the socket stays open
  CHECK(l.read_to_end().empty());
  CHECK(s.is_open());
  s.close();
  CHECK_FALSE(waitable.is_open());
}

TEST_CASE("tcp_listener::defer_accept: a connection reaches accept() with its first bytes (Linux)",
          "[integration][net][accepted-socket]") {
  accepting l;
  std::error_code ec;
  l.listener.defer_accept(1s, ec);
#if defined(__linux__)
  REQUIRE_FALSE(ec);
  l.client.connect(l.listener.local_endpoint());  // the handshake is answered as ever
  // The connection is held back (the first SYN/ACK retransmission, which would let it through
  // bytes or not, comes a second after the handshake).
  CHECK_FALSE(readable(l.listener.acceptor().native_handle(), 300ms));
  asio::write(l.client, asio::buffer(std::string_view("GET")));
  REQUIRE(readable(l.listener.acceptor().native_handle()));
  tcp::endpoint peer;
  net::accepted_socket s(l.io.get_executor(), tcp::v4(), net::accept_ready(l.listener.acceptor(), peer, ec));
  REQUIRE_FALSE(ec);
  std::array<char, 8> buffer{};
  const auto n = s.read_some(buffer, ec);  // there at once: no wait, no event loop
  REQUIRE_FALSE(ec);
  CHECK(std::string_view(buffer.data(), n) == "GET");
#else
  CHECK(ec == asio::error::operation_not_supported);
#endif
}

TEST_CASE("accepted_socket: waitable() tells Asio what accept gave; a closed one leaves nothing registered",
          "[integration][net][accepted-socket]") {
  accepting l;
  auto s = l.accept();
  const auto handle = s.native_handle();
  auto& waitable = s.waitable();
#if !defined(ASIO_HAS_IOCP)
  // Asio knows the socket is non-blocking already, without an ioctl() of its own before a wait.
  CHECK(waitable.native_non_blocking());
#endif
  std::error_code waited = asio::error::timed_out;
  waitable.async_wait(tcp::socket::wait_read, [&](const std::error_code& ec) { waited = ec; });
  asio::write(l.client, asio::buffer(std::string_view("x")));
  l.io.run();
  REQUIRE_FALSE(waited);
  s.close();  // Asio unregisters nothing first: closing the only handle takes it out of epoll

  // The next connection usually gets the same handle number (the lowest free one): it registers
  // and waits as the first did, which it could not if the first were still in the event loop.
  l.client.close();
  auto next = l.accept();
  INFO("same handle number: " << (next.native_handle() == handle));
  auto& next_waitable = next.waitable();
  waited = asio::error::timed_out;
  next_waitable.async_wait(tcp::socket::wait_read, [&](const std::error_code& ec) { waited = ec; });
  asio::write(l.client, asio::buffer(std::string_view("y")));
  l.io.restart();
  l.io.run();
  CHECK_FALSE(waited);
  std::array<char, 8> buffer{};
  std::error_code ec;
  CHECK(next.read_some(buffer, ec) == 1);
}
