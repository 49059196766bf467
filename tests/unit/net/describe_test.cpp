// The one sentence a user reads when a server cannot listen.
#include <asio/error.hpp>

#include "socketlab/net/tcp_listener.hpp"
#include "support/catch.hpp"
#include "unit/net/test_support.hpp"

namespace net = socketlab::net;
using socketlab::net::test::contains;

namespace {

/// 127.0.0.1:@p port.
asio::ip::tcp::endpoint loopback(std::uint16_t port) {
  return {asio::ip::address_v4::loopback(), port};
}

}  // namespace

TEST_CASE("describe names a port in use", "[unit][net]") {
  const auto text = net::describe({"bind", asio::error::address_in_use}, loopback(8888));
  CHECK(text == "port 8888 is already in use (another server?)");
}

TEST_CASE("describe explains privileged ports", "[unit][net]") {
  CHECK(net::describe({"bind", asio::error::access_denied}, loopback(80)) ==
        "permission denied for port 80 (ports below 1024 need privileges)");
  const auto high = net::describe({"bind", asio::error::access_denied}, loopback(50000));
  CAPTURE(high);
  CHECK(contains(high, "permission denied for port 50000"));
  CHECK_FALSE(contains(high, "below 1024"));
}

TEST_CASE("describe explains an address that is not on this machine", "[unit][net]") {
  const asio::ip::tcp::endpoint where(asio::ip::make_address("192.0.2.1"), 80);
  CHECK(net::describe({"bind", std::make_error_code(std::errc::address_not_available)}, where) ==
        "cannot bind 192.0.2.1:80: that address is not on this machine");
}

TEST_CASE("describe falls back to the step, the endpoint and the system's words", "[unit][net]") {
  const std::error_code code = asio::error::no_descriptors;
  const auto text = net::describe({"open", code}, loopback(8888));
  CAPTURE(text);
  CHECK(contains(text, "cannot open 127.0.0.1:8888: "));
  CHECK(text.size() > std::string_view("cannot open 127.0.0.1:8888: ").size());
  CHECK(text.back() != '.');
  CHECK(text.back() != '\n');

  const asio::ip::tcp::endpoint v6(asio::ip::address_v6::loopback(), 8881);
  CHECK(contains(net::describe({"listen", asio::error::invalid_argument}, v6), "cannot listen [::1]:8881: "));
}

TEST_CASE("max_backlog is a usable backlog", "[unit][net]") {
  const int backlog = net::max_backlog();
  CHECK(backlog > 0);
  CHECK(backlog <= 1 << 20);  // not Windows' SOMAXCONN marker 0x7fffffff
}

TEST_CASE("listen_failure says describe()'s sentence and keeps what failed", "[unit][net]") {
  const net::listen_failure failure({"listen", asio::error::address_in_use}, loopback(7007));
  CHECK(std::string(failure.what()) == "port 7007 is already in use (another server?)");
  CHECK(failure.error.step == "listen");
  CHECK(failure.where.port() == 7007);
}

TEST_CASE("an accept loop stops, pauses or accepts again, by the error", "[unit][net]") {
  using net::after_accept_error;
  CHECK(net::classify_accept_error(asio::error::operation_aborted) == after_accept_error::stop);
  // Nobody waiting after all, or a client that gave up in the queue: the next one at once.
  CHECK(net::classify_accept_error(asio::error::would_block) == after_accept_error::accept_again);
  CHECK(net::classify_accept_error(asio::error::connection_aborted) == after_accept_error::accept_again);
  // Out of descriptors or memory: a pause, not a spin, and not the end of the server.
  CHECK(net::classify_accept_error(asio::error::no_descriptors) == after_accept_error::pause);
  CHECK(net::classify_accept_error(asio::error::no_memory) == after_accept_error::pause);
  CHECK(net::classify_accept_error(asio::error::no_buffer_space) == after_accept_error::pause);
}
