// A real listening socket on loopback: port 0 only, so tests never collide with a server.
#include "socketlab/net/tcp_listener.hpp"

#include <array>

#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/v6_only.hpp>

#include "socketlab/net/endpoint.hpp"
#include "support/catch.hpp"
#include "unit/net/test_support.hpp"

namespace net = socketlab::net;
using socketlab::net::test::contains;

namespace {

/// 127.0.0.1, any free port.
const asio::ip::tcp::endpoint any_loopback_v4(asio::ip::address_v4::loopback(), 0);

/// ::1, any free port.
const asio::ip::tcp::endpoint any_loopback_v6(asio::ip::address_v6::loopback(), 0);

/// The listen failure as text for Catch's messages.
std::string text_of(const std::optional<net::listen_error>& err, const asio::ip::tcp::endpoint& where) {
  return err ? net::describe(*err, where) : "listening";
}

/// True when this machine can bind ::1 (containers and some CI runners have no IPv6).
bool ipv6_loopback_available(asio::io_context& io) {
  asio::ip::tcp::acceptor probe(io);
  std::error_code ec;
  probe.open(asio::ip::tcp::v6(), ec);
  if (!ec) probe.bind(any_loopback_v6, ec);
  return !ec;
}

/// Connects a client to @p listener and accepts it: the server's end of the connection.
/// @param client an unconnected socket, connected on return
asio::ip::tcp::socket connect_and_accept(net::tcp_listener& listener, asio::ip::tcp::socket& client) {
  // Synchronous is enough: connect() completes once the kernel has queued the connection
  // in the listen backlog, before anyone calls accept().
  client.connect(listener.local_endpoint());
  return listener.acceptor().accept();
}

/// Listens on @p where, accepts one connection, and checks both ends see each other.
void check_accepts_a_connection(const asio::ip::tcp::endpoint& where) {
  asio::io_context io;
  net::tcp_listener listener(io.get_executor());
  const auto err = listener.listen(where, 5);
  INFO(text_of(err, where));
  REQUIRE_FALSE(err);
  const auto bound = listener.local_endpoint();
  CHECK(bound.address() == where.address());
  CHECK(bound.port() != 0);

  asio::ip::tcp::socket client(io);
  const auto server = connect_and_accept(listener, client);
  CHECK(server.remote_endpoint() == client.local_endpoint());
  CHECK(server.local_endpoint() == bound);
}

}  // namespace

TEST_CASE("tcp_listener listens on 127.0.0.1 and accepts", "[integration][net]") {
  check_accepts_a_connection(any_loopback_v4);
}

TEST_CASE("tcp_listener listens on ::1, IPv6 only, and accepts", "[integration][net]") {
  asio::io_context io;
  if (!ipv6_loopback_available(io)) {
    WARN("no IPv6 loopback on this machine: IPv6 listening not tested");
    return;
  }
  check_accepts_a_connection(any_loopback_v6);

  // "::" is where IPv6-only shows: Linux's default (dual-stack) would also take IPv4
  // connections on it, which the listener must refuse everywhere.
  net::tcp_listener listener(io.get_executor());
  REQUIRE_FALSE(listener.listen({asio::ip::address_v6::any(), 0}, 5));
  asio::ip::v6_only v6_only(false);
  listener.acceptor().get_option(v6_only);
  CHECK(v6_only.value());
  asio::ip::tcp::socket v4_client(io);
  std::error_code ec;
  v4_client.connect({asio::ip::address_v4::loopback(), listener.local_endpoint().port()}, ec);
  CHECK(ec == asio::error::connection_refused);
}

TEST_CASE("tcp_listener refuses a port another listener holds", "[integration][net]") {
  asio::io_context io;
  net::tcp_listener first(io.get_executor());
  REQUIRE_FALSE(first.listen(any_loopback_v4, 5));
  const auto taken = first.local_endpoint();

  net::tcp_listener second(io.get_executor());
  const auto err = second.listen(taken, 5);
  REQUIRE(err);
  CAPTURE(err->step, err->code.message());
  // With SO_REUSEADDR on Windows this bind would succeed and steal connections; exclusive
  // use makes it fail like on POSIX.
  CHECK(err->step == "bind");
  CHECK(err->code == asio::error::address_in_use);
  const auto text = net::describe(*err, taken);
  CAPTURE(text);
  CHECK(contains(text, "already in use"));
  CHECK(contains(text, "port " + std::to_string(taken.port())));
  CHECK_FALSE(second.acceptor().is_open());  // closed on failure
  CHECK(first.acceptor().is_open());
}

TEST_CASE("tcp_listener restarts on a port whose connection is in TIME_WAIT", "[integration][net]") {
  asio::io_context io;
  net::tcp_listener listener(io.get_executor());
  REQUIRE_FALSE(listener.listen(any_loopback_v4, 5));
  const auto port_endpoint = listener.local_endpoint();

  {
    asio::ip::tcp::socket client(io);
    auto server = connect_and_accept(listener, client);
    // The side that closes first goes to TIME_WAIT: make it the server, as when a server
    // stops while clients are connected.
    server.close();
    std::array<char, 16> buffer{};
    std::error_code ec;
    client.read_some(asio::buffer(buffer), ec);  // waits for the server's FIN
    CHECK(ec == asio::error::eof);
    client.close();  // its FIN moves the server's end from FIN_WAIT_2 to TIME_WAIT
  }
  listener.close();

  {
    // Without the option, the port is still taken: this is what the test is about.
    asio::ip::tcp::acceptor plain(io, asio::ip::tcp::v4());
    std::error_code ec;
    plain.bind(port_endpoint, ec);
    if (!ec) WARN("this system lets a plain socket bind a port in TIME_WAIT: the restart proves less here");
  }

  net::tcp_listener restarted(io.get_executor());
  const auto err = restarted.listen(port_endpoint, 5);
  INFO(text_of(err, port_endpoint));
  CHECK_FALSE(err);
  CHECK(restarted.local_endpoint() == port_endpoint);
}

TEST_CASE("tcp_listener listens with a backlog of 1 and of the system maximum", "[integration][net]") {
  const int backlog = GENERATE(1, 0, -1, net::max_backlog());
  CAPTURE(backlog);
  asio::io_context io;
  net::tcp_listener listener(io.get_executor());
  const auto err = listener.listen(any_loopback_v4, backlog);
  INFO(text_of(err, any_loopback_v4));
  REQUIRE_FALSE(err);
  asio::ip::tcp::socket client(io);
  CHECK(connect_and_accept(listener, client).is_open());
}

TEST_CASE("tcp_listener names an address that is not on this machine", "[integration][net]") {
  asio::io_context io;
  net::tcp_listener listener(io.get_executor());
  // 203.0.113.1 is TEST-NET-3 (RFC 5737): documentation only, never a real host's address.
  const asio::ip::tcp::endpoint where(asio::ip::make_address("203.0.113.1"), 0);
  const auto err = listener.listen(where, 5);
  REQUIRE(err);
  CHECK(err->step == "bind");
  const auto text = net::describe(*err, where);
  CAPTURE(text, err->code.message());
  CHECK(text == "cannot bind 203.0.113.1:0: that address is not on this machine");
}

TEST_CASE("tcp_listener close stops a pending accept", "[integration][net]") {
  asio::io_context io;
  net::tcp_listener listener(io.get_executor());
  REQUIRE_FALSE(listener.listen(any_loopback_v4, 5));
  std::error_code result;
  bool done = false;
  listener.acceptor().async_accept([&](const std::error_code& ec, asio::ip::tcp::socket) {
    result = ec;
    done = true;
  });
  listener.close();
  io.run_for(std::chrono::seconds(10));
  CHECK(done);
  CHECK(result == asio::error::operation_aborted);
  CHECK(listener.local_endpoint() == asio::ip::tcp::endpoint{});
}
